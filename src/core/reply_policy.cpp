#include "awork_mcp/core/reply_policy.hpp"

#include "awork_mcp/oauth/www_authenticate.hpp"

#include "awork_mcp/core/http_date.hpp"
#include "awork_mcp/core/json_text.hpp"
#include "awork_mcp/core/redirect_rules.hpp"
#include "awork_mcp/core/text.hpp"

#include <boost/json/parse.hpp>

#include <charconv>

namespace awork_mcp {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::optional<seconds> delta_seconds(std::string_view text) {
  text = trim(text);
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || end != text.data() + text.size() || text.front() == '-') return std::nullopt;
  if (ec == std::errc::result_out_of_range) return longest_retry_wait;  // all digits, past 2^63
  if (ec != std::errc{}) return std::nullopt;
  return std::min(seconds(value), longest_retry_wait);
}

reply_decision fail_with(const reply_facts& r, std::optional<seconds> retry_after = {}) {
  return {reply_action::fail, milliseconds(0),
          describe_http_status(r.status, r.reason, r.content_type, r.body, retry_after, r.trace)};
}

}  // namespace

bool asks_for_more_scope(std::string_view www_authenticate) {
  const auto challenge = parse_bearer_challenge(www_authenticate);
  return challenge && challenge->error == "insufficient_scope";
}

bool needs_error_body(unsigned status) { return status >= 300; }

std::optional<seconds> retry_delay(std::string_view ratelimit_reset, std::string_view retry_after,
                                   std::chrono::system_clock::time_point now) {
  if (auto reset = delta_seconds(ratelimit_reset)) return reset;
  if (auto delta = delta_seconds(retry_after)) return delta;
  if (auto when = parse_http_date(retry_after, now)) {
    if (*when <= now) return seconds(0);  // also the clock's start (a date in year 1)
    return std::min(std::chrono::ceil<seconds>(*when - now), longest_retry_wait);
  }
  return std::nullopt;
}

bool is_session_expiry(unsigned status, bool had_session, std::string_view body) {
  if (!had_session) return false;
  if (status == 404) return true;
  if (status != 400) return false;
  // The exact words of the reference SDK servers (TypeScript: "Bad Request: No valid session ID
  // provided"; Python: "Bad Request: Missing session ID" / "Session not found").
  const auto message = lower(nested_string(body, "error", "message"));
  return message.starts_with("bad request: no valid session id") || message == "bad request: missing session id" ||
         message.find("session not found") != std::string::npos;
}

reply_decision decide_reply(const reply_facts& r, const retries_used& used, const reply_limits& limits) {
  if (r.status >= 200 && r.status < 300) {
    if (r.media_type == "text/event-stream") return {reply_action::read_stream};
    if (r.media_type == "application/json") return {reply_action::read_json};
    if (r.status == 202 || !r.awaits_answer) return {reply_action::accepted};
    return {reply_action::fail, milliseconds(0),
            {failure_kind::bad_body, "HTTP " + std::to_string(r.status) + " with Content-Type '" +
                                         std::string(r.content_type) + "'"}};
  }
  if (r.status == 307 || r.status == 308) {
    // The redirect rules decide where; only the count is a policy matter here.
    if (used.redirects < max_redirect_hops) return {reply_action::follow_redirect};
    return {reply_action::fail, milliseconds(0),
            {failure_kind::redirect, "the server redirected more than " + std::to_string(max_redirect_hops) + " times; check --url"}};
  }
  if (is_session_expiry(r.status, r.had_session, r.body)) {
    if (limits.can_renew_session && used.renewals < reply_limits::max_renewals) return {reply_action::renew_session};
    return fail_with(r);
  }
  if (r.status == 401 && used.refreshes < reply_limits::max_refreshes) return {reply_action::refresh_credential};
  if (r.status == 403 && asks_for_more_scope(r.www_authenticate) && used.step_ups < reply_limits::max_step_ups)
    return {reply_action::refresh_credential};
  if (r.status == 429 || r.status == 503) {
    auto wait = retry_delay(r.ratelimit_reset, r.retry_after, r.now);
    if (r.status == 429 || wait) {
      const milliseconds delay = wait.value_or(seconds(1));
      if (delay <= limits.max_retry_wait && used.rate_limit_waits < reply_limits::max_rate_limit_waits)
        return {reply_action::wait_and_retry, std::max(delay, milliseconds(100))};
    }
    return fail_with(r, wait);
  }
  return fail_with(r);
}

}  // namespace awork_mcp
