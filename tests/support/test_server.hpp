#pragma once
// A scriptable HTTP(S) server on 127.0.0.1 for integration tests. Each connection gets its own
// thread and blocking I/O, so a handler reads like a script: answer, sleep, stream, cut.

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace test_support {

namespace net = boost::asio;
namespace http = boost::beast::http;
using request = http::request<http::string_body>;
using header_fields = std::vector<std::pair<std::string, std::string>>;

/// Writes one response, in pieces if the handler wants.
class server_reply {
 public:
  virtual ~server_reply() = default;
  virtual void write_raw(std::string_view bytes) = 0;
  /// Closes the connection at once, mid-response if need be.
  virtual void cut() = 0;
  /// Whether the client has closed the connection, found without writing anything (a write would
  /// wake a client that only reacts to data).
  virtual bool peer_gone() = 0;

  void json(unsigned status, std::string_view body, const header_fields& extra = {});
  void empty(unsigned status, const header_fields& extra = {});
  /// Starts a chunked text/event-stream response.
  void start_sse(const header_fields& extra = {}, unsigned status = 200);
  /// Sends raw SSE text as one chunk (format events with sse_event()).
  void sse(std::string_view text);
  void finish_sse();
  bool closed() const { return closed_; }

 protected:
  bool closed_ = false;
};

/// An SSE event's text: optional id and retry, the data on one `data:` line per input line.
std::string sse_event(std::string_view data, std::string_view id = {}, std::optional<int> retry_ms = {});

struct recorded_request {
  std::string method;
  std::string target;
  header_fields headers;
  std::string body;
  std::size_t connection = 0;     ///< which accepted connection carried it (1 = the first)
  std::size_t on_connection = 0;  ///< how many requests that connection carried before it
  std::chrono::steady_clock::time_point received{};
  std::string header(std::string_view name) const;  ///< case-insensitive; empty if absent
};

class test_server {
 public:
  using handler = std::function<void(const request&, server_reply&)>;

  struct tls_files {
    std::string certificate_chain;
    std::string private_key;
  };

  explicit test_server(handler h, std::optional<tls_files> tls = {});
  ~test_server();

  unsigned short port() const { return port_; }
  std::string url(std::string_view path = "/mcp") const;
  std::vector<recorded_request> requests() const;
  /// Waits until a request matching the predicate was received; returns it.
  std::optional<recorded_request> wait_for(const std::function<bool(const recorded_request&)>& match,
                                           std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;
  std::size_t connections_accepted() const { return accepted_; }
  /// TLS handshakes completed, and how many of them resumed a session the client offered.
  std::size_t tls_handshakes() const { return handshakes_; }
  std::size_t resumed_tls_handshakes() const { return resumed_handshakes_; }

 private:
  void accept_loop();
  template <class Stream>
  void serve(Stream& stream, std::size_t connection);
  void record(const request& req, std::size_t connection, std::size_t on_connection);

  handler handler_;
  net::io_context io_;
  net::ip::tcp::acceptor acceptor_;
  std::unique_ptr<net::ssl::context> tls_;
  unsigned short port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> accepted_{0};
  std::atomic<std::size_t> handshakes_{0};
  std::atomic<std::size_t> resumed_handshakes_{0};
  std::thread accept_thread_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<recorded_request> requests_;
  std::vector<std::thread> connection_threads_;
  std::vector<std::shared_ptr<net::ip::tcp::socket>> sockets_;
};

}  // namespace test_support
