#include "awork_mcp/era/legacy_wire.hpp"

#include "awork_mcp/core/json_text.hpp"
#include "awork_mcp/core/json_splice.hpp"
#include "awork_mcp/era/modern_wire.hpp"

#include <algorithm>

namespace awork_mcp {

std::string initialize_request_from_meta(std::string_view modern_request, std::string_view id_json) {
  std::string capabilities = "{}";
  std::string info(default_client_info);
  if (const auto params = object_member(modern_request, "params"))
    if (const auto meta = object_member(*params, "_meta")) {
      if (const auto given = object_member(*meta, "io.modelcontextprotocol/clientCapabilities")) capabilities = *given;
      if (const auto given = object_member(*meta, "io.modelcontextprotocol/clientInfo")) info = *given;
    }
  return R"({"jsonrpc":"2.0","id":)" + std::string(id_json) +
         R"(,"method":"initialize","params":{"protocolVersion":)" + json_quote(newest_legacy_version) +
         R"(,"capabilities":)" + capabilities + R"(,"clientInfo":)" + info + "}}";
}

std::optional<std::string> discover_response_from_initialize(std::string_view initialize_line,
                                                             std::string_view editor_id_json) {
  const auto result = object_member(initialize_line, "result");
  if (!result || !member_text(*result, "protocolVersion")) return std::nullopt;
  std::string capabilities = "{}";
  if (const auto given = object_member(*result, "capabilities")) capabilities = *given;
  const auto server_info = object_member(*result, "serverInfo");
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
  const auto result = object_member(response_line, "result");
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

namespace {

constexpr std::string_view subscription_id_key = "io.modelcontextprotocol/subscriptionId";

/// `line` with `id_json` under params._meta's subscription id key (params and _meta made if absent).
std::optional<std::string> stamped(std::string_view line, std::string_view id_json) {
  const std::string params(object_member(line, "params").value_or("{}"));
  const std::string meta(object_member(params, "_meta").value_or("{}"));
  auto new_meta = set_member(meta, subscription_id_key, id_json);
  if (!new_meta) return std::nullopt;
  auto new_params = set_member(params, "_meta", *new_meta);
  if (!new_params) return std::nullopt;
  return set_member(line, "params", *new_params);
}

}  // namespace

std::optional<legacy_listen> plan_legacy_listen(std::string_view listen_request, std::string_view initialize_line) {
  const auto id = member_text(listen_request, "id");
  const auto params = object_member(listen_request, "params");
  const auto filter = params ? object_member(*params, "notifications") : std::nullopt;
  if (!id || !filter) return std::nullopt;
  const auto result = object_member(initialize_line, "result");
  const std::string capabilities(result ? object_member(*result, "capabilities").value_or("{}") : "{}");
  legacy_listen listen;
  listen.id_json = std::string(*id);
  listen.tools = member_is_true(*filter, "toolsListChanged") && capability_says(capabilities, "tools", "listChanged");
  listen.prompts = member_is_true(*filter, "promptsListChanged") && capability_says(capabilities, "prompts", "listChanged");
  listen.resources = member_is_true(*filter, "resourcesListChanged") && capability_says(capabilities, "resources", "listChanged");
  const auto uris = member_text(*filter, "resourceSubscriptions");
  if (uris && capability_says(capabilities, "resources", "subscribe")) {
    boost::system::error_code ec;
    const auto parsed = parse_json(*uris, ec);
    if (!ec && parsed.is_array()) {
      listen.subscriptions = true;
      for (const auto& uri : parsed.get_array())
        if (uri.is_string() &&
            std::find(listen.resource_uris.begin(), listen.resource_uris.end(), uri.get_string()) == listen.resource_uris.end())
          listen.resource_uris.emplace_back(uri.get_string());
    }
  }
  return listen;
}

std::string listen_acknowledgement(const legacy_listen& listen) {
  std::string filter;
  auto add = [&](std::string_view member) {
    filter += filter.empty() ? "" : ",";
    filter += member;
  };
  if (listen.tools) add(R"("toolsListChanged":true)");
  if (listen.prompts) add(R"("promptsListChanged":true)");
  if (listen.resources) add(R"("resourcesListChanged":true)");
  if (listen.subscriptions) {
    std::string list;
    for (const auto& uri : listen.resource_uris) list += (list.empty() ? "" : ",") + json_quote(uri);
    add(R"("resourceSubscriptions":[)" + list + "]");
  }
  return R"({"jsonrpc":"2.0","method":"notifications/subscriptions/acknowledged","params":{"notifications":{)" +
         filter + R"(},"_meta":{)" + json_quote(subscription_id_key) + ":" + listen.id_json + "}}}";
}

std::optional<std::string> listen_notification(const legacy_listen& listen, std::string_view notification_line) {
  if (member_text(notification_line, "id")) return std::nullopt;  // a request or a response
  const auto method_text = member_text(notification_line, "method");
  const auto method = method_text ? json_unquote(*method_text) : std::nullopt;
  if (!method) return std::nullopt;
  bool wanted = false;
  if (*method == "notifications/tools/list_changed") wanted = listen.tools;
  if (*method == "notifications/prompts/list_changed") wanted = listen.prompts;
  if (*method == "notifications/resources/list_changed") wanted = listen.resources;
  if (*method == "notifications/resources/updated") {
    const auto params = object_member(notification_line, "params");
    const auto uri_text = params ? member_text(*params, "uri") : std::nullopt;
    const auto uri = uri_text ? json_unquote(*uri_text) : std::nullopt;
    wanted = uri && std::find(listen.resource_uris.begin(), listen.resource_uris.end(), *uri) != listen.resource_uris.end();
  }
  if (!wanted) return std::nullopt;
  return stamped(notification_line, listen.id_json);
}

}  // namespace awork_mcp
