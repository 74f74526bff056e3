#include "awork_mcp/era/legacy_wire.hpp"

#include "awork_mcp/era/json_splice.hpp"
#include "awork_mcp/era/modern_wire.hpp"

namespace awork_mcp {

namespace {

std::optional<std::string_view> object_value(std::string_view object_text, std::string_view key) {
  auto value = member_text(object_text, key);
  if (!value || value->empty() || value->front() != '{') return std::nullopt;
  return value;
}

}  // namespace

std::string initialize_request_from_meta(std::string_view modern_request, std::string_view id_json) {
  std::string capabilities = "{}";
  std::string info(default_client_info);
  if (const auto params = object_value(modern_request, "params"))
    if (const auto meta = object_value(*params, "_meta")) {
      if (const auto given = object_value(*meta, "io.modelcontextprotocol/clientCapabilities")) capabilities = *given;
      if (const auto given = object_value(*meta, "io.modelcontextprotocol/clientInfo")) info = *given;
    }
  return R"({"jsonrpc":"2.0","id":)" + std::string(id_json) +
         R"(,"method":"initialize","params":{"protocolVersion":)" + json_quote(newest_legacy_version) +
         R"(,"capabilities":)" + capabilities + R"(,"clientInfo":)" + info + "}}";
}

std::optional<std::string> discover_response_from_initialize(std::string_view initialize_line,
                                                             std::string_view editor_id_json) {
  const auto result = object_value(initialize_line, "result");
  if (!result || !member_text(*result, "protocolVersion")) return std::nullopt;
  std::string capabilities = "{}";
  if (const auto given = object_value(*result, "capabilities")) capabilities = *given;
  for (const std::string_view kind : {"tools", "prompts", "resources"}) {
    const auto section = object_value(capabilities, kind);
    if (!section) continue;
    auto stripped = remove_member(*section, "listChanged");
    if (stripped) stripped = remove_member(*stripped, "subscribe");
    if (!stripped) continue;
    if (auto next = set_member(capabilities, kind, *stripped)) capabilities = std::move(*next);
  }
  const auto server_info = object_value(*result, "serverInfo");
  std::string out = R"({"jsonrpc":"2.0","id":)" + std::string(editor_id_json) +
                    R"(,"result":{"resultType":"complete","supportedVersions":[)" + json_quote(modern_protocol_version) +
                    R"(],"capabilities":)" + capabilities;
  if (const auto instructions = member_text(*result, "instructions"); instructions && instructions->front() == '"')
    out += R"(,"instructions":)" + std::string(*instructions);
  out += R"(,"ttlMs":0,"cacheScope":"private","_meta":{"io.modelcontextprotocol/serverInfo":)" +
         std::string(server_info ? *server_info : std::string_view(R"({"name":"unknown","version":"0"})")) + "}}}";
  return out;
}

std::string modern_result(std::string_view response_line, std::string_view method) {
  const auto result = object_value(response_line, "result");
  if (!result) return std::string(response_line);
  std::string modern(*result);
  const bool cacheable = method == "tools/list" || method == "prompts/list" || method == "resources/list" ||
                         method == "resources/templates/list" || method == "resources/read";
  if (cacheable) {
    if (!member_text(modern, "cacheScope"))
      if (auto next = set_member(modern, "cacheScope", R"("private")")) modern = std::move(*next);
    if (!member_text(modern, "ttlMs"))
      if (auto next = set_member(modern, "ttlMs", "0")) modern = std::move(*next);
  }
  if (!member_text(modern, "resultType"))
    if (auto next = set_member(modern, "resultType", R"("complete")")) modern = std::move(*next);
  auto line = set_member(response_line, "result", modern);
  return line ? std::move(*line) : std::string(response_line);
}

std::string unjoinable_server_request(std::string_view server_request_id_json, std::string_view method) {
  const std::string message = "the client speaks MCP " + std::string(modern_protocol_version) +
                              ", which has no server-to-client requests; " + std::string(method) +
                              " cannot reach it through this bridge";
  return R"({"jsonrpc":"2.0","id":)" + std::string(server_request_id_json) +
         R"(,"error":{"code":-32601,"message":)" + json_quote(message) + "}}";
}

}  // namespace awork_mcp
