#pragma once
// A Node.js MCP server from tests/peers as a child process on a free 127.0.0.1 port, stopped
// with its owner. It runs on the Node 22 that tests/peers installs (AWORK_MCP_NODE), never on the
// system's node. A peer that is missing or does not start throws: tests report it as a failure.

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace test_support {

class node_peer {
 public:
  /// `script` is relative to tests/peers; "{port}" in `args` and in `env` values becomes the port.
  node_peer(const std::string& script, std::vector<std::string> args, std::map<std::string, std::string> env = {});
  ~node_peer();
  node_peer(const node_peer&) = delete;
  node_peer& operator=(const node_peer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/mcp"; }

 private:
  void stop();
  unsigned short port_;
  pid_t pid_ = -1;
};

/// The Node 22 of tests/peers and a script under tests/peers, checked to exist (throws if not).
std::string peers_node();
std::string peers_script(const std::string& relative);

}  // namespace test_support
