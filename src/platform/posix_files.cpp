// POSIX side of platform/files.hpp.

#include "awork_mcp/platform/files.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#ifdef __APPLE__
#include <mach-o/dyld.h>
#endif

extern char** environ;

namespace awork_mcp::platform {

namespace {

std::string errno_text(const std::string& what, const std::filesystem::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

}  // namespace

std::string make_private_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return "cannot create " + dir.string() + ": " + ec.message();
  if (::chmod(dir.c_str(), 0700) != 0) return errno_text("cannot make private", dir);
  return {};
}

namespace {

/// Replaces `path` with `content` through a temporary file beside it, flushed to disk and given
/// `mode` before the rename, so a reader sees the old file or the new one, never a part.
std::string replace_file(const std::filesystem::path& path, std::string_view content, mode_t mode) {
  std::string temp = path.string() + ".XXXXXX";
  const int fd = ::mkstemp(temp.data());  // 0600 until it gets `mode`
  if (fd < 0) return errno_text("cannot create a file beside", path);
  std::size_t written = 0;
  while (written < content.size()) {
    const auto n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  const bool synced = written == content.size() && ::fchmod(fd, mode) == 0 && ::fsync(fd) == 0;
  ::close(fd);
  if (!synced || ::rename(temp.c_str(), path.c_str()) != 0) {
    auto error = errno_text("cannot write", path);
    ::unlink(temp.c_str());
    return error;
  }
  return {};
}

}  // namespace

std::string write_private_file(const std::filesystem::path& path, std::string_view content) {
  if (auto error = make_private_dir(path.parent_path()); !error.empty()) return error;
  return replace_file(path, content, 0600);
}

std::string write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  struct stat existing {};
  const mode_t mode = ::stat(path.c_str(), &existing) == 0 ? (existing.st_mode & 07777) : 0600;
  return replace_file(path, content, mode);
}

std::filesystem::path executable_path() {
  std::error_code ec;
#ifdef __APPLE__
  std::uint32_t size = 0;
  ::_NSGetExecutablePath(nullptr, &size);  // asks for the size it needs
  std::string buffer(size, '\0');
  if (::_NSGetExecutablePath(buffer.data(), &size) != 0) return {};
  buffer.resize(std::strlen(buffer.c_str()));
  // It may name a symbolic link, or hold "/./": the file itself is what an editor should start.
  auto self = std::filesystem::canonical(buffer, ec);
#else
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
#endif
  if (ec || !self.is_absolute()) return {};
  return self;
}

std::optional<std::string> environment_variable(const char* name) {
  const char* value = std::getenv(name);
  if (!value) return std::nullopt;
  return std::string(value);
}

file_lock::attempt file_lock::try_acquire(const std::filesystem::path& path) {
  if (auto error = make_private_dir(path.parent_path()); !error.empty()) return {nullptr, error};
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return {nullptr, "cannot open " + path.string() + ": " + std::strerror(errno)};
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) return {};  // another process holds it
    return {nullptr, "cannot lock " + path.string() + ": " + std::strerror(error)};
  }
  return {std::unique_ptr<file_lock>(new file_lock(fd)), {}};
}

file_lock::~file_lock() { ::close(static_cast<int>(handle_)); }  // closing releases the flock

bool open_browser(const std::string& url) {
  std::vector<std::string> argv;
  if (const char* browser = std::getenv("BROWSER"); browser && *browser) {
    // "$BROWSER" may be a command with arguments: the shell splits it; the URL stays one argument.
    argv = {"/bin/sh", "-c", std::string(browser) + " \"$1\"", "awork-mcp-browser", url};
  } else {
#ifdef __APPLE__
    argv = {"open", url};
#else
    argv = {"xdg-open", url};
#endif
  }
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);

  // The browser outlives the bridge and must hold nothing of it. stdin, stdout and stderr are the
  // null device: stdout is the editor's protocol channel (a launcher that prints "Opening in
  // existing session" would corrupt it), and an editor that still sees its pipes open after the
  // bridge exits takes a dead bridge for a live one. Every other descriptor is closed, whatever
  // opened it without close-on-exec (Asio's sockets, a library's files): the sign-in's port must
  // not stay taken by a browser.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
#ifdef __APPLE__
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_CLOEXEC_DEFAULT);  // only 0, 1, 2 stay open
#else
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);  // glibc 2.34 and later
#endif
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), environ);
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return false;
  // Reap it whenever it ends, without waiting for it here (a browser may run for hours).
  std::thread([pid] {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }).detach();
  return true;
}

}  // namespace awork_mcp::platform
