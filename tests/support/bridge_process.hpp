#pragma once
// Runs the real awork-mcp binary as an editor would: pipes on stdin and stdout, stderr to a file.

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace test_support {

class bridge_process {
 public:
  struct options {
    std::vector<std::string> command;  ///< what starts the bridge, before args; empty: bridge_command()
    std::vector<std::string> args;
    std::map<std::string, std::string> env;  ///< added to a minimal environment
    std::optional<std::string> stdin_file;   ///< read stdin from this regular file instead of a pipe
    bool stdin_terminal = false;             ///< stdin is a pseudo-terminal (raw mode), as in a shell
    /// Start the bridge from an intermediate process (its parent, as an editor would be) that
    /// only waits; kill_intermediate() then orphans the bridge. The test process becomes a child
    /// subreaper, so the orphaned bridge is re-parented to it and wait() still works.
    bool through_intermediate = false;
    /// How long the destructor waits for an exit once stdin is closed, before SIGKILL.
    std::chrono::milliseconds exit_grace = std::chrono::seconds(20);
  };

  explicit bridge_process(const options& opts);
  /// Closes stdin and waits for the exit (options::exit_grace, then SIGKILL), and fails the running test on a
  /// sanitizer report in stderr, on an exit code it did not expect (see expect_exit) and on a
  /// bridge that did not exit on its own.
  ~bridge_process();
  bridge_process(const bridge_process&) = delete;
  bridge_process& operator=(const bridge_process&) = delete;

  /// Writes one line (a newline is added).
  void send(std::string_view line);
  /// Writes bytes as they are (no newline added).
  void send_raw(std::string_view bytes);
  /// SIGKILLs the intermediate parent (see options::through_intermediate) and reaps it.
  void kill_intermediate();
  /// The next stdout line, or nullopt on timeout or EOF.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  /// Reads lines until one satisfies `match`; the lines skipped are appended to `skipped`.
  std::optional<std::string> read_until(const std::function<bool(const std::string&)>& match,
                                        std::chrono::milliseconds timeout = std::chrono::seconds(10),
                                        std::vector<std::string>* skipped = nullptr);
  /// Waits until the bridge has read every byte written to its stdin pipe (none is left in the
  /// pipe): proof that it holds them, even a line without its newline, which it answers nothing.
  /// False on timeout, and for stdin from a file or a terminal.
  bool wait_stdin_read(std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  void close_stdin();
  void close_stdout();
  void signal(int sig);
  /// Waits for exit; returns the exit code (128+signal if killed), or nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  /// The test expects the bridge to end with this code, not 0 (128+N: killed by signal N).
  void expect_exit(int code) { expected_exits_ = {code}; }
  /// For a helper that returns the exit code to a caller that asserts it.
  void expect_any_exit() { expected_exits_.clear(); }
  /// Everything the bridge wrote to stderr so far.
  std::string stderr_text() const;
  pid_t pid() const { return pid_; }
  /// The test's end of the bridge's stdin pipe (for a writer of its own), or -1.
  int stdin_fd() const { return stdin_fd_; }
  /// The file status flags of the terminal on stdin (it is shared with the bridge), or -1.
  int terminal_flags() const;
  /// The terminal's file status flags before the bridge started, or -1.
  int terminal_flags_before_start() const { return terminal_flags_before_start_; }

 private:
  pid_t pid_ = -1;
  pid_t intermediate_pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int terminal_fd_ = -1;  // our handle on the pty the bridge reads
  int terminal_flags_before_start_ = -1;
  bool stdin_is_pipe_ = false;
  std::string stderr_path_;
  std::string buffer_;
  std::size_t scanned_ = 0;  // how much of buffer_ holds no newline
  std::optional<int> exit_code_;
  std::vector<int> expected_exits_{0};
  std::chrono::milliseconds exit_grace_;
  /// A configuration directory of its own unless the test gives one (AWORK_MCP_CONFIG_DIR): what
  /// one bridge remembers (eras, sign-ins) must not change how the next test's bridge behaves,
  /// and no test may touch the user's own.
  std::unique_ptr<class temp_dir> config_dir_;
};

/// Path of the binary under test (AWORK_MCP_BINARY overrides the one built with the tests).
std::string bridge_binary();

/// The command that starts the bridge, before its arguments: the binary under test, or the words
/// of AWORK_MCP_BRIDGE_COMMAND (split on spaces), e.g. "/usr/lib/wine/wine64 /path/awork-mcp.exe"
/// to test the Windows program under wine (scripts/test-windows.sh).
std::vector<std::string> bridge_command();

/// A whole file's text, or nullopt if it cannot be opened.
std::optional<std::string> read_text_file(const std::string& path);

/// Makes a private temporary directory, removed with its contents on destruction.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  const std::string& path() const { return path_; }
  std::string file(std::string_view name, std::string_view content) const;

 private:
  std::string path_;
};

}  // namespace test_support
