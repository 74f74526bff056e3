#include "awork_mcp/relay/stdout_writer.hpp"

#include <spdlog/spdlog.h>

namespace awork_mcp {

stdout_writer::stdout_writer(net::any_io_executor ex, int fd)
    : out_(ex, fd), wake_(ex), drained_(ex) {}

void stdout_writer::write_line(std::string line) {
  if (broken_) return;
  queue_.push_back(std::move(line));
  wake_.notify_all();
}

awaitable<void> stdout_writer::run(std::function<void()> on_broken) {
  static constexpr char newline = '\n';
  std::vector<std::string> batch;
  std::vector<net::const_buffer> buffers;
  while (!stopped_) {
    if (queue_.empty()) {
      drained_.notify_all();
      co_await wake_.wait();
      continue;
    }
    // Lines queued while the last write was under way go out in one gathered write, each
    // followed by its newline: no line is copied, however large.
    batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
    queue_.clear();
    buffers.clear();
    for (const auto& line : batch) {
      buffers.push_back(net::buffer(line));
      buffers.push_back(net::buffer(&newline, 1));
    }
    writing_ = true;
    auto [ec, n] = co_await net::async_write(out_, buffers, net::as_tuple(net::use_awaitable));
    writing_ = false;
    batch.clear();
    if (ec) {
      spdlog::warn("stdout is closed ({}); the client went away", ec.message());
      broken_ = true;
      queue_.clear();
      drained_.notify_all();
      if (on_broken) on_broken();
      co_return;
    }
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
