#include "connect_proxy.hpp"

#include <sstream>

namespace test_support {

namespace net = boost::asio;
using tcp = net::ip::tcp;

connect_proxy::connect_proxy(std::string required_authorization, std::chrono::milliseconds reply_delay,
                             std::chrono::milliseconds accept_delay)
    : required_authorization_(std::move(required_authorization)), reply_delay_(reply_delay), acceptor_(io_) {
  const tcp::endpoint where{net::ip::make_address("127.0.0.1"), 0};
  acceptor_.open(where.protocol());
  acceptor_.bind(where);
  acceptor_.listen(accept_delay.count() > 0 ? 0 : net::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
  if (accept_delay.count() > 0) filler_.connect({net::ip::make_address("127.0.0.1"), port_});
  accept_thread_ = std::thread([this, accept_delay] {
    if (accept_delay.count() > 0) {
      {
        std::unique_lock lock(mutex_);
        accept_delay_changed_.wait(lock, [&] { return accept_delay_started_ || stopping_; });
        accept_delay_changed_.wait_for(lock, accept_delay, [&] { return stopping_.load(); });
      }
      tcp::socket filler(io_);  // the only connection in the queue: ours
      boost::system::error_code ec;
      acceptor_.accept(filler, ec);
      std::lock_guard lock(mutex_);
      queue_freed_ = true;
      accept_delay_changed_.notify_all();
    }
    while (!stopping_) {
      tcp::socket client(io_);
      boost::system::error_code ec;
      acceptor_.accept(client, ec);
      if (ec || stopping_) return;
      std::lock_guard lock(mutex_);
      threads_.emplace_back([this, c = std::make_shared<tcp::socket>(std::move(client))]() mutable { serve(std::move(*c)); });
    }
  });
}

void connect_proxy::start_accept_delay() {
  std::lock_guard lock(mutex_);
  accept_delay_started_ = true;
  accept_delay_changed_.notify_all();
}

connect_proxy::~connect_proxy() {
  {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    accept_delay_changed_.notify_all();
    // A waker sent into a full queue would have its SYN dropped, and wait a second for nothing.
    if (filler_.is_open()) accept_delay_changed_.wait(lock, [&] { return queue_freed_; });
  }
  boost::system::error_code ec;
  tcp::socket waker(io_);
  waker.connect({net::ip::make_address("127.0.0.1"), port_}, ec);
  accept_thread_.join();
  acceptor_.close(ec);  // later connections are refused, not left waiting in the backlog
  {
    std::lock_guard lock(mutex_);
    for (auto& s : sockets_) s->shutdown(tcp::socket::shutdown_both, ec);
  }
  for (auto& t : threads_) t.join();
}

std::vector<std::string> connect_proxy::targets() const {
  std::lock_guard lock(mutex_);
  return targets_;
}

std::vector<std::chrono::steady_clock::time_point> connect_proxy::connect_times() const {
  std::lock_guard lock(mutex_);
  return connect_times_;
}

void connect_proxy::serve(tcp::socket client) {
  boost::system::error_code ec;
  net::streambuf head;
  net::read_until(client, head, "\r\n\r\n", ec);
  if (ec) return;
  std::string text{net::buffers_begin(head.data()), net::buffers_end(head.data())};
  std::istringstream lines(text);
  std::string method, target;
  lines >> method >> target;
  {
    std::lock_guard lock(mutex_);
    targets_.push_back(target);
    connect_times_.push_back(std::chrono::steady_clock::now());
  }
  if (reply_delay_.count() > 0) std::this_thread::sleep_for(reply_delay_);
  if (stopping_) return;
  if (!required_authorization_.empty() &&
      text.find("Proxy-Authorization: " + required_authorization_ + "\r\n") == std::string::npos) {
    net::write(client, net::buffer(std::string("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")), ec);
    return;
  }
  auto colon = target.rfind(':');
  const bool loopback = colon != std::string::npos &&
                        (target.substr(0, colon) == "127.0.0.1" || target.substr(0, colon) == "localhost");
  if (method != "CONNECT" || !loopback) {
    net::write(client, net::buffer(std::string("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")), ec);
    return;
  }
  auto upstream = std::make_shared<tcp::socket>(io_);
  upstream->connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(std::stoi(target.substr(colon + 1)))}, ec);
  if (ec) {
    net::write(client, net::buffer(std::string("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")), ec);
    return;
  }
  auto downstream = std::make_shared<tcp::socket>(std::move(client));
  {
    std::lock_guard lock(mutex_);
    sockets_.push_back(upstream);
    sockets_.push_back(downstream);
  }
  net::write(*downstream, net::buffer(std::string("HTTP/1.1 200 Connection established\r\n\r\n")), ec);
  auto relay = [](tcp::socket& from, tcp::socket& to) {
    char buffer[16384];
    boost::system::error_code e;
    for (;;) {
      auto n = from.read_some(net::buffer(buffer), e);
      if (e) break;
      net::write(to, net::buffer(buffer, n), e);
      if (e) break;
    }
    to.shutdown(tcp::socket::shutdown_send, e);
  };
  std::thread up([&] { relay(*downstream, *upstream); });
  relay(*upstream, *downstream);
  up.join();
}

}  // namespace test_support
