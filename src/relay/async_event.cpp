#include "awork_mcp/relay/async_event.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>

namespace awork_mcp {

awaitable<void> async_event::wait_until(std::chrono::steady_clock::time_point deadline) {
  using namespace net::experimental::awaitable_operators;
  net::steady_timer timer(timer_.get_executor(), deadline);
  co_await (wait() || timer.async_wait(net::as_tuple(net::use_awaitable)));
}

}  // namespace awork_mcp
