#pragma once
// The only writer of stdout: one coroutine drains a queue, so lines never interleave.

#include "awork_mcp/relay/async_event.hpp"
#include "awork_mcp/net/net.hpp"

#include <deque>
#include <functional>
#include <string>
#include <vector>

namespace awork_mcp {

class stdout_writer {
 public:
  /// Takes ownership of fd (a pipe, terminal or regular file).
  stdout_writer(net::any_io_executor ex, int fd);

  /// Queues one message (without its newline; the writer adds it). Ignored once the reader went away.
  void write_line(std::string line);
  /// Drains the queue until stop(); calls on_broken when stdout can no longer be written.
  awaitable<void> run(std::function<void()> on_broken);
  /// Waits until everything queued so far is written (or writing failed).
  awaitable<void> flush();
  void stop();
  bool broken() const { return broken_; }

 private:
  net::posix::stream_descriptor out_;
  std::deque<std::string> queue_;
  async_event wake_;     // the queue has lines
  async_event drained_;  // the queue is empty
  bool writing_ = false;
  bool broken_ = false;
  bool stopped_ = false;
};

}  // namespace awork_mcp
