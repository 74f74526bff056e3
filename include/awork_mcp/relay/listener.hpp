#pragma once
// The GET stream on which a server sends messages of its own (notifications, requests) outside
// any POST. One listener per session generation; each has its own cancellation, and a stream that
// breaks, closes, or stays silent past the idle limit (a half-open connection) is reopened with
// Last-Event-ID.

#include "awork_mcp/relay/async_event.hpp"
#include "awork_mcp/relay/session.hpp"
#include "awork_mcp/relay/upstream.hpp"

#include <functional>
#include <memory>

namespace awork_mcp {

/// A stream silent this long is taken for a half-open connection and reopened.
inline constexpr auto stream_idle_limit = std::chrono::minutes(10);

class listener {
 public:
  /// The session the stream belongs to, asked afresh before each (re)open: the bridge's own, or
  /// the one the gateway made for a 2026-07-28 editor.
  using session_source = std::function<session::snapshot()>;

  listener(net::any_io_executor ex, upstream& server, session_source current_session, deliver_fn deliver,
           std::chrono::milliseconds idle_limit, std::size_t max_message_bytes);

  /// Opens the stream for the session's current generation, unless one is running for it.
  void start();
  /// Stops the running stream, if any.
  void stop();
  /// Waits (at most until `deadline`) until the stream's GET is on its way to the server (or
  /// answered, or given up).
  awaitable<void> wait_sent(std::chrono::steady_clock::time_point deadline);

 private:
  /// What one listening coroutine owns: its cancellation and whether it got an answer yet.
  struct run_state {
    net::cancellation_signal cancel;
    std::uint64_t generation = 0;
    bool answered = false;  ///< its GET was sent, answered, or given up
    bool finished = false;
    bool stopping = false;
  };
  awaitable<void> listen(std::shared_ptr<run_state> state);

  net::any_io_executor executor_;
  upstream& server_;
  session_source current_session_;
  deliver_fn deliver_;
  std::chrono::milliseconds idle_limit_;
  std::size_t max_message_bytes_;
  std::shared_ptr<run_state> current_;
  async_event answered_;
};

}  // namespace awork_mcp
