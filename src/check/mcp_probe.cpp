#include "awork_mcp/check/mcp_probe.hpp"

#include "awork_mcp/core/json_text.hpp"
#include "awork_mcp/core/sse_parser.hpp"
#include "awork_mcp/era/modern_wire.hpp"
#include "awork_mcp/version.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace awork_mcp {

namespace {

namespace json = boost::json;

std::optional<json::object> parsed_object(std::string_view text) {
  boost::system::error_code ec;
  auto value = parse_json(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.get_object());
}

std::string string_at(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

// The error's message (with its code), or empty when the response is not an error.
std::string error_of(const json::object& response) {
  const auto* error = object_at(response, "error");
  if (!error) return {};
  std::string message = string_at(*error, "message");
  if (const auto* code = error->if_contains("code"); code && code->is_int64())
    message += (message.empty() ? "" : " ") + ("(" + std::to_string(code->get_int64()) + ")");
  return message.empty() ? std::string("an error without a message") : message;
}

bool has_id(std::string_view text, std::string_view id_json) {
  const auto object = parsed_object(text);
  if (!object) return false;
  const auto* id = object->if_contains("id");
  return id && json::serialize(*id) == id_json && (object->contains("result") || object->contains("error"));
}

void read_server_info(const json::object* info, server_identity& identity) {
  if (!info) return;
  identity.name = string_at(*info, "name");
  identity.version = string_at(*info, "version");
}

}  // namespace

std::string check_client_info() {
  return json::serialize(json::object{{"name", "awork-mcp-check"}, {"version", version}});
}

std::string check_initialize_request(std::string_view id_json) {
  return R"({"jsonrpc":"2.0","id":)" + std::string(id_json) +
         R"(,"method":"initialize","params":{"protocolVersion":")" + std::string(check_legacy_version) +
         R"(","capabilities":{},"clientInfo":)" + check_client_info() + "}}";
}

std::string tools_list_request(std::string_view id_json, std::string_view cursor) {
  std::string out = R"({"jsonrpc":"2.0","id":)" + std::string(id_json) + R"(,"method":"tools/list")";
  if (!cursor.empty()) out += R"(,"params":{"cursor":)" + json::serialize(json::string(cursor)) + "}";
  return out + "}";
}

std::optional<std::string> response_in_reply(std::string_view media_type, std::string_view body,
                                             std::string_view id_json) {
  if (media_type == "application/json") {
    if (has_id(body, id_json)) return std::string(body);
    return std::nullopt;
  }
  if (media_type != "text/event-stream") return std::nullopt;
  sse_parser parser;
  for (auto& event : parser.feed(body))
    if (event.is_message() && has_id(event.data, id_json)) return std::move(event.data);
  // A stream that ends without the blank line after its last event: that event counts too.
  for (auto& event : parser.feed("\n\n"))
    if (event.is_message() && has_id(event.data, id_json)) return std::move(event.data);
  return std::nullopt;
}

discover_next after_discover(unsigned status, std::string_view reply_line) {
  if (status == 0 || status == 401 || status == 403 || status == 429 || (status >= 300 && status < 400))
    return discover_next::stop;
  const auto verdict = judge_probe(status >= 200 && status < 300 ? 200 : status, reply_line);
  if (verdict == era_verdict::modern) return discover_next::modern;
  if (verdict == era_verdict::retry_modern) return discover_next::ask_again;
  return discover_next::initialize;
}

server_identity identity_from_initialize(std::string_view line) {
  server_identity identity;
  const auto response = parsed_object(line);
  if (!response) {
    identity.error = "the answer is not a JSON object";
    return identity;
  }
  if (identity.error = error_of(*response); !identity.error.empty()) return identity;
  const auto* result = object_at(*response, "result");
  if (!result) {
    identity.error = "the answer has no result";
    return identity;
  }
  identity.protocol_version = string_at(*result, "protocolVersion");
  read_server_info(object_at(*result, "serverInfo"), identity);
  return identity;
}

server_identity identity_from_discover(std::string_view line) {
  server_identity identity;
  const auto response = parsed_object(line);
  const auto* result = response ? object_at(*response, "result") : nullptr;
  if (!result) {
    identity.error = response ? error_of(*response) : std::string();
    if (identity.error.empty()) identity.error = "the answer has no result";
    return identity;
  }
  identity.protocol_version = std::string(modern_protocol_version);
  const auto* meta = object_at(*result, "_meta");
  const auto* info = meta ? object_at(*meta, "io.modelcontextprotocol/serverInfo") : nullptr;
  read_server_info(info ? info : object_at(*result, "serverInfo"), identity);
  return identity;
}

tool_page read_tool_page(std::string_view line) {
  tool_page page;
  const auto response = parsed_object(line);
  if (!response) {
    page.error = "the answer is not a JSON object";
    return page;
  }
  if (page.error = error_of(*response); !page.error.empty()) return page;
  const auto* result = object_at(*response, "result");
  const auto* tools = result ? result->if_contains("tools") : nullptr;
  if (!tools || !tools->is_array()) {
    page.error = "the answer has no tools array";
    return page;
  }
  page.count = tools->get_array().size();
  page.next_cursor = string_at(*result, "nextCursor");
  return page;
}

}  // namespace awork_mcp
