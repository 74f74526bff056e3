// Compiles the macOS branches of src/platform/posix.cpp and posix_files.cpp on Linux, as far as
// that can be done without a Mac: every header is included first as for Linux, then the files are
// compiled again with __APPLE__ defined and __linux__ not, so that their `#ifdef __APPLE__` code
// (the kqueue parent watch, macOS's TCP_KEEPALIVE, _NSGetExecutablePath) is what the compiler
// sees. <sys/event.h> and <mach-o/dyld.h> come from apple_stub/, copies of the SDK's declarations.
// It checks the C++ of those branches, not that they work.
// scripts/test-libcxx.sh runs: clang++ -fsyntax-only -Iapple_stub ... apple_branches.cpp
#include "awork_mcp/platform/files.hpp"
#include "awork_mcp/platform/platform.hpp"
#include "awork_mcp/platform/stdio.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <thread>

#undef __linux__
#define __APPLE__ 1
// macOS names the keep-alive idle time TCP_KEEPALIVE and has no TCP_KEEPIDLE (netinet/tcp.h).
#undef TCP_KEEPIDLE
#define TCP_KEEPALIVE 0x10
// macOS's spawn.h flag that closes every descriptor but 0, 1 and 2 in the child (glibc has none).
#define POSIX_SPAWN_CLOEXEC_DEFAULT 0x4000

#include "../../src/platform/posix.cpp"
#include "../../src/platform/posix_files.cpp"
