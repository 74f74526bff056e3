#pragma once
// HTTP/1.1 client for one endpoint: a pool of keep-alive connections (TCP or TLS) and
// responses whose bodies are read piece by piece as they arrive.

#include "awork_mcp/core/endpoint.hpp"
#include "awork_mcp/net/net.hpp"
#include "awork_mcp/core/proxy.hpp"
#include "awork_mcp/core/request_builder.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace awork_mcp {

struct http_timeouts {
  std::chrono::milliseconds connect{std::chrono::seconds(10)};
  /// Longest silence while waiting for a response's head or its next body bytes; 0 is none.
  std::chrono::milliseconds idle{std::chrono::seconds(300)};
};

/// One socket to the server, plain or TLS, with its read buffer.
struct http_connection {
  using tls_stream = beast::ssl_stream<beast::tcp_stream>;
  std::variant<beast::tcp_stream, tls_stream> stream;
  beast::flat_buffer buffer;
  bool reused = false;

  template <class... Args>
  explicit http_connection(Args&&... args) : stream(std::forward<Args>(args)...) {}
  beast::tcp_stream& tcp();
  void expires_after(std::chrono::milliseconds timeout);  ///< 0: never
};

class http_client;

/// A response whose head has arrived. Destroying it returns the connection to the pool
/// when the body was read to its end and the server allows keep-alive.
class http_response {
 public:
  http_response(http_client& owner, std::unique_ptr<http_connection> connection,
                std::chrono::milliseconds idle_timeout);
  ~http_response();
  http_response(const http_response&) = delete;
  http_response& operator=(const http_response&) = delete;

  http::response_parser<http::string_body>& parser() { return parser_; }
  unsigned status() const { return parser_.get().result_int(); }
  std::string_view reason() const { return parser_.get().reason(); }
  std::string_view header(std::string_view name) const;
  std::string media_type() const;

  /// The next piece of the body, or nullopt once it is complete. Throws upstream_error.
  awaitable<std::optional<std::string>> next_chunk();
  /// The rest of the body, up to `limit` bytes. Throws upstream_error.
  awaitable<std::string> read_all(std::size_t limit);
  /// Lets the bridge give up on a body (an SSE stream that stays open): the socket is closed.
  void abandon() { abandoned_ = true; }

 private:
  friend class http_client;
  awaitable<boost::system::error_code> read_head();
  awaitable<void> read_some();

  http_client& owner_;
  std::unique_ptr<http_connection> connection_;
  http::response_parser<http::string_body> parser_;
  std::chrono::milliseconds idle_timeout_;
  std::size_t body_bytes_ = 0;
  bool abandoned_ = false;
};

class http_client {
 public:
  http_client(net::any_io_executor ex, endpoint server, ssl::context* tls, http_timeouts timeouts,
              std::optional<proxy_settings> proxy = {});

  /// Sends a request and reads the response head. A fresh connection is used when
  /// `dedicated` (a long-lived GET stream should not hold a pooled one). `idle_timeout`
  /// overrides the configured one (a GET stream may stay silent for hours).
  awaitable<std::unique_ptr<http_response>> send(http_request request, bool dedicated = false,
                                                 std::optional<std::chrono::milliseconds> idle_timeout = {});
  /// Closes every idle pooled connection.
  void close_idle();
  const endpoint& server() const { return server_; }
  const http_timeouts& timeouts() const { return timeouts_; }

 private:
  friend class http_response;
  void release(std::unique_ptr<http_connection> connection);
  std::unique_ptr<http_connection> take_idle();
  awaitable<std::unique_ptr<http_connection>> connect();
  awaitable<tcp::resolver::results_type> resolve(const std::string& host, const std::string& port);
  awaitable<void> open_tunnel(http_connection& connection);

  net::any_io_executor executor_;
  endpoint server_;
  ssl::context* tls_;
  http_timeouts timeouts_;
  std::optional<proxy_settings> proxy_;
  std::vector<std::unique_ptr<http_connection>> idle_;
};

/// A client TLS context that trusts the system store (and `ca_file`, if given).
ssl::context make_tls_context(const std::string& ca_file);

}  // namespace awork_mcp
