#pragma once
// Windows side of the OS seam, private: how a thread of our own (a blocking stdin reader, a parent
// watcher, the console control handler) hands work to the io_context.

#include "awork_mcp/net/net.hpp"

#include <mutex>
#include <utility>

namespace awork_mcp::platform::detail {

/// Posts to the io_context from any thread, and never after close(): the owner closes the gate
/// before it goes away (and the io_context may go soon after it), so a blocked thread that wakes
/// up late, even at process exit, posts nothing to a destroyed io_context.
class post_gate {
 public:
  explicit post_gate(net::any_io_executor ex) : executor_(std::move(ex)) {}

  /// Posts `f` unless the gate is closed; false if it was.
  template <class F>
  bool post(F&& f) {
    std::lock_guard lock(mutex_);
    if (!open_) return false;
    net::post(executor_, std::forward<F>(f));
    return true;
  }

  void close() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }

 private:
  std::mutex mutex_;
  bool open_ = true;
  net::any_io_executor executor_;
};

/// Lets the one coroutine of a stream wait on the io_context until a hand-off from its thread
/// arrives. Used on the io thread only: the waiter checks its condition before waiting, so no
/// wake-up is lost.
class wake_up {
 public:
  explicit wake_up(net::any_io_executor ex) : timer_(std::move(ex), net::steady_timer::time_point::max()) {}
  awaitable<void> wait() { co_await timer_.async_wait(net::as_tuple(net::use_awaitable)); }
  void notify() { timer_.cancel(); }

 private:
  net::steady_timer timer_;
};

}  // namespace awork_mcp::platform::detail
