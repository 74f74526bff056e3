// The POSIX side of the OS seam (Linux and macOS).

#include "awork_mcp/platform/platform.hpp"
#include "awork_mcp/platform/stdio.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <thread>

#ifdef __linux__
#include <sys/prctl.h>
#endif
#ifdef __APPLE__
#include <sys/event.h>
#endif

namespace awork_mcp::platform {

namespace {
void close_on_exec(int fd) {
  if (fd < 0) return;
  const int flags = ::fcntl(fd, F_GETFD);
  if (flags >= 0) ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}
}  // namespace

void not_inherited(tcp::socket& socket) { close_on_exec(socket.native_handle()); }
void not_inherited(tcp::acceptor& acceptor) { close_on_exec(acceptor.native_handle()); }

void enable_tcp_keepalive(tcp::socket& socket, std::chrono::seconds idle) {
  const int fd = socket.native_handle();
  int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
  int idle_s = static_cast<int>(idle.count());
#if defined(TCP_KEEPIDLE)
  int interval_s = 10, probes = 3;
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle_s, sizeof idle_s);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval_s, sizeof interval_s);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof probes);
#elif defined(TCP_KEEPALIVE)  // macOS names the idle time so
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPALIVE, &idle_s, sizeof idle_s);
#endif
}

bool closed_by_peer(tcp::socket& socket, bool bytes_waiting_are_fine) {
  if (!socket.is_open()) return true;
  char byte;
  auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n > 0) return !bytes_waiting_are_fine;
  return !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
}

void ignore_broken_pipes() { std::signal(SIGPIPE, SIG_IGN); }

// Where the distribution keeps a hashed certificate directory (Debian's /etc/ssl/certs), OpenSSL
// looks up only the CA a server's chain needs; loading the bundle file instead parses every CA at
// start-up (~50 ms and ~2 MB). SSL_CERT_FILE / SSL_CERT_DIR still win.
void load_system_trust_store(ssl::context& ctx) {
  const char* dir = X509_get_default_cert_dir();
  const bool overridden = std::getenv(X509_get_default_cert_file_env()) || std::getenv(X509_get_default_cert_dir_env());
  std::error_code ec;
  bool hashed_dir = false;
  if (!overridden && std::filesystem::is_directory(dir, ec)) {
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      auto name = entry.path().filename().string();
      if (name.size() == 10 && name[8] == '.' && name[9] == '0') {  // e.g. 002c0b4f.0
        hashed_dir = true;
        break;
      }
    }
  }
  if (hashed_dir)
    ctx.add_verify_path(dir);
  else
    ctx.set_default_verify_paths();
}

std::filesystem::path posix_config_dir(bool macos, const std::function<const char*(const char*)>& env) {
  if (const char* own = env("AWORK_MCP_CONFIG_DIR"); own && own[0]) return own;
  const char* xdg = env("XDG_CONFIG_HOME");
  if (xdg && xdg[0] == '/') return std::filesystem::path(xdg) / "awork-mcp";
  const char* home = env("HOME");
  if (!home || !home[0]) return {};
  if (macos) return std::filesystem::path(home) / "Library" / "Application Support" / "awork-mcp";
  return std::filesystem::path(home) / ".config" / "awork-mcp";
}

std::filesystem::path config_dir() {
#ifdef __APPLE__
  constexpr bool macos = true;
#else
  constexpr bool macos = false;
#endif
  return posix_config_dir(macos, [](const char* name) -> const char* {
    const char* value = std::getenv(name);
    if (value && value[0]) return value;
    if (std::string_view(name) == "HOME")  // unset in some service environments: ask the user database
      if (const passwd* user = ::getpwuid(::getuid())) return user->pw_dir;
    return value;
  });
}

bool readable_by_others(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO));
}

// ---- stop_watch ------------------------------------------------------------------------------

struct stop_watch::impl {
  net::any_io_executor executor;
  handler on_stop;
  net::signal_set signals;
#ifdef __APPLE__
  int kq = -1;
  std::thread parent_watcher;
#endif

  impl(net::any_io_executor ex, handler h) : executor(ex), on_stop(std::move(h)), signals(ex, SIGINT, SIGTERM, SIGHUP) {}

  void wait_for_signal() {
    signals.async_wait([this](boost::system::error_code ec, int signal) {
      if (ec) return;
      // On Linux the parent's death arrives as SIGHUP (see start()); a terminal hang-up means the
      // same: nobody is left to read the answers.
      if (signal == SIGHUP)
        on_stop("the editor went away (SIGHUP)", true);
      else
        on_stop(signal == SIGINT ? "SIGINT" : "SIGTERM", false);
      wait_for_signal();
    });
  }
};

stop_watch::stop_watch(net::any_io_executor ex, handler on_stop) : impl_(std::make_unique<impl>(ex, std::move(on_stop))) {}

stop_watch::~stop_watch() {
  boost::system::error_code ignored;
  impl_->signals.cancel(ignored);
#ifdef __APPLE__
  if (impl_->parent_watcher.joinable()) {
    // Wake the watcher with its user event (closing the queue need not wake a kevent() in
    // progress on macOS), and wait for it: it must not post to a bridge that is gone.
    struct kevent wake;
    EV_SET(&wake, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, nullptr);
    ::kevent(impl_->kq, &wake, 1, nullptr, 0, nullptr);
    impl_->parent_watcher.join();
  }
  if (impl_->kq >= 0) ::close(impl_->kq);
#endif
}

bool stop_watch::start() {
  impl_->wait_for_signal();
  const pid_t parent = ::getppid();
#ifdef __linux__
  ::prctl(PR_SET_PDEATHSIG, SIGHUP);
  // The parent may have died just before prctl took effect: then no signal will ever come, but
  // we were handed to init (or a subreaper), so the parent id changed.
  return ::getppid() == parent;
#elif defined(__APPLE__)
  impl_->kq = ::kqueue();
  struct kevent changes[2];
  EV_SET(&changes[0], parent, EVFILT_PROC, EV_ADD | EV_ONESHOT, NOTE_EXIT, 0, nullptr);
  EV_SET(&changes[1], 1, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, nullptr);  // the destructor's wake-up
  if (impl_->kq < 0 || ::kevent(impl_->kq, changes, 2, nullptr, 0, nullptr) < 0) return ::getppid() == parent;
  impl_->parent_watcher = std::thread([kq = impl_->kq, ex = impl_->executor, on_stop = impl_->on_stop] {
    struct kevent event;
    if (::kevent(kq, nullptr, 0, &event, 1, nullptr) == 1 && event.filter == EVFILT_PROC)
      net::post(ex, [on_stop] { on_stop("the editor went away (parent exited)", true); });
  });
  return ::getppid() == parent;
#else
  return ::getppid() == parent;
#endif
}

// ---- stdio ---------------------------------------------------------------------------------

namespace {

class descriptor_input final : public input_stream {
 public:
  descriptor_input(net::any_io_executor ex, int fd) : stream_(ex, fd) {}
  awaitable<io_result> read_some(net::mutable_buffer buffer) override {
    auto [ec, n] = co_await stream_.async_read_some(buffer, net::as_tuple(net::use_awaitable));
    co_return io_result{ec, n};
  }
  void cancel() override {
    boost::system::error_code ignored;
    stream_.cancel(ignored);
  }

 private:
  net::posix::stream_descriptor stream_;
};

class descriptor_output final : public output_stream {
 public:
  descriptor_output(net::any_io_executor ex, int fd) : stream_(ex, fd) {}
  awaitable<io_result> write_all(const std::vector<net::const_buffer>& buffers) override {
    auto [ec, n] = co_await net::async_write(stream_, buffers, net::as_tuple(net::use_awaitable));
    co_return io_result{ec, n};
  }

 private:
  net::posix::stream_descriptor stream_;
};

}  // namespace

std::unique_ptr<input_stream> open_stdin(net::any_io_executor ex) {
  // Close-on-exec: a browser the bridge starts must not hold the editor's pipe (see open_browser).
  return std::make_unique<descriptor_input>(ex, ::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0));
}

std::unique_ptr<output_stream> open_stdout(net::any_io_executor ex) {
  return std::make_unique<descriptor_output>(ex, ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0));
}

stdio_restorer::stdio_restorer() : saved_{::fcntl(STDIN_FILENO, F_GETFL), ::fcntl(STDOUT_FILENO, F_GETFL)} {}

stdio_restorer::~stdio_restorer() {
  if (saved_[0] >= 0) ::fcntl(STDIN_FILENO, F_SETFL, saved_[0]);
  if (saved_[1] >= 0) ::fcntl(STDOUT_FILENO, F_SETFL, saved_[1]);
}

}  // namespace awork_mcp::platform
