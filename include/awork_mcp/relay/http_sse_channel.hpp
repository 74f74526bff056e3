#pragma once
// MCP 2024-11-05's HTTP+SSE transport, the last fallback for old servers: one GET stream whose
// first event names the endpoint to POST messages to; each POST is only acknowledged (202), and
// the answers, like everything else the server says, come on that one stream. The channel routes
// each answer to the exchange that waits for it, and the rest to the editor. A stream that ends
// ends the server's session: the next message opens a new one (the bridge replays initialize).

#include "awork_mcp/relay/async_event.hpp"
#include "awork_mcp/relay/upstream.hpp"

#include <map>
#include <memory>
#include <string>

namespace awork_mcp {

class http_sse_channel {
 public:
  http_sse_channel(net::any_io_executor ex, upstream& server, deliver_fn deliver, const bridge_config& config,
                   std::chrono::milliseconds idle_limit);

  /// Whether the server turned out to speak HTTP+SSE: from then on every message goes here.
  bool in_use() const { return in_use_; }
  /// Opens the stream on the server URL and waits (up to the connect timeout) for its endpoint.
  awaitable<step_result> open();
  /// POSTs one message to the endpoint and waits for the answers it awaits on the stream. With a
  /// lost stream: renew_session when `can_renew_session`, else the stream is opened again first.
  awaitable<exchange_result> exchange(const outgoing& message, const session_headers& headers,
                                      const deliver_fn& deliver, const answered_fn& answered, retries_used& used,
                                      bool can_renew_session);
  void stop();

 private:
  /// What one stream owns: its cancellation, its endpoint once known, and how it ended.
  struct stream_state {
    net::cancellation_signal cancel;
    std::string endpoint_target;
    bool finished = false;
    step_result problem;  ///< why it ended or never opened
  };
  awaitable<void> read_stream(std::shared_ptr<stream_state> state);
  awaitable<void> route(const classified_message& message, std::string&& line);
  bool open_now() const { return current_ && !current_->finished && !current_->endpoint_target.empty(); }

  net::any_io_executor executor_;
  upstream& server_;
  deliver_fn deliver_;
  const bridge_config& config_;
  std::chrono::milliseconds idle_limit_;
  bool in_use_ = false;
  std::shared_ptr<stream_state> current_;
  std::map<std::string, const deliver_fn*> claims_;  ///< id key of an awaited answer → its exchange
  async_event changed_;                              ///< an answer came, the endpoint came, or the stream ended
};

}  // namespace awork_mcp
