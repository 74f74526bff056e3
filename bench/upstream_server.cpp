// bench_upstream: a minimal, fast Streamable HTTP MCP server on 127.0.0.1, so that a benchmark
// measures the bridge and not the server. One thread, async, keep-alive.
//
//   bench_upstream [--port N] [--mode json|sse]
// Prints "listening <port>" on stdout once ready. Tools: echo {message}, blob {bytes}.

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = net::ip::tcp;

namespace {

bool sse_mode = false;
unsigned session_counter = 0;

json::object tools_list() {
  json::object echo_schema{{"type", "object"}, {"properties", {{"message", {{"type", "string"}}}}}};
  json::object blob_schema{{"type", "object"}, {"properties", {{"bytes", {{"type", "integer"}}}}}};
  return {{"tools", json::array{json::object{{"name", "echo"}, {"description", "Echoes the message"}, {"inputSchema", echo_schema}},
                                json::object{{"name", "blob"}, {"description", "Returns N bytes of text"}, {"inputSchema", blob_schema}}}}};
}

json::value result_for(const json::object& request, std::string& session_out) {
  auto method = request.at("method").as_string();
  if (method == "initialize") {
    session_out = "bench-session-" + std::to_string(++session_counter);
    auto version = request.at("params").as_object().if_contains("protocolVersion");
    return json::object{{"protocolVersion", version ? *version : json::value("2025-06-18")},
                        {"capabilities", {{"tools", json::object{}}}},
                        {"serverInfo", {{"name", "bench-upstream"}, {"version", "1.0.0"}}}};
  }
  if (method == "tools/list") return tools_list();
  if (method == "tools/call") {
    const auto& params = request.at("params").as_object();
    const auto& name = params.at("name").as_string();
    const auto* args = params.if_contains("arguments");
    std::string text;
    if (name == "echo" && args) {
      if (const auto* m = args->as_object().if_contains("message")) text = json::value_to<std::string>(*m);
    } else if (name == "blob" && args) {
      text.assign(static_cast<std::size_t>(args->at("bytes").to_number<double>()), 'x');
    }
    return json::object{{"content", json::array{json::object{{"type", "text"}, {"text", std::move(text)}}}}};
  }
  return json::object{};
}

http::response<http::string_body> handle(const http::request<http::string_body>& req) {
  http::response<http::string_body> res{http::status::ok, req.version()};
  res.keep_alive(req.keep_alive());
  if (req.method() == http::verb::get) {
    res.result(http::status::method_not_allowed);
    res.prepare_payload();
    return res;
  }
  if (req.method() == http::verb::delete_) {
    res.prepare_payload();
    return res;
  }
  boost::system::error_code ec;
  auto message = json::parse(req.body(), ec);
  if (ec || !message.is_object() || !message.as_object().contains("method") || !message.as_object().contains("id")) {
    res.result(ec ? http::status::bad_request : http::status::accepted);
    res.prepare_payload();
    return res;
  }
  std::string session;
  json::object response{{"jsonrpc", "2.0"}, {"id", message.at("id")}, {"result", result_for(message.as_object(), session)}};
  if (!session.empty()) res.set("Mcp-Session-Id", session);
  if (sse_mode) {
    res.set(http::field::content_type, "text/event-stream");
    res.body() = "id: 1\ndata: " + json::serialize(response) + "\n\n";
  } else {
    res.set(http::field::content_type, "application/json");
    res.body() = json::serialize(response);
  }
  res.prepare_payload();
  return res;
}

net::awaitable<void> serve(tcp::socket socket) {
  socket.set_option(tcp::no_delay(true));
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    auto [ec, n] = co_await http::async_read(socket, buffer, parser, net::as_tuple(net::use_awaitable));
    if (ec) co_return;
    auto res = handle(parser.get());
    auto [wec, written] = co_await http::async_write(socket, res, net::as_tuple(net::use_awaitable));
    if (wec || !res.keep_alive()) co_return;
  }
}

net::awaitable<void> listen(tcp::acceptor& acceptor) {
  for (;;) {
    auto socket = co_await acceptor.async_accept(net::use_awaitable);
    net::co_spawn(acceptor.get_executor(), serve(std::move(socket)), net::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  unsigned short port = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--port") == 0) port = static_cast<unsigned short>(std::stoi(argv[i + 1]));
    if (std::strcmp(argv[i], "--mode") == 0) sse_mode = std::strcmp(argv[i + 1], "sse") == 0;
  }
  net::io_context io{1};
  tcp::acceptor acceptor(io, {net::ip::make_address("127.0.0.1"), port});
  std::cout << "listening " << acceptor.local_endpoint().port() << std::endl;
  net::co_spawn(io, listen(acceptor), net::detached);
  net::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](auto, int) { io.stop(); });
  io.run();
}
