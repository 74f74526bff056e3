#pragma once
// The operating-system seam: everything the bridge needs from the OS that differs between
// systems lives behind these few functions (POSIX side in src/platform/posix.cpp).

#include <chrono>

namespace awork_mcp::platform {

/// Turns on TCP keep-alive probes for a connected socket, so that a half-open connection (a
/// laptop that slept, a NAT that forgot the flow) is noticed within about `idle` plus a few
/// probe intervals instead of never.
void enable_tcp_keepalive(int native_socket, std::chrono::seconds idle);

/// Arranges for the process to receive `signal` when its parent dies (Linux; elsewhere a no-op
/// for now). Returns false if the parent is already gone: the caller should exit at once.
bool exit_with_parent(int signal);

/// Ignores SIGPIPE, so that a closed stdout or socket is an error code, not a death.
void ignore_broken_pipes();

}  // namespace awork_mcp::platform
