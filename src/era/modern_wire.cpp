#include "awork_mcp/era/modern_wire.hpp"

#include "awork_mcp/core/json_text.hpp"
#include "awork_mcp/core/json_splice.hpp"
#include "awork_mcp/oauth/pkce.hpp"

#include <boost/json/value.hpp>

#include <algorithm>
#include <array>
#include <span>

namespace awork_mcp {

namespace {

constexpr std::string_view meta_protocol_version = "io.modelcontextprotocol/protocolVersion";
constexpr std::string_view meta_client_capabilities = "io.modelcontextprotocol/clientCapabilities";
constexpr std::string_view meta_client_info = "io.modelcontextprotocol/clientInfo";
constexpr std::string_view meta_log_level = "io.modelcontextprotocol/logLevel";
constexpr std::string_view meta_server_info = "io.modelcontextprotocol/serverInfo";
constexpr std::string_view unknown_server_info = R"({"name":"unknown","version":"0"})";

constexpr std::array<std::string_view, 4> legacy_versions = {"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"};

// The members of the _meta every 2026-07-28 request carries, in the order they are written.
std::vector<std::pair<std::string_view, std::string>> meta_members(const client_context& client) {
  std::vector<std::pair<std::string_view, std::string>> members;
  members.emplace_back(meta_protocol_version, json_quote(modern_protocol_version));
  members.emplace_back(meta_client_capabilities, client.capabilities.empty() ? std::string("{}") : client.capabilities);
  members.emplace_back(meta_client_info, client.info.empty() ? std::string(default_client_info) : client.info);
  if (!client.log_level.empty()) members.emplace_back(meta_log_level, json_quote(client.log_level));
  return members;
}

std::string meta_object(const client_context& client) {
  std::string out = "{";
  for (const auto& [key, value] : meta_members(client)) {
    if (out.size() > 1) out += ',';
    out += json_quote(key);
    out += ':';
    out += value;
  }
  out += '}';
  return out;
}

bool array_has_string(const boost::json::value* array, std::string_view wanted) {
  if (!array || !array->is_array()) return false;
  const auto& items = array->get_array();
  return std::any_of(items.begin(), items.end(),
                     [&](const boost::json::value& v) { return v.is_string() && v.get_string() == wanted; });
}

bool looks_encoded(std::string_view value) {
  constexpr std::string_view prefix = "=?base64?";
  constexpr std::string_view suffix = "?=";
  if (value.size() < prefix.size() + suffix.size() || !value.ends_with(suffix)) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char c = value[i];
    const char lower = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower != prefix[i]) return false;
  }
  return true;
}

}  // namespace

client_context client_context_from_initialize(std::string_view initialize_body) {
  client_context client;
  boost::system::error_code ec;
  parse_json(initialize_body, ec);  // small, and the splice below wants valid JSON
  if (ec) return client;
  const auto params = object_member(initialize_body, "params");
  if (!params) return client;
  if (const auto capabilities = object_member(*params, "capabilities")) client.capabilities = *capabilities;
  if (const auto info = object_member(*params, "clientInfo")) client.info = *info;
  return client;
}

std::optional<std::string> with_modern_meta(std::string_view request_body, const client_context& client) {
  if (!string_member(request_body, "method")) return std::nullopt;
  const auto params = member_text(request_body, "params");
  if (!params || *params == "null") return set_member(request_body, "params", "{\"_meta\":" + meta_object(client) + "}");
  if (params->front() != '{') return std::nullopt;
  std::optional<std::string> new_params;
  if (const auto meta = object_member(*params, "_meta")) {
    // Set one by one, last first: each lands in front, so they end up in meta_members' order,
    // before the editor's own keys (progressToken).
    std::string merged(*meta);
    const auto members = meta_members(client);
    for (auto it = members.rbegin(); it != members.rend(); ++it) {
      auto next = set_member(merged, it->first, it->second);
      if (!next) return std::nullopt;
      merged = std::move(*next);
    }
    new_params = set_member(*params, "_meta", merged);
  } else {
    new_params = set_member(*params, "_meta", meta_object(client));
  }
  if (!new_params) return std::nullopt;
  return set_member(request_body, "params", *new_params);
}

header_list standard_headers(std::string_view body) {
  header_list headers;
  const auto method = string_member(body, "method");
  if (!method) return headers;
  headers.emplace_back("Mcp-Method", encode_header_value(*method));
  std::string_view field;
  if (*method == "tools/call" || *method == "prompts/get")
    field = "name";
  else if (*method == "resources/read")
    field = "uri";
  if (field.empty()) return headers;
  if (const auto params = object_member(body, "params"))
    if (const auto value = string_member(*params, field)) headers.emplace_back("Mcp-Name", encode_header_value(*value));
  return headers;
}

std::string encode_header_value(std::string_view value) {
  const bool printable = std::all_of(value.begin(), value.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u <= 0x7E;
  });
  const bool trimmed = value.empty() || (value.front() != ' ' && value.back() != ' ');
  if (printable && trimmed && !looks_encoded(value)) return std::string(value);
  const std::span<const unsigned char> bytes(reinterpret_cast<const unsigned char*>(value.data()), value.size());
  return "=?base64?" + base64(bytes) + "?=";
}

std::string discover_request(std::string_view id_json, const client_context& client) {
  std::string out = R"({"jsonrpc":"2.0","id":)";
  out += id_json;
  out += R"(,"method":"server/discover","params":{"_meta":)";
  out += meta_object(client);
  out += "}}";
  return out;
}

std::optional<std::string> initialize_response_from_discover(std::string_view discover_line,
                                                             std::string_view editor_initialize_body,
                                                             std::string_view editor_id_json) {
  boost::system::error_code ec;
  parse_json(discover_line, ec);  // a small answer; the splice below wants valid JSON
  if (ec) return std::nullopt;
  const auto result = object_member(discover_line, "result");
  if (!result) return std::nullopt;
  const auto versions = member_text(*result, "supportedVersions");
  if (!versions || versions->front() != '[') return std::nullopt;

  std::string version(newest_legacy_version);
  if (const auto params = object_member(editor_initialize_body, "params"))
    if (const auto asked = string_member(*params, "protocolVersion"))
      if (std::find(legacy_versions.begin(), legacy_versions.end(), *asked) != legacy_versions.end()) version = *asked;

  // The server's capabilities as they are: list changes and resource subscriptions are both
  // carried, through subscriptions/listen (see listen_request).
  std::string capabilities = "{}";
  if (const auto given = object_member(*result, "capabilities")) capabilities = *given;

  std::string_view server_info = unknown_server_info;
  const auto meta = object_member(*result, "_meta");
  if (const auto in_meta = meta ? object_member(*meta, meta_server_info) : std::nullopt)
    server_info = *in_meta;
  else if (const auto plain = object_member(*result, "serverInfo"))
    server_info = *plain;

  std::string out = R"({"jsonrpc":"2.0","id":)";
  out += editor_id_json;
  out += R"(,"result":{"protocolVersion":)";
  out += json_quote(version);
  out += R"(,"capabilities":)";
  out += capabilities;
  out += R"(,"serverInfo":)";
  out += server_info;
  if (const auto instructions = member_text(*result, "instructions"); instructions && instructions->front() == '"') {
    out += R"(,"instructions":)";
    out += *instructions;
  }
  out += "}}";
  return out;
}

era_verdict judge_probe(unsigned status, std::string_view body) {
  boost::system::error_code ec;
  const auto parsed = parse_json(body, ec);
  if (ec || !parsed.is_object()) return era_verdict::legacy;
  const auto& message = parsed.get_object();
  if (status == 200)
    if (const auto* result = object_at(message, "result"))
      if (array_has_string(result->if_contains("supportedVersions"), modern_protocol_version)) return era_verdict::modern;
  if (const auto* error = object_at(message, "error")) {
    const auto* code = error->if_contains("code");
    const auto* data = object_at(*error, "data");
    if (code && code->is_int64() && code->get_int64() == -32022 && data &&
        array_has_string(data->if_contains("supported"), modern_protocol_version))
      return era_verdict::retry_modern;
  }
  return era_verdict::legacy;
}

std::string requested_protocol_version(std::string_view request_body) {
  const auto params = member_text(request_body, "params");
  if (!params) return {};
  const auto meta = member_text(*params, "_meta");
  if (!meta) return {};
  const auto version = member_text(*meta, "io.modelcontextprotocol/protocolVersion");
  if (!version) return {};
  return json_unquote(*version).value_or("");
}

bool capability_says(std::string_view capabilities, std::string_view kind, std::string_view flag) {
  const auto section = object_member(capabilities, kind);
  return section && member_is_true(*section, flag);
}

std::optional<std::string> listen_request(std::string_view discover_line, std::string_view id_json,
                                          const client_context& client, const std::set<std::string>& resource_uris) {
  const auto result = object_member(discover_line, "result");
  if (!result) return std::nullopt;
  const auto capabilities = object_member(*result, "capabilities");
  if (!capabilities) return std::nullopt;
  std::string filter;
  for (const auto& [kind, name] : {std::pair<std::string_view, std::string_view>{"tools", "toolsListChanged"},
                                   {"prompts", "promptsListChanged"},
                                   {"resources", "resourcesListChanged"}}) {
    if (!capability_says(*capabilities, kind, "listChanged")) continue;
    filter += filter.empty() ? "" : ",";
    filter += "\"" + std::string(name) + "\":true";
  }
  if (!resource_uris.empty() && capability_says(*capabilities, "resources", "subscribe")) {
    filter += filter.empty() ? R"("resourceSubscriptions":[)" : R"(,"resourceSubscriptions":[)";
    for (auto uri = resource_uris.begin(); uri != resource_uris.end(); ++uri)
      filter += (uri == resource_uris.begin() ? "" : ",") + json_quote(*uri);
    filter += "]";
  }
  if (filter.empty()) return std::nullopt;
  const std::string bare = R"({"jsonrpc":"2.0","id":)" + std::string(id_json) +
                           R"(,"method":"subscriptions/listen","params":{"notifications":{)" + filter + "}}}";
  return with_modern_meta(bare, client);
}

}  // namespace awork_mcp
