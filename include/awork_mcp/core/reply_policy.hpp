#pragma once
// What to do with the server's answer to one POST, decided from the status line, a few headers
// and (for errors) a bounded body: deliver it, or renew, refresh, wait, follow, or fail.

#include "awork_mcp/core/upstream_error.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace awork_mcp {

/// What the exchange saw of a reply.
struct reply_facts {
  unsigned status = 0;
  std::string_view media_type;     ///< lower case, without parameters
  std::string_view reason;
  std::string_view content_type;   ///< as sent, for messages
  std::string_view body;           ///< read only for statuses >= 300 (bounded)
  std::string_view retry_after;    ///< Retry-After
  std::string_view ratelimit_reset;  ///< ratelimit-reset (seconds)
  std::string_view www_authenticate; ///< every WWW-Authenticate field, joined
  request_trace trace;             ///< Trace-Id and X-Edge-Ref, for the failure's message
  bool had_session = false;        ///< the request carried an Mcp-Session-Id
  bool awaits_answer = false;      ///< it carried requests that need a response
  std::chrono::system_clock::time_point now{};  ///< for a Retry-After given as an HTTP date
};

/// How many times each way out was already taken for this message.
struct retries_used {
  int renewals = 0;
  int refreshes = 0;
  int rate_limit_waits = 0;
  int redirects = 0;
  int step_ups = 0;  ///< new sign-ins for more scope after 403 insufficient_scope
};

struct reply_limits {
  bool can_renew_session = false;  ///< an initialize to replay exists, and this is not it
  std::chrono::milliseconds max_retry_wait{std::chrono::seconds(10)};
  static constexpr int max_renewals = 1;
  static constexpr int max_refreshes = 1;
  static constexpr int max_step_ups = 2;
  static constexpr int max_rate_limit_waits = 3;
};

enum class reply_action {
  read_json,           ///< a JSON body: one message or a batch
  read_stream,         ///< an event stream
  accepted,            ///< no body to read (202, or an empty reply to a notification/response)
  renew_session,       ///< the server forgot the session: initialize again, then resend
  refresh_credential,  ///< 401 (or 403 insufficient_scope): ask the credential to renew, then resend
  wait_and_retry,      ///< rate limited: wait, then resend
  follow_redirect,     ///< 307/308: resend to the Location
  fail,                ///< report `failure`
};

struct reply_decision {
  reply_action action = reply_action::fail;
  std::chrono::milliseconds wait{0};
  upstream_failure failure;
};

/// Whether a WWW-Authenticate says the token lacks scope (RFC 6750 insufficient_scope): a step-up
/// sign-in may help.
bool asks_for_more_scope(std::string_view www_authenticate);

/// Whether a status 300 or more needs its body read before decide_reply() can decide.
bool needs_error_body(unsigned status);

reply_decision decide_reply(const reply_facts& reply, const retries_used& used, const reply_limits& limits);

/// Whether the server says it no longer knows the session the request carried: 404 (the transport
/// specification), or 400 with the JSON-RPC error the reference SDK servers send for an unknown
/// session. A 400 that merely mentions "session" is the server's answer, not an expiry.
bool is_session_expiry(unsigned status, bool had_session, std::string_view body);

/// The longest wait a server's ratelimit-reset or Retry-After can ask for: a longer one (2^63
/// seconds, a date in 9999) is taken as this, so that converting it to milliseconds or adding it
/// to a clock cannot overflow. --max-retry-wait bounds what the bridge waits in any case.
inline constexpr std::chrono::seconds longest_retry_wait = std::chrono::hours(24);

/// Seconds to wait from a ratelimit-reset or Retry-After value (delta seconds, or an HTTP date
/// relative to `now`), at most longest_retry_wait; nullopt if neither parses.
std::optional<std::chrono::seconds> retry_delay(std::string_view ratelimit_reset, std::string_view retry_after,
                                                std::chrono::system_clock::time_point now);

}  // namespace awork_mcp
