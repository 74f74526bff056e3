#pragma once
// The operating-system seam: everything the bridge needs from the OS that differs between
// systems lives behind these few functions (POSIX side in src/platform/posix.cpp, Windows side
// in src/platform/windows.cpp). stdin and stdout are in platform/stdio.hpp.

#include "awork_mcp/net/net.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace awork_mcp::platform {

/// Turns on TCP keep-alive probes for a connected socket, so that a half-open connection (a
/// laptop that slept, a NAT that forgot the flow) is noticed within about `idle` plus a few
/// probe intervals instead of never.
void enable_tcp_keepalive(tcp::socket& socket, std::chrono::seconds idle);

/// Keeps a socket (or acceptor) out of every program the bridge starts: FD_CLOEXEC on POSIX, not
/// inheritable on Windows. Asio opens sockets without either, and a browser that inherited the
/// sign-in's listening socket would keep its port taken for as long as it runs.
void not_inherited(tcp::socket& socket);
void not_inherited(tcp::acceptor& acceptor);

/// Whether an idle pooled socket was closed by the server meanwhile (it reads as EOF, or has stray
/// bytes unless `bytes_waiting_are_fine`): such a socket is not reused.
bool closed_by_peer(tcp::socket& socket, bool bytes_waiting_are_fine = false);

/// Ignores SIGPIPE where it exists, so that a closed stdout or socket is an error code, not a death.
void ignore_broken_pipes();

/// Adds the system's trusted certificate authorities to a TLS client context: OpenSSL's default
/// paths on POSIX (Debian's hashed /etc/ssl/certs where there is one); the ROOT and CA system
/// stores on Windows, which OpenSSL does not read by itself (they hold a company's inspection CA).
/// Where SSL_CERT_FILE or SSL_CERT_DIR is set, those are used instead, as OpenSSL does.
void load_system_trust_store(ssl::context& ctx);

/// The per-user directory for this program's files (it may not exist yet): %APPDATA%\awork-mcp
/// on Windows; $XDG_CONFIG_HOME/awork-mcp, else ~/Library/Application Support/awork-mcp on macOS
/// and ~/.config/awork-mcp elsewhere; AWORK_MCP_CONFIG_DIR, when set, wins everywhere (a portable
/// install, a test). Empty if no home directory can be found.
std::filesystem::path config_dir();

/// The POSIX rule behind config_dir(), with the environment injected (for tests). `macos` picks
/// the macOS default. An XDG_CONFIG_HOME that is empty or relative is ignored, as the XDG spec says.
std::filesystem::path posix_config_dir(bool macos, const std::function<const char*(const char*)>& env);

/// Whether other users may read the file (a key file should be private). POSIX: group or other
/// permission bits. Windows: false (access is governed by ACLs, private under the user's profile).
bool readable_by_others(const std::string& path);

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
