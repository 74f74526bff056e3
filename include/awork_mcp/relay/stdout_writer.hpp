#pragma once
// The only writer of stdout: one coroutine drains a queue, so lines never interleave. The queue
// is bounded in bytes: messages from the server wait for room, which stops the bridge reading
// more from the server while the editor is not reading (back-pressure instead of buffering).

#include "awork_mcp/net/net.hpp"
#include "awork_mcp/platform/stdio.hpp"
#include "awork_mcp/relay/async_event.hpp"

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace awork_mcp {

class stdout_writer {
 public:
  stdout_writer(net::any_io_executor ex, std::unique_ptr<platform::output_stream> out, std::size_t max_queued_bytes);

  /// Queues a message the bridge itself wrote (a small error answer) without waiting.
  void write_line(std::string line);
  /// Queues a message once fewer than max_queued_bytes wait to be written (one message of any
  /// size fits into an empty queue). Returns at once, dropping it, once stdout is broken.
  awaitable<void> write_line_when_room(std::string line);
  /// Drains the queue until stop(); calls on_broken when stdout can no longer be written.
  awaitable<void> run(std::function<void()> on_broken);
  /// Whether the queue is at its cap: the bridge then reads no more from stdin, since what it
  /// reads makes more lines (the bridge's own answers are queued without waiting).
  bool full() const { return !broken_ && queued_bytes_ >= max_queued_bytes_; }
  /// Waits until the queue is below its cap (or stdout is broken, or the writer stopped).
  awaitable<void> wait_for_room();
  /// Waits until everything queued so far is written (or writing failed).
  awaitable<void> flush();
  void stop();
  bool broken() const { return broken_; }

 private:
  void push(std::string line);

  std::unique_ptr<platform::output_stream> out_;
  std::size_t max_queued_bytes_;
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  async_event wake_;     // the queue has lines
  async_event drained_;  // the queue is empty
  async_event room_;     // bytes were written
  bool writing_ = false;
  bool broken_ = false;
  bool stopped_ = false;
};

}  // namespace awork_mcp
