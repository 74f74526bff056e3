#include "awork_mcp/auth/callback_listener.hpp"

#include "awork_mcp/platform/platform.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <spdlog/spdlog.h>

namespace awork_mcp {

namespace {

constexpr auto request_read_timeout = std::chrono::seconds(10);

std::string page(std::string_view title, std::string_view text) {
  return "<!doctype html><meta charset=utf-8><title>awork-mcp</title><body style=\"font-family:sans-serif;"
         "margin:3em\"><h1>" + std::string(title) + "</h1><p>" + std::string(text) + "</p></body>";
}

// Escapes the server's error text for the page (it comes from the query string).
std::string html_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

bool host_is_ours(std::string_view host, unsigned short port) {
  const auto suffix = ":" + std::to_string(port);
  return host == "127.0.0.1" + suffix || host == "localhost" + suffix;
}

}  // namespace

outcome<std::unique_ptr<callback_listener>> callback_listener::open(net::any_io_executor ex, unsigned short port) {
  boost::system::error_code ec;
  tcp::acceptor acceptor(ex);
  const tcp::endpoint where(net::ip::address_v4::loopback(), port);
  acceptor.open(where.protocol(), ec);
  if (!ec) platform::not_inherited(acceptor);  // the browser it is for must not keep the port
  if (!ec) acceptor.bind(where, ec);
  if (!ec) acceptor.listen(8, ec);
  if (ec)
    return upstream_failure{failure_kind::sign_in, "cannot listen for the browser's answer on 127.0.0.1:" +
                                                       std::to_string(port) + " (" + ec.message() +
                                                       "): free that port or pass another --redirect-port"};
  const auto bound = acceptor.local_endpoint(ec).port();
  return std::unique_ptr<callback_listener>(new callback_listener(std::move(acceptor), bound));
}

void callback_listener::close() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

awaitable<outcome<callback_result>> callback_listener::wait(std::string callback_path, callback_expectation expected,
                                                            std::chrono::milliseconds timeout) {
  using namespace net::experimental::awaitable_operators;
  std::optional<callback_result> answer;
  auto accept_until_answered = [&]() -> awaitable<void> {
    while (!answer && acceptor_.is_open()) {
      auto [ec, socket] = co_await acceptor_.async_accept(net::as_tuple(net::use_awaitable));
      if (ec) co_return;
      platform::not_inherited(socket);
      // One browser request at a time: a sign-in sees a handful of them.
      co_await serve(std::move(socket), callback_path, expected, answer);
    }
  };
  net::steady_timer deadline(acceptor_.get_executor(), timeout);
  co_await (accept_until_answered() || deadline.async_wait(net::as_tuple(net::use_awaitable)));
  close();
  if (answer) co_return std::move(*answer);
  co_return upstream_failure{failure_kind::timeout, "no answer from the browser within " +
                                                        std::to_string(timeout.count() / 1000) + " s"};
}

awaitable<void> callback_listener::serve(tcp::socket socket, const std::string& callback_path,
                                         const callback_expectation& expected, std::optional<callback_result>& answer) {
  beast::tcp_stream stream(std::move(socket));
  boost::system::error_code ec;
  const auto peer = stream.socket().remote_endpoint(ec);
  if (ec || !peer.address().is_loopback()) co_return;  // cannot happen on 127.0.0.1, but never trust it

  stream.expires_after(request_read_timeout);
  beast::flat_buffer buffer;
  http::request<http::string_body> request;
  auto [read_ec, n] = co_await http::async_read(stream, buffer, request, net::as_tuple(net::use_awaitable));
  if (read_ec) co_return;

  http::response<http::string_body> response{http::status::ok, 11};
  response.set(http::field::content_type, "text/html; charset=utf-8");
  response.set(http::field::cache_control, "no-store");
  response.keep_alive(false);
  if (!host_is_ours(request[http::field::host], port_)) {
    // A page on another site that makes the browser call us (DNS rebinding) names another host.
    response.result(http::status::misdirected_request);
    response.body() = page("Refused", "This listener only answers its own sign-in.");
  } else {
    const auto verdict = judge_callback(request.target(), callback_path, expected);
    switch (verdict.what) {
      case callback_result::verdict::code:
        response.body() = page("Signed in", "awork-mcp received the sign-in. You can close this window.");
        answer = verdict;
        break;
      case callback_result::verdict::denied:
      case callback_result::verdict::rejected:
        response.result(verdict.what == callback_result::verdict::denied ? http::status::ok : http::status::bad_request);
        response.body() = page("Sign-in failed", html_escape(verdict.message));
        answer = verdict;
        break;
      case callback_result::verdict::invalid:
        spdlog::warn("sign-in: refused a callback: {}", verdict.message);
        response.result(http::status::bad_request);
        response.body() = page("Refused", html_escape(verdict.message));
        break;
      case callback_result::verdict::not_a_callback:
        response.result(http::status::not_found);
        response.body() = page("Not found", "");
        break;
    }
  }
  response.prepare_payload();
  co_await http::async_write(stream, response, net::as_tuple(net::use_awaitable));
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
}

}  // namespace awork_mcp
