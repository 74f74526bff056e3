#pragma once
// HTTP/1.1 client for one origin: a pool of keep-alive connections (TCP or TLS, directly or
// through a CONNECT proxy) and responses whose bodies are read piece by piece as they arrive.
// Every step returns its outcome; nothing here throws for a network or protocol failure.

#include "awork_mcp/core/endpoint.hpp"
#include "awork_mcp/core/outcome.hpp"
#include "awork_mcp/core/proxy.hpp"
#include "awork_mcp/core/request_builder.hpp"
#include "awork_mcp/net/net.hpp"
#include "awork_mcp/net/tls_resumption.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace awork_mcp {

/// Whether `host` is an IP address (v4, or v6 without brackets) rather than a name.
bool is_ip_literal(const std::string& host);

struct http_timeouts {
  /// One budget for resolving, connecting, the proxy tunnel and the TLS handshake together.
  std::chrono::milliseconds connect{std::chrono::seconds(10)};
  /// Longest silence while waiting for a response's head or its next body bytes; 0 is none.
  std::chrono::milliseconds idle{std::chrono::seconds(300)};
};

/// One socket to the server, plain or TLS, with its read buffer and its keep-alive bookkeeping.
struct http_connection {
  using tls_stream = beast::ssl_stream<beast::tcp_stream>;
  std::variant<beast::tcp_stream, tls_stream> stream;
  beast::flat_buffer buffer;
  bool reused = false;
  bool warm = false;  ///< opened ahead of need, has carried no request yet
  std::chrono::steady_clock::time_point idle_since{};
  std::chrono::milliseconds reuse_limit{0};  ///< retire it after this long idle (from Keep-Alive)

  template <class... Args>
  explicit http_connection(Args&&... args) : stream(std::forward<Args>(args)...) {}
  beast::tcp_stream& tcp();
  void expires_after(std::chrono::milliseconds timeout);  ///< 0: never
};

class http_client;

/// A socket not yet connected: TLS over TCP with `tls`, plain TCP without.
std::unique_ptr<http_connection> new_connection(net::any_io_executor ex, ssl::context* tls);

/// A response whose head has arrived. Destroying it returns the connection to the pool when
/// the body was read to its end and the server allows keep-alive.
class http_response {
 public:
  http_response(http_client& owner, std::unique_ptr<http_connection> connection, std::chrono::milliseconds idle_timeout,
                std::uint64_t body_limit);
  ~http_response();
  http_response(const http_response&) = delete;
  http_response& operator=(const http_response&) = delete;

  unsigned status() const { return parser_.get().result_int(); }
  std::string_view reason() const { return parser_.get().reason(); }
  std::string_view header(std::string_view name) const;
  /// Every field of that name, joined by ", " (WWW-Authenticate may come as several).
  std::string header_values(std::string_view name) const;
  /// Every field, in the order received, names as the server wrote them.
  header_list fields() const;
  std::string media_type() const;

  /// A stream may run for hours: lifts the body limit (the SSE parser bounds each event instead).
  void unlimit_body() { parser_.body_limit(boost::none); }
  /// The next piece of the body, or nullopt once it is complete.
  awaitable<outcome<std::optional<std::string>>> next_chunk();
  /// Reads some more of the body into body(); done() tells when it is complete.
  awaitable<step_result> read_more();
  std::string& body() { return parser_.get().body(); }
  bool done() const { return parser_.is_done(); }
  /// The rest of the body, up to `limit` bytes.
  awaitable<outcome<std::string>> read_all(std::size_t limit);
  /// Gives up on the body (an SSE stream that stays open): the socket is closed, not pooled.
  void abandon() { abandoned_ = true; }

 private:
  friend class http_client;
  awaitable<boost::system::error_code> read_head();

  http_client& owner_;
  std::unique_ptr<http_connection> connection_;
  http::response_parser<http::string_body> parser_;
  std::chrono::milliseconds idle_timeout_;
  std::size_t body_bytes_ = 0;
  bool abandoned_ = false;
};

/// How one request is sent.
struct send_options {
  /// A fresh connection of its own (a long-lived GET stream should not hold a pooled one).
  bool dedicated = false;
  /// Whether the request may be written a second time, on a fresh connection, after a reused one
  /// broke before the response head: only for requests that are safe to repeat.
  bool may_resend_after_write = false;
  /// Overrides the idle timeout (a GET stream may stay silent for hours).
  std::optional<std::chrono::milliseconds> idle_timeout;
  /// Largest body accepted by Content-Length or in total (streams lift it after the head).
  std::uint64_t body_limit = 64 * 1024 * 1024;
  /// Called once the request is written, before its answer is awaited.
  std::function<void()> on_written;
};

/// Where a client's TLS context comes from. Asked once a connection's TCP (and proxy tunnel) is
/// up, so that a context still being made (tls_context_loader) overlaps the connect; it may throw
/// (a bad --ca-file), which fails that connect. Empty: plain TCP.
using tls_context_fn = std::function<ssl::context&()>;

/// A context that is already made (or none, for plain TCP).
inline tls_context_fn made_tls_context(ssl::context* context) {
  if (!context) return {};
  return [context]() -> ssl::context& { return *context; };
}

class http_client {
 public:
  http_client(net::any_io_executor ex, endpoint server, tls_context_fn tls, http_timeouts timeouts,
              std::optional<proxy_settings> proxy = {});

  /// Sends a request and reads the response head.
  awaitable<outcome<std::unique_ptr<http_response>>> send(const http_request& request, send_options options = {});
  /// Closes every idle pooled connection.
  void close_idle();
  /// Opens up to `connections` more in the background, ready for the burst that follows the
  /// first request (an editor's initialized, tools/list and the GET stream come together).
  void warm_up(std::size_t connections);
  /// How many TLS handshakes were made, and how many of them resumed a session.
  std::size_t handshakes() const { return handshakes_; }
  std::size_t resumed_handshakes() const { return resumed_handshakes_; }
  /// Takes a connection opened elsewhere to this server (`awork-mcp check` opens one step by step
  /// to time each) into the pool: the next request goes on it.
  void adopt(std::unique_ptr<http_connection> connection);
  const endpoint& server() const { return server_; }

 private:
  friend class http_response;
  void release(std::unique_ptr<http_connection> connection, std::optional<std::chrono::seconds> keep_alive);
  /// A pooled connection: the last one that carried a request first; with `warm_only`, only one
  /// opened ahead of need (a long-lived stream takes that, never a pooled one).
  std::unique_ptr<http_connection> take_idle(bool warm_only);
  awaitable<outcome<std::unique_ptr<http_connection>>> connect();
  awaitable<void> open_warm_connection();
  awaitable<outcome<tcp::resolver::results_type>> resolve(const std::string& host, const std::string& port,
                                                          std::chrono::steady_clock::time_point deadline);
  awaitable<step_result> open_tunnel(http_connection& connection);

  net::any_io_executor executor_;
  endpoint server_;
  tls_context_fn tls_;
  http_timeouts timeouts_;
  std::optional<proxy_settings> proxy_;
  std::vector<std::unique_ptr<http_connection>> idle_;  ///< warm ones at the front
  tls_resumption resumption_;
  std::size_t warming_ = 0;
  std::size_t handshakes_ = 0;
  std::size_t resumed_handshakes_ = 0;
};

/// A client TLS context that trusts the system store (and `ca_file`, if given).
ssl::context make_tls_context(const std::string& ca_file);

}  // namespace awork_mcp
