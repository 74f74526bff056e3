#pragma once
// Private files that several bridges share (the sign-in store), other programs' files written
// safely, where this program is, and the user's browser.

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace awork_mcp::platform {

/// Creates `dir` and its parents if missing; `dir` itself private to the user (0700 on POSIX).
/// An error text, or empty on success.
std::string make_private_dir(const std::filesystem::path& dir);

/// Replaces `path` with `content` so that a reader sees the old file or the new one, never a
/// part of either: a private (0600) temporary file in the same directory, flushed to disk, then
/// renamed over `path`. An error text, or empty on success.
std::string write_private_file(const std::filesystem::path& path, std::string_view content);

/// The whole file, or nullopt if it cannot be read (absent, a directory, ...).
std::optional<std::string> read_file(const std::filesystem::path& path);

/// Replaces `path` with `content` atomically, as write_private_file does, for a file that is not
/// ours (an editor's configuration): the file keeps its permissions when it exists, a new one is
/// private (0600 on POSIX), and the directory, which must exist, is left as it is (an editor's
/// directory, or the home directory itself, is never made private). An error text, or empty.
std::string write_file_atomically(const std::filesystem::path& path, std::string_view content);

/// Windows refuses to replace a file that another process holds open without FILE_SHARE_DELETE
/// (a second bridge reading the sign-in, an antivirus scanning it): how long to wait before trying
/// again after `error` (the system's code) on try `attempt` (from 0), or nullopt to give up. A few
/// tries over about 1.5 s; an error that waiting cannot mend gives up at once. A rotated refresh
/// token that is not stored is a lost sign-in, so this is worth the wait.
std::optional<std::chrono::milliseconds> replace_retry_wait(unsigned long error, int attempt);

/// The absolute path of the running program: /proc/self/exe (Linux), _NSGetExecutablePath (macOS),
/// GetModuleFileNameW (Windows), with symbolic links resolved. Empty if it cannot be found.
std::filesystem::path executable_path();

/// An environment variable as UTF-8 (Windows reads the wide environment), or nullopt when unset.
std::optional<std::string> environment_variable(const char* name);

/// A path from UTF-8 text, and a path as UTF-8 text, the same on every system (on Windows a
/// std::filesystem::path is wide, and its string() is in the ANSI code page).
std::filesystem::path path_from_utf8(std::string_view text);
std::string utf8_of(const std::filesystem::path& path);

/// An exclusive lock between processes on a lock file (created if missing), held until the object
/// is destroyed. flock() on POSIX, LockFileEx on Windows: released by the OS if the process dies.
class file_lock {
 public:
  /// What an attempt found: the lock; or neither field set, when another process holds it; or,
  /// when the lock file cannot be made or locked at all, an error (waiting would not help).
  struct attempt {
    std::unique_ptr<file_lock> lock;
    std::string error;
  };
  static attempt try_acquire(const std::filesystem::path& path);
  ~file_lock();
  file_lock(const file_lock&) = delete;
  file_lock& operator=(const file_lock&) = delete;

 private:
  explicit file_lock(std::intptr_t handle) : handle_(handle) {}
  std::intptr_t handle_;
};

/// Opens `url` in the user's browser without waiting for it: the command in $BROWSER (run by the
/// shell, the URL as its last argument), else xdg-open (open on macOS, the shell's default on
/// Windows). The browser's output goes to the null device: stdout carries protocol messages.
/// False if nothing could be started.
bool open_browser(const std::string& url);

}  // namespace awork_mcp::platform
