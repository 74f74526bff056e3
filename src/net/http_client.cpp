#include "awork_mcp/net/http_client.hpp"

#include "awork_mcp/core/keep_alive.hpp"
#include "awork_mcp/platform/platform.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>

namespace awork_mcp {

namespace {

using clock = std::chrono::steady_clock;

constexpr std::size_t max_idle_connections = 64;
constexpr std::size_t large_body_threshold = 16 * 1024;
constexpr std::size_t large_read_size = 256 * 1024;
constexpr std::chrono::seconds tcp_keepalive_idle{45};

// Errors on a reused keep-alive connection that mean the server had closed it meanwhile.
bool is_stale_connection_error(boost::system::error_code ec) {
  return ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset ||
         ec == net::error::broken_pipe || ec == ssl::error::stream_truncated;
}

bool is_cut_mid_response(boost::system::error_code ec) {
  return ec == http::error::partial_message || ec == http::error::end_of_stream || ec == net::error::eof ||
         ec == ssl::error::stream_truncated || ec == net::error::connection_reset;
}

}  // namespace

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  net::ip::make_address(host, ec);
  return !ec;
}

beast::tcp_stream& http_connection::tcp() {
  return std::visit([](auto& s) -> beast::tcp_stream& { return beast::get_lowest_layer(s); }, stream);
}

void http_connection::expires_after(std::chrono::milliseconds timeout) {
  if (timeout.count() > 0)
    tcp().expires_after(timeout);
  else
    tcp().expires_never();
}

std::unique_ptr<http_connection> new_connection(net::any_io_executor ex, ssl::context* tls) {
  if (tls) return std::make_unique<http_connection>(std::in_place_type<http_connection::tls_stream>, ex, *tls);
  return std::make_unique<http_connection>(std::in_place_type<beast::tcp_stream>, ex);
}

ssl::context make_tls_context(const std::string& ca_file) {
  ssl::context ctx(ssl::context::tls_client);
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                  ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  platform::load_system_trust_store(ctx);
  if (!ca_file.empty()) {
    boost::system::error_code ec;
    ctx.load_verify_file(ca_file, ec);
    if (ec)
      throw std::runtime_error("the --ca-file " + ca_file + " holds no certificate OpenSSL can read (" + ec.message() +
                               "); it must be PEM");
  }
  ctx.set_verify_mode(ssl::verify_peer);
  tls_resumption::enable(ctx.native_handle());
  return ctx;
}

// ---- http_response -------------------------------------------------------------------------

http_response::http_response(http_client& owner, std::unique_ptr<http_connection> connection,
                             std::chrono::milliseconds idle_timeout, std::uint64_t body_limit)
    : owner_(owner), connection_(std::move(connection)), idle_timeout_(idle_timeout) {
  // Checked against Content-Length before Beast reserves room for the body.
  parser_.body_limit(body_limit);
}

http_response::~http_response() {
  if (connection_ && !abandoned_ && parser_.is_done() && parser_.keep_alive())
    owner_.release(std::move(connection_), keep_alive_timeout(header("Keep-Alive")));
}

std::string_view http_response::header(std::string_view name) const {
  auto it = parser_.get().find(name);
  return it == parser_.get().end() ? std::string_view{} : std::string_view(it->value());
}

std::string http_response::header_values(std::string_view name) const {
  std::string joined;
  for (auto [it, end] = parser_.get().equal_range(name); it != end; ++it) {
    if (!joined.empty()) joined += ", ";
    joined += it->value();
  }
  return joined;
}

header_list http_response::fields() const {
  header_list out;
  for (const auto& field : parser_.get()) out.emplace_back(std::string(field.name_string()), std::string(field.value()));
  return out;
}

awaitable<boost::system::error_code> http_response::read_head() {
  connection_->expires_after(idle_timeout_);
  auto [ec, n] = co_await std::visit(
      [&](auto& s) { return http::async_read_header(s, connection_->buffer, parser_, net::as_tuple(net::use_awaitable)); },
      connection_->stream);
  co_return ec;
}

std::string http_response::media_type() const { return awork_mcp::media_type(header("Content-Type")); }

awaitable<step_result> http_response::read_more() {
  // Beast sizes each read by the buffer's free capacity, which stays tiny because the parser
  // drains it: a large body would arrive 512 bytes per system call. Grow it for large bodies.
  if (parser_.get().body().size() + body_bytes_ > large_body_threshold && connection_->buffer.capacity() < large_read_size)
    connection_->buffer.reserve(large_read_size);
  connection_->expires_after(idle_timeout_);
  auto [ec, n] = co_await std::visit(
      [&](auto& s) { return http::async_read_some(s, connection_->buffer, parser_, net::as_tuple(net::use_awaitable)); },
      connection_->stream);
  if (!ec || (ec == http::error::end_of_stream && parser_.is_done())) co_return std::nullopt;
  abandoned_ = true;
  if (ec == http::error::body_limit)
    co_return upstream_failure{failure_kind::too_large, "the body is larger than the limit"};
  if (is_cut_mid_response(ec)) co_return upstream_failure{failure_kind::stream_ended, "the connection closed mid-response"};
  co_return describe_transport_error(ec, exchange_stage::read);
}

awaitable<outcome<std::optional<std::string>>> http_response::next_chunk() {
  auto& body = parser_.get().body();
  while (body.empty() && !parser_.is_done())
    if (auto failure = co_await read_more()) co_return std::move(*failure);
  if (body.empty()) co_return std::optional<std::string>();
  body_bytes_ += body.size();
  std::string chunk;
  chunk.swap(body);
  co_return std::optional<std::string>(std::move(chunk));
}

awaitable<outcome<std::string>> http_response::read_all(std::size_t limit) {
  auto& body = parser_.get().body();
  while (!parser_.is_done()) {
    if (auto failure = co_await read_more()) co_return std::move(*failure);
    if (body.size() > limit) {
      abandoned_ = true;
      co_return upstream_failure{failure_kind::bad_body, "response body larger than " + std::to_string(limit) + " bytes"};
    }
  }
  co_return std::move(body);
}

// ---- http_client ---------------------------------------------------------------------------

http_client::http_client(net::any_io_executor ex, endpoint server, tls_context_fn tls, http_timeouts timeouts,
                         std::optional<proxy_settings> proxy)
    : executor_(std::move(ex)), server_(std::move(server)), tls_(std::move(tls)), timeouts_(timeouts),
      proxy_(std::move(proxy)) {}

void http_client::release(std::unique_ptr<http_connection> connection, std::optional<std::chrono::seconds> keep_alive) {
  if (idle_.size() >= max_idle_connections) return;
  connection->reuse_limit = reuse_limit(keep_alive);
  if (connection->reuse_limit.count() <= 0) return;
  if (connection->buffer.capacity() > large_body_threshold) connection->buffer.shrink_to_fit();  // idle ones stay small
  connection->reused = true;
  connection->warm = false;
  connection->idle_since = clock::now();
  idle_.push_back(std::move(connection));
}

std::unique_ptr<http_connection> http_client::take_idle(bool warm_only) {
  const auto now = clock::now();
  for (auto i = idle_.size(); i-- > 0;) {
    if (warm_only && !idle_[i]->warm) continue;
    auto connection = std::move(idle_[i]);
    idle_.erase(idle_.begin() + static_cast<std::ptrdiff_t>(i));
    // Retired before the server's keep-alive timer would close it under a request in flight. Bytes
    // waiting on a TLS connection that has carried nothing yet are the server's session tickets
    // (TLS 1.3 sends them after the handshake), not a sign that it went away.
    const bool tickets_likely = connection->warm && std::holds_alternative<http_connection::tls_stream>(connection->stream);
    if (now - connection->idle_since < connection->reuse_limit &&
        !platform::closed_by_peer(connection->tcp().socket(), tickets_likely))
      return connection;
  }
  return nullptr;
}

void http_client::warm_up(std::size_t connections) {
  while (warming_ < connections && idle_.size() + warming_ < max_idle_connections) {
    ++warming_;
    // A member coroutine, not a capturing lambda: the lambda object would be gone when it resumes.
    net::co_spawn(executor_, open_warm_connection(), net::detached);
  }
}

awaitable<void> http_client::open_warm_connection() {
  auto connected = co_await connect();
  --warming_;
  if (!connected) {
    spdlog::debug("opening a connection ahead of need failed: {}", connected.failure().detail);
    co_return;
  }
  auto& connection = *connected;
  // Like a pooled one: it may go stale while it waits, and is then replaced without harm.
  connection->reused = true;
  connection->warm = true;
  connection->reuse_limit = reuse_limit(std::nullopt);
  connection->idle_since = clock::now();
  idle_.insert(idle_.begin(), std::move(connection));
}

void http_client::close_idle() { idle_.clear(); }

void http_client::adopt(std::unique_ptr<http_connection> connection) {
  release(std::move(connection), std::nullopt);
  if (!idle_.empty()) idle_.back()->warm = true;  // it has carried no request yet
}

awaitable<outcome<tcp::resolver::results_type>> http_client::resolve(const std::string& host, const std::string& port,
                                                                     clock::time_point deadline) {
  // getaddrinfo has no timeout of its own; a timer cancels a lookup that hangs.
  auto resolver = std::make_shared<tcp::resolver>(executor_);
  auto timed_out = std::make_shared<bool>(false);
  net::steady_timer timer(executor_, deadline);
  timer.async_wait([resolver, timed_out](boost::system::error_code ec) {
    if (!ec) {
      *timed_out = true;
      resolver->cancel();
    }
  });
  auto [ec, results] = co_await resolver->async_resolve(host, port, net::as_tuple(net::use_awaitable));
  timer.cancel();
  if (*timed_out) co_return upstream_failure{failure_kind::timeout, "DNS lookup of " + host + " timed out"};
  if (ec) co_return describe_transport_error(ec, exchange_stage::resolve);
  co_return results;
}

awaitable<outcome<std::unique_ptr<http_connection>>> http_client::connect() {
  // One deadline for every step, set again before each (as Beast's examples do): together they
  // take no longer than --connect-timeout.
  const auto deadline = clock::now() + timeouts_.connect;
  const auto& [host, port] = proxy_ ? std::pair(proxy_->host, proxy_->port) : std::pair(server_.host, server_.port);
  auto endpoints = co_await resolve(host, port, deadline);
  if (!endpoints) co_return std::move(endpoints.failure());
  // TCP first; TLS goes on top once it is up (see tls_context_fn).
  auto connection = new_connection(executor_, nullptr);
  auto& socket = connection->tcp();
  socket.expires_at(deadline);
  auto [ec, connected] = co_await socket.async_connect(*endpoints, net::as_tuple(net::use_awaitable));
  if (ec) co_return describe_transport_error(ec, exchange_stage::connect);
  platform::not_inherited(socket.socket());
  socket.socket().set_option(tcp::no_delay(true));  // small JSON-RPC messages must not wait for Nagle
  platform::enable_tcp_keepalive(socket.socket(), tcp_keepalive_idle);
  if (proxy_) {
    socket.expires_at(deadline);
    if (auto failure = co_await open_tunnel(*connection)) co_return std::move(*failure);
  }

  if (tls_) {
    ssl::context* context = nullptr;
    std::string problem;
    try {
      context = &tls_();
    } catch (const std::exception& e) {
      problem = e.what();
    }
    if (!context) co_return upstream_failure{failure_kind::tls, "cannot set up TLS: " + problem};
    auto plain = std::move(std::get<beast::tcp_stream>(connection->stream));
    connection->stream.emplace<http_connection::tls_stream>(std::move(plain), *context);
  }
  if (auto* tls = std::get_if<http_connection::tls_stream>(&connection->stream)) {
    if (!is_ip_literal(server_.host) && !SSL_set_tlsext_host_name(tls->native_handle(), server_.host.c_str()))
      co_return upstream_failure{failure_kind::tls, "cannot set TLS SNI host name"};
    tls->set_verify_callback(ssl::host_name_verification(server_.host));
    resumption_.prepare(tls->native_handle());
    connection->tcp().expires_at(deadline);  // the TCP stream now lives inside the TLS one
    auto [hec] = co_await tls->async_handshake(ssl::stream_base::client, net::as_tuple(net::use_awaitable));
    ++handshakes_;
    if (!hec && resumption_.resumed(tls->native_handle())) ++resumed_handshakes_;
    if (hec) {
      auto failure = describe_transport_error(hec, exchange_stage::handshake);
      if (failure.kind == failure_kind::tls) {
        auto verify = SSL_get_verify_result(tls->native_handle());
        if (verify != X509_V_OK)
          failure.detail += ": " + std::string(X509_verify_cert_error_string(verify));
        else if (failure.detail.find("certificate verify failed") != std::string::npos)
          failure.detail += ": the certificate does not name " + server_.host;
      }
      co_return failure;
    }
  }
  co_return std::move(connection);
}

// Asks the proxy for a tunnel to the server; TLS, if any, then runs end to end inside it. The
// caller has set the deadline on the socket.
awaitable<step_result> http_client::open_tunnel(http_connection& connection) {
  auto& socket = connection.tcp();
  const std::string authority =
      (server_.host.find(':') != std::string::npos ? "[" + server_.host + "]" : server_.host) + ":" + server_.port;
  std::string request = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n";
  if (!proxy_->authorization.empty()) request += "Proxy-Authorization: " + proxy_->authorization + "\r\n";
  request += "\r\n";
  auto [wec, written] = co_await net::async_write(socket, net::buffer(request), net::as_tuple(net::use_awaitable));
  if (wec) co_return describe_transport_error(wec, exchange_stage::connect);
  http::response_parser<http::empty_body> reply;
  reply.skip(true);  // a CONNECT answer has no body
  auto [rec, read] = co_await http::async_read_header(socket, connection.buffer, reply, net::as_tuple(net::use_awaitable));
  if (rec) co_return describe_transport_error(rec, exchange_stage::connect);
  if (reply.get().result_int() != 200)
    co_return upstream_failure{failure_kind::connect, "the proxy " + proxy_->display() + " refused the tunnel: HTTP " +
                                                          std::to_string(reply.get().result_int()) + " " +
                                                          std::string(reply.get().reason())};
  co_return std::nullopt;
}

awaitable<outcome<std::unique_ptr<http_response>>> http_client::send(const http_request& request, send_options options) {
  const auto idle = options.idle_timeout.value_or(timeouts_.idle);
  const auto head = serialize_head(request);
  if (!head)
    co_return upstream_failure{failure_kind::refused,
                               "the request was not sent: a header value holds a line break or NUL"};
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<http_connection> connection = attempt > 0 ? nullptr : take_idle(options.dedicated);
    if (!connection) {
      auto connected = co_await connect();
      if (!connected) co_return std::move(connected.failure());
      connection = std::move(*connected);
    }
    // Only a reused connection can be stale; a fresh one that fails is the real answer.
    const bool stale_possible = connection->reused && attempt == 0;

    connection->expires_after(timeouts_.idle);
    const std::array<net::const_buffer, 2> wire{net::buffer(*head), net::buffer(request.body())};
    auto [wec, written] = co_await std::visit(
        [&](auto& s) { return net::async_write(s, wire, net::as_tuple(net::use_awaitable)); }, connection->stream);
    if (wec) {
      // The server closed the socket before taking the whole request: it cannot have acted on it.
      if (stale_possible && is_stale_connection_error(wec)) continue;
      co_return describe_transport_error(wec, exchange_stage::write);
    }
    if (options.on_written) options.on_written();

    auto response = std::make_unique<http_response>(*this, std::move(connection), idle, options.body_limit);
    if (auto hec = co_await response->read_head()) {
      response->abandon();
      if (is_stale_connection_error(hec)) {
        // The whole request was written: the server may have acted on it before closing. Only a
        // request that is safe to repeat gets a second try, and only when a stale pooled socket
        // explains the failure.
        if (stale_possible && options.may_resend_after_write) continue;
        co_return upstream_failure{failure_kind::uncertain, hec.message()};
      }
      if (hec == http::error::body_limit)
        co_return upstream_failure{failure_kind::too_large, "the reply announced a body larger than the limit"};
      co_return describe_transport_error(hec, exchange_stage::read);
    }
    co_return std::move(response);
  }
}

}  // namespace awork_mcp
