#include "awork_mcp/relay/stdout_writer.hpp"

#include <spdlog/spdlog.h>

namespace awork_mcp {

stdout_writer::stdout_writer(net::any_io_executor ex, std::unique_ptr<platform::output_stream> out,
                             std::size_t max_queued_bytes)
    : out_(std::move(out)), max_queued_bytes_(max_queued_bytes), wake_(ex), drained_(ex), room_(ex) {}

void stdout_writer::push(std::string line) {
  queued_bytes_ += line.size() + 1;
  queue_.push_back(std::move(line));
  wake_.notify_all();
}

void stdout_writer::write_line(std::string line) {
  if (!broken_) push(std::move(line));
}

awaitable<void> stdout_writer::write_line_when_room(std::string line) {
  while (!broken_ && queued_bytes_ > 0 && queued_bytes_ + line.size() > max_queued_bytes_) co_await room_.wait();
  if (!broken_) push(std::move(line));
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
    std::size_t bytes = 0;
    for (const auto& line : batch) {
      buffers.push_back(net::buffer(line));
      buffers.push_back(net::buffer(&newline, 1));
      bytes += line.size() + 1;
    }
    writing_ = true;
    auto [ec, n] = co_await out_->write_all(buffers);
    writing_ = false;
    batch.clear();
    queued_bytes_ -= bytes;
    room_.notify_all();
    if (ec) {
      spdlog::warn("stdout is closed ({}); the client went away", ec.message());
      broken_ = true;
      queue_.clear();
      queued_bytes_ = 0;
      drained_.notify_all();
      room_.notify_all();
      if (on_broken) on_broken();
      co_return;
    }
  }
  drained_.notify_all();
}

awaitable<void> stdout_writer::wait_for_room() {
  while (full() && !stopped_) co_await room_.wait();
}

awaitable<void> stdout_writer::flush() {
  while (!broken_ && (writing_ || !queue_.empty())) co_await drained_.wait();
}

void stdout_writer::stop() {
  stopped_ = true;
  wake_.notify_all();
  room_.notify_all();
}

}  // namespace awork_mcp
