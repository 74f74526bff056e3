#include "node_peer.hpp"

#include <boost/asio.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace test_support {

namespace {

namespace net = boost::asio;

unsigned short free_port() {
  net::io_context io;
  net::ip::tcp::acceptor probe(io, {net::ip::make_address("127.0.0.1"), 0});
  return probe.local_endpoint().port();
}

bool accepts_connections(unsigned short port) {
  net::io_context io;
  net::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect({net::ip::make_address("127.0.0.1"), port}, ec);
  return !ec;
}

std::string with_port(std::string text, unsigned short port) {
  for (auto at = text.find("{port}"); at != std::string::npos; at = text.find("{port}"))
    text.replace(at, 6, std::to_string(port));
  return text;
}

std::string must_exist(const std::string& path) {
  if (!std::filesystem::exists(path)) throw std::runtime_error("not installed: " + path + " (run scripts/install-test-peers.sh)");
  return path;
}

}  // namespace

std::string peers_node() { return must_exist(AWORK_MCP_NODE); }
std::string peers_script(const std::string& relative) {
  return must_exist(std::string(AWORK_MCP_TEST_PEERS_DIR) + "/" + relative);
}

node_peer::node_peer(const std::string& script, std::vector<std::string> args, std::map<std::string, std::string> env)
    : port_(free_port()) {
  const std::string node = peers_node();
  const std::string path = peers_script(script);
  std::vector<std::string> argv{node, path};
  for (auto& a : args) argv.push_back(with_port(a, port_));
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    for (const auto& [name, value] : env) ::setenv(name.c_str(), with_port(value, port_).c_str(), 1);
    int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    std::vector<char*> raw;
    for (auto& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    ::execv(node.c_str(), raw.data());
    ::_exit(127);
  }
  using namespace std::chrono_literals;
  for (int i = 0; i < 300 && !accepts_connections(port_); ++i) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error(script + " exited at start (status " + std::to_string(status) + ") under " + node);
    }
    std::this_thread::sleep_for(50ms);
  }
  if (!accepts_connections(port_)) {
    stop();
    throw std::runtime_error(script + " did not listen on port " + std::to_string(port_) + " within 15 s");
  }
}

node_peer::~node_peer() { stop(); }

void node_peer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

}  // namespace test_support
