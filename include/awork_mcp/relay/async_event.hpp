#pragma once
// A condition-variable for one io_context thread: a timer that never expires, whose pending
// waits are woken by cancelling it.

#include "awork_mcp/net/net.hpp"

namespace awork_mcp {

class async_event {
 public:
  explicit async_event(net::any_io_executor ex) : timer_(std::move(ex), net::steady_timer::time_point::max()) {}
  /// Wakes every coroutine waiting right now.
  void notify_all() { timer_.cancel(); }
  /// Waits for the next notify_all(). Callers re-check their condition afterwards.
  awaitable<void> wait() { co_await timer_.async_wait(net::as_tuple(net::use_awaitable)); }

 private:
  net::steady_timer timer_;
};

}  // namespace awork_mcp
