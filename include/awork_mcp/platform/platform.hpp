#pragma once
// The operating-system seam: everything the bridge needs from the OS that differs between
// systems lives behind these few functions (POSIX side in src/platform/posix.cpp, Windows side
// in src/platform/windows.cpp). stdin and stdout are in platform/stdio.hpp.

#include "awork_mcp/net/net.hpp"

#include <chrono>
#include <functional>
#include <string>

namespace awork_mcp::platform {

/// Turns on TCP keep-alive probes for a connected socket, so that a half-open connection (a
/// laptop that slept, a NAT that forgot the flow) is noticed within about `idle` plus a few
/// probe intervals instead of never.
void enable_tcp_keepalive(tcp::socket& socket, std::chrono::seconds idle);

/// Whether an idle pooled socket was closed by the server meanwhile (it reads as EOF or has
/// stray bytes): such a socket is not reused.
bool closed_by_peer(tcp::socket& socket);

/// Ignores SIGPIPE where it exists, so that a closed stdout or socket is an error code, not a death.
void ignore_broken_pipes();

/// What asks the bridge to stop: SIGINT/SIGTERM (POSIX), Ctrl-C, Ctrl-Break, console close,
/// logoff and shutdown events (Windows); and the death of the parent process (the editor), after
/// which nobody reads the answers. Calls `on_stop(why, reader_gone)` on the executor, once per event.
class stop_watch {
 public:
  using handler = std::function<void(const std::string& why, bool reader_gone)>;
  stop_watch(net::any_io_executor ex, handler on_stop);
  ~stop_watch();
  stop_watch(const stop_watch&) = delete;
  stop_watch& operator=(const stop_watch&) = delete;

  /// Starts watching. False if the parent is gone already: the caller should exit at once.
  bool start();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace awork_mcp::platform
