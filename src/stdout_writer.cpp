#include "awork_mcp/stdout_writer.hpp"

#include <spdlog/spdlog.h>

namespace awork_mcp {

stdout_writer::stdout_writer(net::any_io_executor ex, int fd)
    : out_(ex, fd), wake_(ex), drained_(ex) {}

void stdout_writer::write_line(std::string line) {
  if (broken_) return;
  line.push_back('\n');
  queue_.push_back(std::move(line));
  wake_.notify_all();
}

awaitable<void> stdout_writer::run(std::function<void()> on_broken) {
  std::string batch;
  while (!stopped_) {
    if (queue_.empty()) {
      drained_.notify_all();
      co_await wake_.wait();
      continue;
    }
    // Lines queued while the last write was under way go out in one write.
    batch.clear();
    if (queue_.size() == 1) {
      batch.swap(queue_.front());
    } else {
      for (auto& line : queue_) batch += line;
    }
    queue_.clear();
    writing_ = true;
    auto [ec, n] = co_await net::async_write(out_, net::buffer(batch), net::as_tuple(net::use_awaitable));
    writing_ = false;
    if (ec) {
      spdlog::warn("stdout is closed ({}); the client went away", ec.message());
      broken_ = true;
      queue_.clear();
      drained_.notify_all();
      if (on_broken) on_broken();
      co_return;
    }
    if (batch.capacity() > 1024 * 1024) std::string().swap(batch);  // do not keep a large result's buffer
  }
  drained_.notify_all();
}

awaitable<void> stdout_writer::flush() {
  while (!broken_ && (writing_ || !queue_.empty())) {
    co_await drained_.wait();
  }
}

void stdout_writer::stop() {
  stopped_ = true;
  wake_.notify_all();
}

}  // namespace awork_mcp
