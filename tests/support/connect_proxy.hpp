#pragma once
// A minimal HTTP CONNECT proxy on 127.0.0.1 for tests: it opens the tunnel only to loopback
// targets and relays bytes both ways.

#include <boost/asio.hpp>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace test_support {

class connect_proxy {
 public:
  /// With `required_authorization`, CONNECTs without that Proxy-Authorization value get 407.
  explicit connect_proxy(std::string required_authorization = {});
  ~connect_proxy();
  unsigned short port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  /// The CONNECT targets asked for so far.
  std::vector<std::string> targets() const;

 private:
  void serve(boost::asio::ip::tcp::socket client);

  std::string required_authorization_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;
  mutable std::mutex mutex_;
  std::vector<std::string> targets_;
  std::vector<std::thread> threads_;
  std::vector<std::shared_ptr<boost::asio::ip::tcp::socket>> sockets_;
};

}  // namespace test_support
