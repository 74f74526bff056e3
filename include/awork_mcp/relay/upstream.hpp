#pragma once
// The server side of the bridge: one exchange carries one message to the MCP server and hands
// every JSON-RPC message of the reply (a JSON body or an event stream, resumed if it breaks) to a
// delivery function. It applies the reply policy for the ways out that need nothing but this
// exchange (refresh the credential, wait out a rate limit, follow a redirect) and returns the
// rest (renew the session, fail) to its caller.

#include "awork_mcp/app/config.hpp"
#include "awork_mcp/auth/credential.hpp"
#include "awork_mcp/core/jsonrpc.hpp"
#include "awork_mcp/core/rate_pacer.hpp"
#include "awork_mcp/core/reply_policy.hpp"
#include "awork_mcp/core/request_builder.hpp"
#include "awork_mcp/core/sse_parser.hpp"
#include "awork_mcp/net/http_client.hpp"
#include "awork_mcp/net/tls_context_loader.hpp"
#include "awork_mcp/relay/async_event.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace awork_mcp {

/// Replies up to this size are read by everyone at once; past it, one at a time (see large_reply_).
inline constexpr std::size_t large_reply_threshold = 256 * 1024;

/// A message on its way to the server.
struct outgoing {
  std::string body;
  message_kind kind = message_kind::invalid;
  std::string method;
  std::vector<json::value> request_ids;
  std::vector<std::string> keys;  ///< id_key of each request id: the answers it waits for
  header_list headers;            ///< headers of this message only (2026-07-28: Mcp-Method, ...)
  std::string target;             ///< path and query to POST to instead of the server's (HTTP+SSE)
  std::function<void()> on_written;  ///< called each time it has been written to the server

  bool is_initialize() const { return kind == message_kind::request && method == "initialize"; }
};

/// Receives each JSON-RPC message of a reply, already on one line; waits while stdout is full.
using deliver_fn = std::function<awaitable<void>(const classified_message&, std::string&& line)>;
/// Whether every request the exchange carried has its answer.
using answered_fn = std::function<bool()>;

struct exchange_result {
  enum class ending { done, renew_session, failed };
  ending how = ending::done;
  upstream_failure failure;  ///< for failed
  std::string session_id;    ///< the reply's Mcp-Session-Id, if any

  static exchange_result failed(upstream_failure f) { return {ending::failed, std::move(f), {}}; }
};

/// How a stream being read ended.
struct stream_end {
  bool answered = false;          ///< every awaited answer arrived
  step_result failure;            ///< it broke (otherwise it closed normally)
};

class upstream {
 public:
  upstream(net::any_io_executor ex, const bridge_config& config, credential_source& credential);

  /// POSTs one message with the given session headers and reads the whole reply.
  awaitable<exchange_result> exchange(const outgoing& message, const session_headers& headers,
                                      const deliver_fn& deliver, const answered_fn& answered, retries_used& used,
                                      bool can_renew_session);
  /// Opens (or with last_event_id, resumes) the GET stream; a non-200 reply is returned as is.
  awaitable<outcome<std::unique_ptr<http_response>>> open_stream(const session_headers& headers,
                                                                 const std::optional<std::string>& last_event_id,
                                                                 std::chrono::milliseconds idle_limit,
                                                                 const std::function<void()>& on_written = {});
  /// Reads events from a stream and delivers the messages, until it ends or (with `answered`)
  /// every awaited answer arrived.
  awaitable<stream_end> pump_events(http_response& response, sse_parser& parser, const deliver_fn& deliver,
                                    const answered_fn& answered);
  /// Splits a batch, folds a message onto one line and delivers it; false if it is not JSON.
  awaitable<bool> deliver_text(std::string&& text, const deliver_fn& deliver);
  /// DELETE of the session, bounded in time; failures are only logged.
  awaitable<void> end_session(const session_headers& headers);
  void close_idle();
  /// Where requests go now (after any redirect that was followed).
  const endpoint& target() const { return builder_.target(); }
  awaitable<void> sleep_for(std::chrono::milliseconds delay);

 private:
  http_client& client();
  awaitable<step_result> read_json(http_response& response, const deliver_fn& deliver);
  awaitable<exchange_result> read_stream(http_response& response, const session_headers& headers,
                                         const deliver_fn& deliver, const answered_fn& answered);
  awaitable<exchange_result> resume_stream(const sse_parser& broken, const session_headers& headers,
                                           const deliver_fn& deliver, const answered_fn& answered,
                                           upstream_failure why);
  upstream_failure too_large() const;
  /// Holds a request back while the server's rate-limit budget is spent (bounded by --max-retry-wait).
  awaitable<void> pace(std::string_view what);

  net::any_io_executor executor_;
  const bridge_config& config_;
  credential_source& credential_;
  request_builder builder_;
  std::unique_ptr<tls_context_loader> tls_;  ///< started with the bridge for an https server
  std::map<std::string, std::unique_ptr<http_client>> clients_;  // by origin
  /// One large reply is held at a time; the others wait before reading past the threshold, so
  /// memory stays bounded however many large replies are in flight while stdout is slow.
  async_mutex large_reply_;
  bool warmed_up_ = false;
  /// What the replies said about the rate limit, shared by every exchange: the budget is the
  /// workspace's, not one request's.
  rate_pacer pacer_;
};

}  // namespace awork_mcp
