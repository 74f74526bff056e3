// The Windows side of platform/stdio.hpp. The anonymous pipes an editor gives its child cannot do
// overlapped I/O (and a console cannot either), so each direction has a thread of its own that
// does the blocking ReadFile or WriteFile and hands the bytes to the io_context one chunk at a
// time: the thread waits until the coroutine is done with a chunk before it reads or writes the
// next, so memory stays bounded and an editor that stops reading stops the bridge's writes, not
// the bridge. The thread only touches memory it shares ownership of; a thread still blocked in
// ReadFile when the bridge ends is left behind and ends with the process.

#include "awork_mcp/platform/stdio.hpp"

#include "windows_post_gate.hpp"

#include <windows.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>

namespace awork_mcp::platform {

namespace {

using detail::post_gate;
using detail::wake_up;
using boost::system::error_code;

constexpr std::size_t read_chunk = 64 * 1024;
constexpr std::size_t write_chunk = 256 * 1024;
constexpr DWORD thread_stack = 256 * 1024;

error_code last_error() { return {static_cast<int>(::GetLastError()), boost::system::system_category()}; }

// A duplicate of a standard handle, so that closing ours leaves the process's own alone.
HANDLE duplicate_std_handle(DWORD which) {
  HANDLE original = ::GetStdHandle(which);
  if (original == nullptr || original == INVALID_HANDLE_VALUE) return INVALID_HANDLE_VALUE;
  HANDLE copy = INVALID_HANDLE_VALUE;
  if (!::DuplicateHandle(::GetCurrentProcess(), original, ::GetCurrentProcess(), &copy, 0, FALSE, DUPLICATE_SAME_ACCESS))
    return INVALID_HANDLE_VALUE;
  return copy;
}

bool is_console(HANDLE h) {
  DWORD mode = 0;
  return ::GetConsoleMode(h, &mode) != 0;
}

template <class State>
HANDLE start_thread(std::shared_ptr<State> state, void (*body)(const std::shared_ptr<State>&)) {
  struct start {
    std::shared_ptr<State> state;
    void (*body)(const std::shared_ptr<State>&);
  };
  auto* arg = new start{std::move(state), body};
  HANDLE thread = ::CreateThread(
      nullptr, thread_stack,
      [](LPVOID p) -> DWORD {
        std::unique_ptr<start> s(static_cast<start*>(p));
        s->body(s->state);
        return 0;
      },
      arg, STACK_SIZE_PARAM_IS_A_RESERVATION, nullptr);
  if (!thread) delete arg;
  return thread;
}

// ---- stdin -------------------------------------------------------------------------------------

class stdin_stream;

struct reader_state {
  explicit reader_state(net::any_io_executor ex) : gate(std::move(ex)) {}
  post_gate gate;
  HANDLE handle = INVALID_HANDLE_VALUE;  // owned by the thread
  bool console = false;
  bool pipe = false;
  // Filled by the thread while `taken`, read by the io thread after the hand-off was posted.
  std::vector<char> data = std::vector<char>(read_chunk);
  std::mutex mutex;
  std::condition_variable cv;
  bool taken = true;     // the io side is done with `data`: the thread may read the next chunk
  bool stopped = false;  // cancel(): read no more
  stdin_stream* owner = nullptr;  // io thread only
};

bool stop_requested(reader_state& s) {
  std::lock_guard lock(s.mutex);
  return s.stopped;
}

io_result read_file(reader_state& s) {
  for (;;) {
    DWORD n = 0;
    if (!::ReadFile(s.handle, s.data.data(), static_cast<DWORD>(s.data.size()), &n, nullptr)) {
      const DWORD e = ::GetLastError();
      if (e == ERROR_BROKEN_PIPE || e == ERROR_HANDLE_EOF) return {net::error::eof, 0};
      if (e == ERROR_OPERATION_ABORTED) return {net::error::operation_aborted, 0};
      return {error_code(static_cast<int>(e), boost::system::system_category()), 0};
    }
    if (n > 0) return {{}, n};
    // A file or the NUL device at its end. On a pipe, zero bytes are a writer's zero-byte write,
    // and no end, as long as the pipe can still be peeked at: the end of a Windows pipe is
    // ERROR_BROKEN_PIPE, but a Unix pipe under wine reads as zero bytes and cannot be peeked.
    DWORD available = 0;
    if (!s.pipe || stop_requested(s) || !::PeekNamedPipe(s.handle, nullptr, 0, nullptr, &available, nullptr))
      return {net::error::eof, 0};
  }
}

// A console (a person typing): read UTF-16 and hand on UTF-8, whatever the console's code page.
// A line that starts with Ctrl-Z is the end, as everywhere on Windows.
io_result read_console(reader_state& s, wchar_t& held_surrogate) {
  std::wstring text(read_chunk / 4, L'\0');
  for (;;) {
    std::size_t start = 0;
    if (held_surrogate) text[start++] = held_surrogate;
    held_surrogate = 0;
    DWORD n = 0;
    if (!::ReadConsoleW(s.handle, text.data() + start, static_cast<DWORD>(text.size() - start), &n, nullptr)) {
      const DWORD e = ::GetLastError();
      // Ctrl-C ends a console read: the control handler decides what that means.
      if (e == ERROR_OPERATION_ABORTED && !stop_requested(s)) continue;
      if (e == ERROR_OPERATION_ABORTED) return {net::error::operation_aborted, 0};
      return {error_code(static_cast<int>(e), boost::system::system_category()), 0};
    }
    std::size_t length = start + n;
    if (n == 0 && start == 0) continue;
    if (text[0] == L'\x1a' && start == 0) return {net::error::eof, 0};
    if (length > 0 && text[length - 1] >= 0xD800 && text[length - 1] <= 0xDBFF) held_surrogate = text[--length];
    if (length == 0) continue;
    int bytes = ::WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(length), s.data.data(),
                                      static_cast<int>(s.data.size()), nullptr, nullptr);
    if (bytes <= 0) return {last_error(), 0};
    return {{}, static_cast<std::size_t>(bytes)};
  }
}

class stdin_stream final : public input_stream {
 public:
  stdin_stream(net::any_io_executor ex, HANDLE handle) : wake_(ex), state_(std::make_shared<reader_state>(ex)) {
    state_->handle = handle;
    state_->console = is_console(handle);
    state_->pipe = ::GetFileType(handle) == FILE_TYPE_PIPE;
    state_->owner = this;
    if (handle == INVALID_HANDLE_VALUE) {
      end_ = net::error::eof;  // no stdin at all: as good as an empty one
      return;
    }
    thread_ = start_thread(state_, &run);
    if (!thread_) {
      end_ = last_error();
      ::CloseHandle(handle);
    }
  }

  ~stdin_stream() override {
    state_->owner = nullptr;
    state_->gate.close();
    stop_thread();
    if (thread_) ::CloseHandle(thread_);
  }

  awaitable<io_result> read_some(net::mutable_buffer buffer) override {
    for (;;) {
      if (cancelled_) co_return io_result{net::error::operation_aborted, 0};
      if (offset_ < size_) {
        const std::size_t n = std::min(buffer.size(), size_ - offset_);
        std::memcpy(buffer.data(), state_->data.data() + offset_, n);
        offset_ += n;
        if (offset_ == size_) give_back();
        co_return io_result{error_code{}, n};
      }
      if (end_) co_return io_result{end_, 0};
      co_await wake_.wait();
    }
  }

  void cancel() override {
    cancelled_ = true;
    wake_.notify();
    stop_thread();
  }

 private:
  static void run(const std::shared_ptr<reader_state>& s) {
    wchar_t held_surrogate = 0;
    for (;;) {
      {
        std::unique_lock lock(s->mutex);
        s->cv.wait(lock, [&] { return s->taken || s->stopped; });
        if (s->stopped) break;
        s->taken = false;
      }
      auto [ec, n] = s->console ? read_console(*s, held_surrogate) : read_file(*s);
      const bool posted = s->gate.post([s, ec = ec, n = n] {
        if (s->owner) s->owner->arrived(ec, n);
      });
      if (!posted || ec) break;
    }
    ::CloseHandle(s->handle);
  }

  void arrived(error_code ec, std::size_t n) {
    if (ec) {
      end_ = ec;
    } else {
      size_ = n;
      offset_ = 0;
    }
    wake_.notify();
  }

  void give_back() {
    size_ = offset_ = 0;
    {
      std::lock_guard lock(state_->mutex);
      state_->taken = true;
    }
    state_->cv.notify_one();
  }

  // The thread reads no more; one blocked in ReadFile on a pipe is woken (a console read may stay
  // blocked until the process ends, which is harmless: it owns everything it touches).
  void stop_thread() {
    {
      std::lock_guard lock(state_->mutex);
      state_->stopped = true;
    }
    state_->cv.notify_one();
    if (thread_) ::CancelSynchronousIo(thread_);
  }

  wake_up wake_;
  std::shared_ptr<reader_state> state_;
  HANDLE thread_ = nullptr;
  std::size_t size_ = 0, offset_ = 0;  // the chunk being handed out
  error_code end_;
  bool cancelled_ = false;
};

// ---- stdout ------------------------------------------------------------------------------------

class stdout_stream;

struct writer_state {
  explicit writer_state(net::any_io_executor ex) : gate(std::move(ex)) {}
  post_gate gate;
  HANDLE handle = INVALID_HANDLE_VALUE;  // owned by the thread
  // Filled by the io thread while no write is pending, written out by the thread.
  std::vector<char> data;
  std::size_t size = 0;
  std::mutex mutex;
  std::condition_variable cv;
  bool pending = false;  // `data` waits for the thread
  bool closed = false;   // the stream is gone: the thread ends
  stdout_stream* owner = nullptr;  // io thread only
};

error_code write_fully(HANDLE h, const char* data, std::size_t size) {
  while (size > 0) {
    DWORD n = 0;
    if (!::WriteFile(h, data, static_cast<DWORD>(std::min<std::size_t>(size, 1u << 30)), &n, nullptr)) {
      const DWORD e = ::GetLastError();
      if (e == ERROR_BROKEN_PIPE || e == ERROR_NO_DATA) return net::error::broken_pipe;  // the reader closed its end
      return {static_cast<int>(e), boost::system::system_category()};
    }
    data += n;
    size -= n;
  }
  return {};
}

class stdout_stream final : public output_stream {
 public:
  stdout_stream(net::any_io_executor ex, HANDLE handle) : wake_(ex), state_(std::make_shared<writer_state>(ex)) {
    state_->handle = handle;
    state_->owner = this;
    if (handle == INVALID_HANDLE_VALUE) {
      broken_ = net::error::broken_pipe;
      return;
    }
    thread_ = start_thread(state_, &run);
    if (!thread_) {
      broken_ = last_error();
      ::CloseHandle(handle);
    }
  }

  ~stdout_stream() override {
    state_->owner = nullptr;
    state_->gate.close();
    {
      std::lock_guard lock(state_->mutex);
      state_->closed = true;
    }
    state_->cv.notify_one();
    if (thread_) ::CloseHandle(thread_);
  }

  awaitable<io_result> write_all(const std::vector<net::const_buffer>& buffers) override {
    while (writing_ && !broken_) co_await wake_.wait();  // a write whose caller went away
    std::size_t total = 0;
    auto next = buffers.begin();
    std::size_t offset = 0;  // into *next
    while (!broken_) {
      // Gather the next chunk: a batch of short lines becomes one WriteFile.
      auto& data = state_->data;
      std::size_t filled = 0;
      while (next != buffers.end() && filled < write_chunk) {
        const std::size_t n = std::min(next->size() - offset, write_chunk - filled);
        if (data.size() < filled + n) data.resize(std::min(write_chunk, std::max(filled + n, 2 * data.size())));
        std::memcpy(data.data() + filled, static_cast<const char*>(next->data()) + offset, n);
        filled += n;
        offset += n;
        if (offset == next->size()) {
          ++next;
          offset = 0;
        }
      }
      if (filled == 0) co_return io_result{error_code{}, total};
      state_->size = filled;
      writing_ = true;
      {
        std::lock_guard lock(state_->mutex);
        state_->pending = true;
      }
      state_->cv.notify_one();
      while (writing_) co_await wake_.wait();
      if (!broken_) total += filled;
    }
    co_return io_result{broken_, total};
  }

 private:
  static void run(const std::shared_ptr<writer_state>& s) {
    for (;;) {
      {
        std::unique_lock lock(s->mutex);
        s->cv.wait(lock, [&] { return s->pending || s->closed; });
        if (s->closed) break;
      }
      const error_code ec = write_fully(s->handle, s->data.data(), s->size);
      {
        std::lock_guard lock(s->mutex);
        s->pending = false;
      }
      const bool posted = s->gate.post([s, ec] {
        if (s->owner) s->owner->written(ec);
      });
      if (!posted || ec) break;
    }
    ::CloseHandle(s->handle);
  }

  void written(error_code ec) {
    writing_ = false;
    if (ec) broken_ = ec;
    wake_.notify();
  }

  wake_up wake_;
  std::shared_ptr<writer_state> state_;
  HANDLE thread_ = nullptr;
  bool writing_ = false;
  error_code broken_;
};

}  // namespace

std::unique_ptr<input_stream> open_stdin(net::any_io_executor ex) {
  return std::make_unique<stdin_stream>(ex, duplicate_std_handle(STD_INPUT_HANDLE));
}

std::unique_ptr<output_stream> open_stdout(net::any_io_executor ex) {
  return std::make_unique<stdout_stream>(ex, duplicate_std_handle(STD_OUTPUT_HANDLE));
}

// Nothing of stdin needs putting back (it is read as it is). A console on stdout is switched to
// UTF-8 while the bridge runs, so that what it prints reads right, and back afterwards: the
// console is shared with the shell that started it.
stdio_restorer::stdio_restorer() {
  HANDLE out = ::GetStdHandle(STD_OUTPUT_HANDLE);
  if (out != nullptr && out != INVALID_HANDLE_VALUE && is_console(out)) {
    const UINT previous = ::GetConsoleOutputCP();
    if (previous != CP_UTF8 && ::SetConsoleOutputCP(CP_UTF8)) saved_[1] = static_cast<int>(previous);
  }
}

stdio_restorer::~stdio_restorer() {
  if (saved_[1] >= 0) ::SetConsoleOutputCP(static_cast<UINT>(saved_[1]));
}

}  // namespace awork_mcp::platform
