// The Windows side of the OS seam (stdin and stdout are in windows_stdio.cpp, the trust store in
// windows_trust.cpp).

#include "awork_mcp/platform/platform.hpp"

#include "windows_post_gate.hpp"

#include <winsock2.h>
#include <mstcpip.h>
#include <windows.h>
#include <tlhelp32.h>

#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace awork_mcp::platform {

void not_inherited(tcp::socket& socket) {
  ::SetHandleInformation(reinterpret_cast<HANDLE>(static_cast<SOCKET>(socket.native_handle())), HANDLE_FLAG_INHERIT, 0);
}
void not_inherited(tcp::acceptor& acceptor) {
  ::SetHandleInformation(reinterpret_cast<HANDLE>(static_cast<SOCKET>(acceptor.native_handle())), HANDLE_FLAG_INHERIT, 0);
}

void enable_tcp_keepalive(tcp::socket& socket, std::chrono::seconds idle) {
  // Probes after `idle`, then every 10 s; Windows gives up after 10 unanswered probes.
  tcp_keepalive settings{};
  settings.onoff = 1;
  settings.keepalivetime = static_cast<ULONG>(std::chrono::milliseconds(idle).count());
  settings.keepaliveinterval = 10 * 1000;
  DWORD returned = 0;
  ::WSAIoctl(socket.native_handle(), SIO_KEEPALIVE_VALS, &settings, sizeof settings, nullptr, 0, &returned, nullptr,
             nullptr);
}

bool closed_by_peer(tcp::socket& socket, bool bytes_waiting_are_fine) {
  if (!socket.is_open()) return true;
  const SOCKET s = socket.native_handle();
  // Nothing to read (no EOF, no stray bytes) means the connection is as it was left.
  fd_set readable;
  FD_ZERO(&readable);
  FD_SET(s, &readable);
  timeval now{0, 0};
  const int ready = ::select(0, &readable, nullptr, nullptr, &now);
  if (ready == 0) return false;
  if (ready < 0) return true;
  char byte;
  const int n = ::recv(s, &byte, 1, MSG_PEEK);
  if (n > 0) return !bytes_waiting_are_fine;
  return n != SOCKET_ERROR || ::WSAGetLastError() != WSAEWOULDBLOCK;
}

void ignore_broken_pipes() {}  // Windows has no SIGPIPE: a closed pipe or socket is an error code

std::filesystem::path config_dir() {
  if (const char* own = std::getenv("AWORK_MCP_CONFIG_DIR"); own && own[0]) return std::filesystem::u8path(own);
  std::wstring appdata(MAX_PATH, L'\0');
  DWORD n = ::GetEnvironmentVariableW(L"APPDATA", appdata.data(), static_cast<DWORD>(appdata.size()));
  if (n >= appdata.size()) {
    appdata.resize(n);
    n = ::GetEnvironmentVariableW(L"APPDATA", appdata.data(), static_cast<DWORD>(appdata.size()));
  }
  if (n == 0 || n >= appdata.size()) return {};
  appdata.resize(n);
  return std::filesystem::path(appdata) / L"awork-mcp";
}

bool readable_by_others(const std::string&) { return false; }

// ---- stop_watch ------------------------------------------------------------------------------

namespace {

// What a stop request reaches, shared with the threads that make them.
struct stop_target : std::enable_shared_from_this<stop_target> {
  stop_target(net::any_io_executor ex, stop_watch::handler h)
      : gate(std::move(ex)), on_stop(std::move(h)), finished(::CreateEventW(nullptr, TRUE, FALSE, nullptr)) {}
  ~stop_target() {
    if (finished) ::CloseHandle(finished);
  }
  stop_target(const stop_target&) = delete;
  stop_target& operator=(const stop_target&) = delete;

  /// From any thread: on_stop(why, reader_gone) on the executor. False once the watch is over.
  bool request(std::string why, bool reader_gone) {
    return gate.post([self = shared_from_this(), why = std::move(why), reader_gone] {
      if (!self->over) self->on_stop(why, reader_gone);
    });
  }

  /// On the executor, when the watch ends.
  void end() {
    over = true;
    gate.close();
    if (finished) ::SetEvent(finished);
  }

  detail::post_gate gate;
  stop_watch::handler on_stop;
  bool over = false;  // executor only
  HANDLE finished;    // set when the watch ended: a console-close handler waits for it
};

// The console control handler runs on a thread the system starts for it. One stop_watch at a
// time receives its events. Windows sends LOGOFF and SHUTDOWN only to processes without
// user32.dll, which OpenSSL's static library brings in; there the editor's death (the parent
// watch) or the end of stdin ends the bridge at logoff and shutdown.
std::mutex console_mutex;
std::shared_ptr<stop_target> console_target;

BOOL WINAPI on_console_event(DWORD type) {
  std::shared_ptr<stop_target> target;
  {
    std::lock_guard lock(console_mutex);
    target = console_target;
  }
  if (!target) return FALSE;
  const char* why = nullptr;
  bool ends_process = false;  // the process is ended when this handler returns (after 5 s at most)
  switch (type) {
    case CTRL_C_EVENT: why = "Ctrl-C"; break;
    case CTRL_BREAK_EVENT: why = "Ctrl-Break"; break;
    case CTRL_CLOSE_EVENT: why = "the console was closed"; ends_process = true; break;
    case CTRL_LOGOFF_EVENT: why = "the user is logging off"; ends_process = true; break;
    case CTRL_SHUTDOWN_EVENT: why = "the system is shutting down"; ends_process = true; break;
    default: return FALSE;
  }
  const bool asked = target->request(why, false);
  // Give the bridge the time Windows gives (5 s for a console close) to answer what is open and
  // delete the session; returning earlier would end the process at once.
  if (ends_process && target->finished) ::WaitForSingleObject(target->finished, 4500);
  return asked ? TRUE : FALSE;
}

// The parent's process id, or 0 if the system does not know it.
DWORD parent_process_id() {
  HANDLE snapshot = ::CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  if (snapshot == INVALID_HANDLE_VALUE) return 0;
  PROCESSENTRY32W entry{};
  entry.dwSize = sizeof entry;
  DWORD parent = 0;
  const DWORD self = ::GetCurrentProcessId();
  for (BOOL more = ::Process32FirstW(snapshot, &entry); more; more = ::Process32NextW(snapshot, &entry)) {
    if (entry.th32ProcessID == self) {
      parent = entry.th32ParentProcessID;
      break;
    }
  }
  ::CloseHandle(snapshot);
  return parent;
}

std::uint64_t creation_time(HANDLE process) {
  FILETIME created{}, exited{}, kernel{}, user{};
  if (!::GetProcessTimes(process, &created, &exited, &kernel, &user)) return 0;
  return (std::uint64_t{created.dwHighDateTime} << 32) | created.dwLowDateTime;
}

enum class parent_state { alive, gone, unknown };

// Opens the parent for waiting. Windows keeps the parent's id after it died, and may give the id
// to a new process: a process created after us is not our parent.
parent_state open_parent(HANDLE& handle) {
  handle = nullptr;
  const DWORD id = parent_process_id();
  if (id == 0) return parent_state::unknown;
  handle = ::OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE, id);
  if (!handle) return ::GetLastError() == ERROR_INVALID_PARAMETER ? parent_state::gone : parent_state::unknown;
  const auto parent_created = creation_time(handle);
  const auto self_created = creation_time(::GetCurrentProcess());
  if ((parent_created && self_created && parent_created > self_created) || ::WaitForSingleObject(handle, 0) == WAIT_OBJECT_0) {
    ::CloseHandle(handle);
    handle = nullptr;
    return parent_state::gone;
  }
  return parent_state::alive;
}

}  // namespace

struct stop_watch::impl {
  impl(net::any_io_executor ex, handler h) : target(std::make_shared<stop_target>(std::move(ex), std::move(h))) {}
  std::shared_ptr<stop_target> target;
  bool console_handler = false;
  HANDLE parent = nullptr;
  HANDLE quit = nullptr;  // ends the parent watcher
  std::thread parent_watcher;
};

stop_watch::stop_watch(net::any_io_executor ex, handler on_stop) : impl_(std::make_unique<impl>(ex, std::move(on_stop))) {}

stop_watch::~stop_watch() {
  if (impl_->console_handler) {
    ::SetConsoleCtrlHandler(&on_console_event, FALSE);
    std::lock_guard lock(console_mutex);
    if (console_target == impl_->target) console_target.reset();
  }
  impl_->target->end();
  if (impl_->quit) ::SetEvent(impl_->quit);
  if (impl_->parent_watcher.joinable()) impl_->parent_watcher.join();
  if (impl_->quit) ::CloseHandle(impl_->quit);
  if (impl_->parent) ::CloseHandle(impl_->parent);
}

bool stop_watch::start() {
  {
    std::lock_guard lock(console_mutex);
    console_target = impl_->target;
  }
  impl_->console_handler = ::SetConsoleCtrlHandler(&on_console_event, TRUE) != 0;

  // The editor's death: nobody is left to read the answers.
  const auto parent = open_parent(impl_->parent);
  if (parent == parent_state::gone) return false;
  if (parent == parent_state::alive) {
    impl_->quit = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);
    if (!impl_->quit) return true;
    impl_->parent_watcher = std::thread([process = impl_->parent, quit = impl_->quit, target = impl_->target] {
      HANDLE handles[] = {process, quit};
      if (::WaitForMultipleObjects(2, handles, FALSE, INFINITE) == WAIT_OBJECT_0)
        target->request("the editor went away (parent exited)", true);
    });
  }
  return true;
}

}  // namespace awork_mcp::platform
