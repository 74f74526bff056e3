#pragma once
// A minimal HTTP CONNECT proxy on 127.0.0.1 for tests: it opens the tunnel only to loopback
// targets (127.0.0.1, or localhost, which it resolves to 127.0.0.1 only) and relays bytes both ways.

#include <boost/asio.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace test_support {

class connect_proxy {
 public:
  /// With `required_authorization`, CONNECTs without that Proxy-Authorization value get 407.
  /// With `reply_delay`, the proxy waits that long after reading a CONNECT before it answers.
  /// With `accept_delay`, TCP connects to the proxy are slow: its accept queue is full (backlog 0,
  /// one connection of its own) from the start until `accept_delay` after start_accept_delay(), so
  /// a client's SYN is dropped and its kernel sends it again after the initial retransmission
  /// timeout (1 s on Linux).
  explicit connect_proxy(std::string required_authorization = {},
                         std::chrono::milliseconds reply_delay = std::chrono::milliseconds(0),
                         std::chrono::milliseconds accept_delay = std::chrono::milliseconds(0));
  ~connect_proxy();
  /// Starts the `accept_delay` clock: called just before the client connects, so that the delay
  /// does not depend on how long the client took to start (a bridge under a sanitizer on a loaded
  /// machine can take longer than the delay).
  void start_accept_delay();
  unsigned short port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  /// The CONNECT targets asked for so far.
  std::vector<std::string> targets() const;
  /// When each CONNECT request arrived, in the order of targets().
  std::vector<std::chrono::steady_clock::time_point> connect_times() const;

 private:
  void serve(boost::asio::ip::tcp::socket client);

  std::string required_authorization_;
  std::chrono::milliseconds reply_delay_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;
  mutable std::mutex mutex_;
  std::condition_variable accept_delay_changed_;
  bool accept_delay_started_ = false;  // under mutex_
  bool queue_freed_ = false;           // under mutex_: our own connection has left the queue
  std::vector<std::string> targets_;
  std::vector<std::chrono::steady_clock::time_point> connect_times_;
  boost::asio::ip::tcp::socket filler_{io_};  // holds the accept queue full while accept_delay runs
  std::vector<std::thread> threads_;
  std::vector<std::shared_ptr<boost::asio::ip::tcp::socket>> sockets_;
};

}  // namespace test_support
