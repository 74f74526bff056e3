#include "bridge_process.hpp"

#include "bridge_ending.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <pty.h>
#include <termios.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>

namespace test_support {

std::string bridge_binary() {
  if (const char* override_path = std::getenv("AWORK_MCP_BINARY")) return override_path;
  return AWORK_MCP_BINARY_PATH;
}

std::vector<std::string> bridge_command() {
  const char* command = std::getenv("AWORK_MCP_BRIDGE_COMMAND");
  if (!command || !*command) return {bridge_binary()};
  std::vector<std::string> words;
  std::istringstream in(command);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

temp_dir::temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "awork-mcp-test-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::optional<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string temp_dir::file(std::string_view name, std::string_view content) const {
  auto full = path_ + "/" + std::string(name);
  std::ofstream(full, std::ios::binary) << content;
  return full;
}

bridge_process::bridge_process(const options& opts) : exit_grace_(opts.exit_grace) {
  // A bridge that died early must fail the test that writes to it, not kill the whole test
  // binary with SIGPIPE (which loses every later test's result).
  ::signal(SIGPIPE, SIG_IGN);
  int in_pipe[2], out_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  char stderr_template[] = "/tmp/awork-mcp-stderr-XXXXXX";
  int err_fd = ::mkstemp(stderr_template);
  stderr_path_ = stderr_template;

  std::vector<std::string> argv_storage = opts.command.empty() ? bridge_command() : opts.command;
  argv_storage.insert(argv_storage.end(), opts.args.begin(), opts.args.end());
  std::vector<std::string> env_storage{"PATH=/usr/bin:/bin"};
  for (const auto& [k, v] : opts.env) env_storage.push_back(k + "=" + v);
  if (!opts.env.contains("AWORK_MCP_CONFIG_DIR")) {
    config_dir_ = std::make_unique<temp_dir>();
    const bool wine = argv_storage.front().find("wine") != std::string::npos;
    env_storage.push_back("AWORK_MCP_CONFIG_DIR=" + std::string(wine ? "Z:" : "") + config_dir_->path());
  }
  // Sanitizer builds: keep their options, and do not let a leak report change the exit code
  // silently. A bridge run through wine (AWORK_MCP_BRIDGE_COMMAND) needs wine's own settings.
  for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "WINEPREFIX", "WINEDEBUG", "WINESERVER",
                           "WINELOADER", "WINEDLLOVERRIDES"})
    if (const char* value = std::getenv(name)) env_storage.push_back(std::string(name) + "=" + value);
  if (const char* home = std::getenv("HOME"); home && argv_storage.size() > opts.args.size() + 1)
    env_storage.push_back(std::string("HOME=") + home);  // wine looks for its prefix there
  std::vector<char*> argv, envp;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  int terminal_master = -1;
  if (opts.stdin_terminal) {
    termios raw{};
    ::cfmakeraw(&raw);  // no echo, no line editing: the bridge frames lines itself
    if (::openpty(&terminal_master, &terminal_fd_, nullptr, &raw, nullptr) != 0) throw std::runtime_error("openpty failed");
    terminal_flags_before_start_ = ::fcntl(terminal_fd_, F_GETFL);
  }

  // Only async-signal-safe calls between fork and exec: the test process has threads.
  auto exec_bridge = [&] {
    int input = in_pipe[0];
    if (opts.stdin_file) input = ::open(opts.stdin_file->c_str(), O_RDONLY);
    if (opts.stdin_terminal) input = terminal_fd_;
    ::dup2(input, 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_fd, 2);
    // Asio's sockets are not close-on-exec: without this the bridge would hold the test's
    // listening sockets open (a proxy the test destroyed would still accept connections).
    ::close_range(3, ~0U, 0);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  };
  if (opts.through_intermediate) {
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    int pid_pipe[2];
    if (::pipe2(pid_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    intermediate_pid_ = ::fork();
    if (intermediate_pid_ == 0) {
      pid_t bridge_pid = ::fork();
      if (bridge_pid == 0) exec_bridge();
      (void)!::write(pid_pipe[1], &bridge_pid, sizeof bridge_pid);
      // The intermediate keeps none of the bridge's pipes (only the test holds their other ends)
      // and none of the test's sockets.
      ::close_range(0, ~0U, 0);
      for (;;) ::pause();
    }
    ::close(pid_pipe[1]);
    if (::read(pid_pipe[0], &pid_, sizeof pid_) != static_cast<ssize_t>(sizeof pid_)) pid_ = -1;
    ::close(pid_pipe[0]);
    if (pid_ <= 0) throw std::runtime_error("the intermediate process did not start the bridge");
  } else {
    pid_ = ::fork();
    if (pid_ == 0) exec_bridge();
  }
  ::close(err_fd);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  stdin_fd_ = in_pipe[1];
  stdout_fd_ = out_pipe[0];
  stdin_is_pipe_ = !opts.stdin_file && !opts.stdin_terminal;
  if (opts.stdin_file) close_stdin();
  if (opts.stdin_terminal) {
    ::close(stdin_fd_);
    stdin_fd_ = terminal_master;
  }
}

bridge_process::~bridge_process() {
  kill_intermediate();
  close_stdin();
  bool killed = false;
  if (!exit_code_ && pid_ > 0) {
    if (!wait(exit_grace_)) {
      ::kill(pid_, SIGKILL);
      killed = true;
      wait(std::chrono::seconds(5));
    }
  }
  close_stdout();
  if (terminal_fd_ >= 0) ::close(terminal_fd_);
  for (const auto& problem : ending_problems({exit_code_, killed, expected_exits_, stderr_text()}))
    ADD_FAILURE() << "bridge pid " << pid_ << ": " << problem;
  ::unlink(stderr_path_.c_str());
}

int bridge_process::terminal_flags() const { return terminal_fd_ < 0 ? -1 : ::fcntl(terminal_fd_, F_GETFL); }

void bridge_process::kill_intermediate() {
  if (intermediate_pid_ <= 0) return;
  ::kill(intermediate_pid_, SIGKILL);
  int status = 0;
  ::waitpid(intermediate_pid_, &status, 0);
  intermediate_pid_ = -1;
}

void bridge_process::send(std::string_view line) {
  std::string data(line);
  data.push_back('\n');
  send_raw(data);
}

void bridge_process::send_raw(std::string_view data) {
  std::size_t written = 0;
  while (written < data.size()) {
    auto n = ::write(stdin_fd_, data.data() + written, data.size() - written);
    if (n <= 0) throw std::runtime_error("writing to the bridge's stdin failed");
    written += static_cast<std::size_t>(n);
  }
}

std::optional<std::string> bridge_process::read_line(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    // Only the bytes not looked at yet: a line of megabytes arrives in many reads.
    if (auto newline = buffer_.find('\n', scanned_); newline != std::string::npos) {
      auto line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      scanned_ = 0;
      return line;
    }
    scanned_ = buffer_.size();
    if (stdout_fd_ < 0) return std::nullopt;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd pfd{stdout_fd_, POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
    char chunk[65536];
    auto n = ::read(stdout_fd_, chunk, sizeof chunk);
    if (n <= 0) return std::nullopt;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

std::optional<std::string> bridge_process::read_until(const std::function<bool(const std::string&)>& match,
                                                      std::chrono::milliseconds timeout,
                                                      std::vector<std::string>* skipped) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    auto line = read_line(std::max(left, std::chrono::milliseconds(1)));
    if (!line) return std::nullopt;
    if (match(*line)) return line;
    if (skipped) skipped->push_back(*line);
  }
}

bool bridge_process::wait_stdin_read(std::chrono::milliseconds timeout) const {
  if (!stdin_is_pipe_ || stdin_fd_ < 0) return false;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    // Linux answers FIONREAD on either end of a pipe: the bytes written and not yet read.
    int unread = 0;
    if (::ioctl(stdin_fd_, FIONREAD, &unread) != 0) return false;
    if (unread == 0) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    ::usleep(1000);
  }
}

void bridge_process::close_stdin() {
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  stdin_fd_ = -1;
}

void bridge_process::close_stdout() {
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  stdout_fd_ = -1;
}

void bridge_process::signal(int sig) { ::kill(pid_, sig); }

std::optional<int> bridge_process::wait(std::chrono::milliseconds timeout) {
  if (exit_code_) return exit_code_;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    auto r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return exit_code_;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    ::usleep(5000);
  }
}

std::string bridge_process::stderr_text() const {
  std::ifstream in(stderr_path_);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace test_support
