// bench_upstream: a minimal, fast Streamable HTTP MCP server on 127.0.0.1, so that a benchmark
// measures the bridge and not the server. One thread, async, keep-alive.
//
//   bench_upstream [--port N] [--mode json|sse|modern]
// Prints "listening <port>" on stdout once ready. Tools: echo {message}, blob {bytes}.
// json and sse: a 2025 server (initialize, Mcp-Session-Id), replying as JSON or as SSE.
// modern: a server that speaks only MCP 2026-07-28 (stateless, JSON replies): server/discover,
// and every request must carry the protocol version in its _meta and the MCP-Protocol-Version,
// Mcp-Method and Mcp-Name headers that match it; initialize is refused as that revision says.

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = net::ip::tcp;

namespace {

enum class reply_mode { json, sse, modern };
reply_mode mode = reply_mode::json;
unsigned session_counter = 0;

constexpr std::string_view modern_version = "2026-07-28";

json::object tools_list() {
  json::object echo_schema{{"type", "object"}, {"properties", {{"message", {{"type", "string"}}}}}};
  json::object blob_schema{{"type", "object"}, {"properties", {{"bytes", {{"type", "integer"}}}}}};
  return {{"tools", json::array{json::object{{"name", "echo"}, {"description", "Echoes the message"}, {"inputSchema", echo_schema}},
                                json::object{{"name", "blob"}, {"description", "Returns N bytes of text"}, {"inputSchema", blob_schema}}}}};
}

json::object call_result(const json::object& request) {
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
  if (method == "tools/call") return call_result(request);
  return json::object{};
}

// ---- modern (2026-07-28) ----------------------------------------------------------------------

// A list result (tools/list, server/discover) may be cached: the bench's never changes.
void cacheable(json::object& result) {
  result["ttlMs"] = 3'600'000;
  result["cacheScope"] = "public";
}

// serverInfo is in _meta, as 2026-07-28 has it. Only discover names it: the revision would have it
// on every result (SHOULD), but a call's reply is kept as small as the 2025 modes'.
json::object discover_result() {
  json::object result{{"supportedVersions", json::array{modern_version}},
                      {"capabilities", {{"tools", json::object{}}}},
                      {"_meta", {{"io.modelcontextprotocol/serverInfo", {{"name", "bench-upstream"}, {"version", "1.0.0"}}}}}};
  cacheable(result);
  return result;
}

std::string_view header(const http::request<http::string_body>& req, std::string_view name) {
  auto it = req.find(name);
  return it == req.end() ? std::string_view() : std::string_view(it->value().data(), it->value().size());
}

/// A JSON-RPC error under an HTTP status: how 2026-07-28 refuses a request (400 for version and
/// header errors, 404 for an unknown method). A notification's error has no id.
void refuse(http::response<http::string_body>& res, http::status status, const json::value* id, int code,
            std::string_view message, json::value data = nullptr) {
  json::object error{{"code", code}, {"message", message}};
  if (!data.is_null()) error["data"] = std::move(data);
  json::object response{{"jsonrpc", "2.0"}};
  if (id) response["id"] = *id;
  response["error"] = std::move(error);
  res.result(status);
  res.set(http::field::content_type, "application/json");
  res.body() = json::serialize(response);
}

void handle_modern(const http::request<http::string_body>& req, http::response<http::string_body>& res) {
  // A modern-only server has no GET stream and no sessions to DELETE.
  if (req.method() != http::verb::post) {
    res.result(http::status::method_not_allowed);
    return;
  }
  boost::system::error_code ec;
  auto message = json::parse(req.body(), ec);
  if (ec) return refuse(res, http::status::bad_request, nullptr, -32700, "Parse error");
  const auto* object = message.if_object();
  const auto* method_value = object ? object->if_contains("method") : nullptr;
  if (!method_value || !method_value->is_string())  // clients send no responses in 2026-07-28
    return refuse(res, http::status::bad_request, nullptr, -32600, "Invalid Request");
  const auto& method = method_value->get_string();
  const auto* id = object->if_contains("id");
  const auto* params = object->if_contains("params");
  const auto* params_object = params ? params->if_object() : nullptr;
  const auto* meta = params_object ? params_object->if_contains("_meta") : nullptr;
  const auto* meta_object = meta ? meta->if_object() : nullptr;
  const auto* version = meta_object ? meta_object->if_contains("io.modelcontextprotocol/protocolVersion") : nullptr;

  // No version in _meta (a legacy client, initialize among them) or another one: name the
  // version this server speaks, so that a dual-era client can retry and a legacy one can say why.
  if (method == "initialize" || !version || !version->is_string() || version->get_string() != modern_version) {
    std::string requested;
    if (version && version->is_string())
      requested = version->get_string();
    else if (const auto* asked = params_object ? params_object->if_contains("protocolVersion") : nullptr;
             asked && asked->is_string())
      requested = asked->get_string();
    else
      requested = header(req, "MCP-Protocol-Version");
    return refuse(res, http::status::bad_request, id, -32022, "Unsupported protocol version",
                  json::object{{"supported", json::array{modern_version}}, {"requested", requested}});
  }
  // The headers must mirror the body (server validation); a bridge that gets them wrong fails here.
  std::string_view mismatch;
  if (header(req, "MCP-Protocol-Version") != modern_version)
    mismatch = "MCP-Protocol-Version";
  else if (header(req, "Mcp-Method") != method)
    mismatch = "Mcp-Method";
  else if (method == "tools/call") {
    const auto* name = params_object->if_contains("name");
    if (!name || !name->is_string() || header(req, "Mcp-Name") != name->get_string()) mismatch = "Mcp-Name";
  }
  if (!mismatch.empty())
    return refuse(res, http::status::bad_request, id, -32020, "Header mismatch: " + std::string(mismatch));
  if (!id) {
    res.result(http::status::accepted);
    return;
  }

  json::object result;
  if (method == "server/discover") {
    result = discover_result();
  } else if (method == "tools/list") {
    result = tools_list();
    cacheable(result);
  } else if (method == "tools/call") {
    result = call_result(*object);
  } else {
    return refuse(res, http::status::not_found, id, -32601, "Method not found");
  }
  result["resultType"] = "complete";
  json::object response{{"jsonrpc", "2.0"}, {"id", *id}, {"result", std::move(result)}};
  res.set(http::field::content_type, "application/json");
  res.body() = json::serialize(response);
}

http::response<http::string_body> handle(const http::request<http::string_body>& req) {
  http::response<http::string_body> res{http::status::ok, req.version()};
  res.keep_alive(req.keep_alive());
  if (mode == reply_mode::modern) {
    handle_modern(req, res);
    res.prepare_payload();
    return res;
  }
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
  if (mode == reply_mode::sse) {
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
    if (std::strcmp(argv[i], "--mode") == 0) {
      const std::string_view name = argv[i + 1];
      if (name == "sse")
        mode = reply_mode::sse;
      else if (name == "modern")
        mode = reply_mode::modern;
      else if (name != "json") {
        std::cerr << "bench_upstream: unknown --mode " << name << " (json, sse or modern)\n";
        return 2;
      }
    }
  }
  net::io_context io{1};
  tcp::acceptor acceptor(io, {net::ip::make_address("127.0.0.1"), port});
  std::cout << "listening " << acceptor.local_endpoint().port() << std::endl;
  net::co_spawn(io, listen(acceptor), net::detached);
  net::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](auto, int) { io.stop(); });
  io.run();
}
