#include "awork_mcp/platform/platform.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>

#ifdef __linux__
#include <sys/prctl.h>
#endif

namespace awork_mcp::platform {

void enable_tcp_keepalive(int fd, std::chrono::seconds idle) {
  int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
#ifdef TCP_KEEPIDLE
  int idle_s = static_cast<int>(idle.count()), interval_s = 10, probes = 3;
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle_s, sizeof idle_s);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval_s, sizeof interval_s);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof probes);
#elif defined(TCP_KEEPALIVE)  // macOS names the idle time so
  int idle_s = static_cast<int>(idle.count());
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPALIVE, &idle_s, sizeof idle_s);
#endif
}

bool exit_with_parent(int signal) {
#ifdef __linux__
  const pid_t parent = ::getppid();
  ::prctl(PR_SET_PDEATHSIG, signal);
  // The parent may have died just before prctl took effect: then no signal will ever come, but
  // we were handed to init (or a subreaper), so the parent id changed.
  return ::getppid() == parent;
#else
  (void)signal;
  return true;
#endif
}

void ignore_broken_pipes() { std::signal(SIGPIPE, SIG_IGN); }

}  // namespace awork_mcp::platform
