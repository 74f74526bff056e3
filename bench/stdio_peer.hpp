#pragma once
// What both bench programs need to measure a contender: it runs as an editor runs a stdio MCP
// server (stdio_peer), and its process tree is read from /proc (memory, CPU, context switches).

#include <boost/json.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace bench {

inline double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

inline double percentile(std::vector<double> values, double p) {
  if (values.empty()) return NAN;
  std::sort(values.begin(), values.end());
  auto index = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size()))) - 1;
  return values[std::min(index, values.size() - 1)];
}

inline double median(std::vector<double> values) { return percentile(std::move(values), 50); }

// ---- memory of a process tree ------------------------------------------------------------

inline long status_kb(pid_t pid, const char* field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field, 0) == 0) return std::atol(line.c_str() + std::strlen(field));
  return 0;
}

inline std::vector<pid_t> process_tree(pid_t root) {
  std::map<pid_t, pid_t> parent;
  if (DIR* dir = ::opendir("/proc")) {
    while (auto* entry = ::readdir(dir)) {
      pid_t pid = std::atoi(entry->d_name);
      if (pid <= 0) continue;
      std::ifstream stat("/proc/" + std::string(entry->d_name) + "/stat");
      std::string content;
      std::getline(stat, content);
      auto close = content.rfind(')');
      if (close == std::string::npos) continue;
      std::istringstream rest(content.substr(close + 2));
      char state;
      pid_t ppid;
      rest >> state >> ppid;
      parent[pid] = ppid;
    }
    ::closedir(dir);
  }
  std::vector<pid_t> tree{root};
  for (std::size_t i = 0; i < tree.size(); ++i)
    for (auto [pid, ppid] : parent)
      if (ppid == tree[i]) tree.push_back(pid);
  return tree;
}

inline double tree_mb(pid_t root, const char* field) {
  long kb = 0;
  for (auto pid : process_tree(root)) kb += status_kb(pid, field);
  return static_cast<double>(kb) / 1024.0;
}

/// Fields of every thread of every process in the tree: a thread's own figures, so that work
/// done on any thread counts, and a process's threads that exit are gone with their figures.
inline std::vector<std::string> tree_tasks(pid_t root) {
  std::vector<std::string> tasks;
  for (auto pid : process_tree(root)) {
    auto dir_name = "/proc/" + std::to_string(pid) + "/task";
    if (DIR* dir = ::opendir(dir_name.c_str())) {
      while (auto* entry = ::readdir(dir))
        if (entry->d_name[0] != '.') tasks.push_back(dir_name + "/" + entry->d_name);
      ::closedir(dir);
    }
  }
  return tasks;
}

/// CPU time (utime + stime, in clock ticks) of all threads of the process tree.
inline long long tree_cpu_ticks(pid_t root) {
  long long ticks = 0;
  for (const auto& task : tree_tasks(root)) {
    std::ifstream stat(task + "/stat");
    std::string content;
    std::getline(stat, content);
    auto close = content.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(content.substr(close + 2));  // from field 3 (state) on
    std::string field;
    long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
      if (i == 14) utime = std::atoll(field.c_str());
      if (i == 15) stime = std::atoll(field.c_str());
    }
    ticks += utime + stime;
  }
  return ticks;
}

/// Voluntary and involuntary context switches of all threads of the process tree: each is a
/// wake-up (or a preemption) of the contender.
inline long long tree_context_switches(pid_t root) {
  long long switches = 0;
  for (const auto& task : tree_tasks(root)) {
    std::ifstream in(task + "/status");
    std::string line;
    while (std::getline(in, line))
      if (line.starts_with("voluntary_ctxt_switches:") || line.starts_with("nonvoluntary_ctxt_switches:"))
        switches += std::atoll(line.c_str() + line.find(':') + 1);
  }
  return switches;
}

// ---- a contender over stdio ----------------------------------------------------------------

class stdio_peer {
 public:
  /// `stderr_path`: where the contender's stderr goes (only a diagnosis keeps it).
  explicit stdio_peer(const std::vector<std::string>& argv, const char* stderr_path = "/dev/null") {
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC)) throw std::runtime_error("pipe");
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    started_ = std::chrono::steady_clock::now();
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], 0);
      ::dup2(out[1], 1);
      int err = ::open(stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(err, 2);
      ::setpgid(0, 0);
      ::execvp(args[0], args.data());
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    in_ = in[1];
    out_ = out[0];
  }
  ~stdio_peer() {
    ::close(in_);
    for (int i = 0; i < 300; ++i) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        ::kill(-pid_, SIGKILL);
        ::close(out_);
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    ::close(out_);
  }
  pid_t pid() const { return pid_; }
  std::chrono::steady_clock::time_point started() const { return started_; }

  void send(const std::string& line) {
    std::string data = line + "\n";
    for (std::size_t done = 0; done < data.size();) {
      auto n = ::write(in_, data.data() + done, data.size() - done);
      if (n <= 0) throw std::runtime_error("the contender closed its stdin");
      done += static_cast<std::size_t>(n);
    }
  }

  /// Next message that is a response; notifications are skipped.
  boost::json::value next_response(std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
    for (;;) {
      auto line = read_line(timeout);
      auto v = boost::json::parse(line);
      if (v.is_object() && v.as_object().contains("id") && !v.as_object().contains("method")) return v;
      if (v.is_object() && v.as_object().contains("method") && v.as_object().contains("id"))  // server request
        send(boost::json::serialize(boost::json::object{{"jsonrpc", "2.0"}, {"id", v.at("id")}, {"result", boost::json::object{}}}));
    }
  }

 private:
  std::string read_line(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (auto nl = buffer_.find('\n', scanned_); nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        scanned_ = 0;
        return line;
      }
      scanned_ = buffer_.size();
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
      if (left <= 0) throw std::runtime_error("timed out waiting for the contender");
      pollfd pfd{out_, POLLIN, 0};
      if (::poll(&pfd, 1, static_cast<int>(left)) <= 0) continue;
      char chunk[1 << 16];
      auto n = ::read(out_, chunk, sizeof chunk);
      if (n <= 0) throw std::runtime_error("the contender closed its stdout");
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  pid_t pid_ = -1;
  int in_ = -1, out_ = -1;
  std::string buffer_;
  std::size_t scanned_ = 0;
  std::chrono::steady_clock::time_point started_;
};

/// The 2025 initialize an editor sends first.
inline std::string initialize_message(int id) {
  namespace json = boost::json;
  return json::serialize(json::object{
      {"jsonrpc", "2.0"}, {"id", id}, {"method", "initialize"},
      {"params", {{"protocolVersion", "2025-06-18"}, {"capabilities", json::object{}},
                  {"clientInfo", {{"name", "awork-mcp-bench"}, {"version", "1"}}}}}});
}

/// Why a contender did not answer initialize, from a second start with its stderr kept (the
/// measured runs send it to /dev/null): the last unindented line there that names an error. Node
/// bridges print the server's refusal there and exit without an answer on stdout.
inline std::string stderr_hint(const std::vector<std::string>& argv) {
  using namespace std::chrono_literals;
  char path[] = "/tmp/bench-stderr-XXXXXX";
  int fd = ::mkstemp(path);
  if (fd < 0) return {};
  ::close(fd);
  try {
    stdio_peer peer(argv, path);
    peer.send(initialize_message(0));
    peer.next_response(20s);
  } catch (const std::exception&) {
  }
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line))
    if (line.find("rror") != std::string::npos && !line.starts_with(" ")) last = line;  // not a stack frame or a dump
  ::unlink(path);
  if (last.size() > 400) last = last.substr(0, 400) + "…";
  return last.empty() ? std::string() : "; its stderr: " + last;
}

}  // namespace bench
