#pragma once
// The editor's stdin and stdout, as the bridge reads and writes them. On POSIX they are Asio
// stream descriptors; on Windows, anonymous pipes cannot do overlapped I/O, so a blocking thread
// per direction hands the bytes over to the io_context (src/platform/windows_stdio.cpp).

#include "awork_mcp/net/net.hpp"

#include <memory>
#include <utility>
#include <vector>

namespace awork_mcp::platform {

using io_result = std::pair<boost::system::error_code, std::size_t>;

class input_stream {
 public:
  virtual ~input_stream() = default;
  /// Reads what is there (at least a byte): net::error::eof at the end, operation_aborted after cancel().
  virtual awaitable<io_result> read_some(net::mutable_buffer buffer) = 0;
  /// Ends a read in progress and every later one.
  virtual void cancel() = 0;
};

class output_stream {
 public:
  virtual ~output_stream() = default;
  /// Writes every byte of the buffers, in order.
  virtual awaitable<io_result> write_all(const std::vector<net::const_buffer>& buffers) = 0;
};

/// The process's stdin and stdout (duplicated: closing them does not close the originals).
std::unique_ptr<input_stream> open_stdin(net::any_io_executor ex);
std::unique_ptr<output_stream> open_stdout(net::any_io_executor ex);

/// Puts stdin and stdout back the way they were found when it goes out of scope (Asio makes
/// POSIX descriptors non-blocking, a mode shared with the parent's terminal; on Windows a console
/// on stdout is switched to UTF-8 while the bridge runs).
class stdio_restorer {
 public:
  stdio_restorer();
  ~stdio_restorer();
  stdio_restorer(const stdio_restorer&) = delete;
  stdio_restorer& operator=(const stdio_restorer&) = delete;

 private:
  int saved_[2] = {-1, -1};
};

}  // namespace awork_mcp::platform
