#pragma once
// Waiting primitives for coroutines on one io_context thread.

#include "awork_mcp/net/net.hpp"

#include <chrono>
#include <utility>

namespace awork_mcp {

/// A condition variable: a timer that never expires, whose pending waits are woken by cancelling it.
class async_event {
 public:
  explicit async_event(net::any_io_executor ex) : timer_(std::move(ex), net::steady_timer::time_point::max()) {}
  /// Wakes every coroutine waiting right now.
  void notify_all() { timer_.cancel(); }
  /// Waits for the next notify_all(). Callers re-check their condition afterwards.
  awaitable<void> wait() { co_await timer_.async_wait(net::as_tuple(net::use_awaitable)); }
  /// Waits for the next notify_all() or until `deadline`, whichever comes first.
  awaitable<void> wait_until(std::chrono::steady_clock::time_point deadline);

 private:
  net::steady_timer timer_;
};

/// One holder at a time, in no particular order; the holder releases it by destroying its lock.
class async_mutex {
 public:
  explicit async_mutex(net::any_io_executor ex) : released_(std::move(ex)) {}

  class lock {
   public:
    lock() = default;
    explicit lock(async_mutex* owner) : owner_(owner) {}
    lock(lock&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)) {}
    lock& operator=(lock&& other) noexcept {
      release();
      owner_ = std::exchange(other.owner_, nullptr);
      return *this;
    }
    ~lock() { release(); }
    void release() {
      if (owner_) owner_->unlock();
      owner_ = nullptr;
    }
    explicit operator bool() const { return owner_ != nullptr; }

   private:
    async_mutex* owner_ = nullptr;
  };

  awaitable<lock> acquire() {
    while (locked_) co_await released_.wait();
    locked_ = true;
    co_return lock(this);
  }

 private:
  void unlock() {
    locked_ = false;
    released_.notify_all();
  }
  bool locked_ = false;
  async_event released_;
};

}  // namespace awork_mcp
