#pragma once
// MCP 2026-07-28 (stateless) requests from a legacy editor's messages: the `_meta` every request
// carries, the Mcp-Method / Mcp-Name headers, server/discover, the initialize result a legacy
// editor expects (made from server/discover's), and the era a probe's answer shows.

#include "awork_mcp/core/request_builder.hpp"

#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace awork_mcp {

inline constexpr std::string_view modern_protocol_version = "2026-07-28";
/// What a legacy editor is told when it asked for a version the bridge cannot vouch for.
inline constexpr std::string_view newest_legacy_version = "2025-11-25";

/// What a modern request says about the client, taken from the editor's initialize (JSON texts).
struct client_context {
  std::string capabilities = "{}";  ///< params.capabilities of initialize, as sent
  std::string info;                 ///< params.clientInfo as sent; empty: none given
  std::string log_level;            ///< from logging/setLevel; empty: none
};

/// The client context of an initialize request (its capabilities and clientInfo, verbatim).
client_context client_context_from_initialize(std::string_view initialize_body);

/// What …/clientInfo says when the editor gave none: the bridge itself (servers and the conformance
/// suite expect a clientInfo on every request).
inline constexpr std::string_view default_client_info = R"({"name":"awork-mcp-bridge","version":"1"})";

/// The request with params._meta holding io.modelcontextprotocol/protocolVersion,
/// …/clientCapabilities, …/clientInfo (the editor's, else default_client_info) and …/logLevel
/// (when set), merged into any _meta it has (the editor's progressToken stays); params is created
/// when absent. Every other byte is kept. nullopt if the body is not an object with a string
/// method (a request or notification), or its params is neither an object nor null.
std::optional<std::string> with_modern_meta(std::string_view request_body, const client_context& client);

/// `Mcp-Method` for every message with a method; `Mcp-Name` from params.name (tools/call,
/// prompts/get) or params.uri (resources/read), encoded with encode_header_value (so is a method
/// that is not plain printable ASCII). Empty for responses, batches and anything not an object.
header_list standard_headers(std::string_view body);

/// A header value as 2026-07-28 carries it: as is when it is plain printable ASCII without
/// leading or trailing whitespace, else `=?base64?<base64 of the UTF-8 bytes>?=` (also when the
/// value itself looks like that form, in any letter case). The empty value is plain.
std::string encode_header_value(std::string_view value);

/// The server/discover request the bridge sends first (the era probe), with id `id_json`.
std::string discover_request(std::string_view id_json, const client_context& client);

/// The answer to the editor's initialize (id `editor_id_json`) made from a server/discover
/// response line: protocolVersion is the editor's own request when it is a legacy version
/// (2024-11-05 … 2025-11-25), else newest_legacy_version; capabilities, serverInfo (from
/// result._meta["io.modelcontextprotocol/serverInfo"] or result.serverInfo) and instructions
/// come from the discover result (serverInfo {"name":"unknown","version":"0"} when it has none).
/// The listChanged and subscribe flags of tools, prompts and resources are left out: the bridge
/// does not relay subscriptions yet. nullopt if the line is not a discover result (a result
/// object with a supportedVersions array).
std::optional<std::string> initialize_response_from_discover(std::string_view discover_line,
                                                             std::string_view editor_initialize_body,
                                                             std::string_view editor_id_json);

/// The protocol version a request names in params._meta["io.modelcontextprotocol/protocolVersion"]
/// (a modern editor's request); empty if it names none.
std::string requested_protocol_version(std::string_view request_body);

/// Whether a capabilities object says `true` for `flag` in its `kind` section (tools.listChanged,
/// resources.subscribe, ...).
bool capability_says(std::string_view capabilities, std::string_view kind, std::string_view flag);

/// The subscriptions/listen request (id `id_json`) for the list changes a server offers: the
/// tools, prompts and resources whose capabilities in its discover result say listChanged, and
/// the `resource_uris` the editor subscribed to when its resources capability says subscribe.
/// nullopt when there is nothing to listen for.
std::optional<std::string> listen_request(std::string_view discover_line, std::string_view id_json,
                                          const client_context& client,
                                          const std::set<std::string>& resource_uris = {});

/// What the answer to the probe says about the server's era.
enum class era_verdict {
  modern,         ///< a discover result that lists 2026-07-28
  retry_modern,   ///< -32022 UnsupportedProtocolVersion whose data.supported lists 2026-07-28
  legacy,         ///< anything else: fall back to initialize
};
/// `status` is the HTTP status; `body` the response line or the error body (may be empty).
era_verdict judge_probe(unsigned status, std::string_view body);

}  // namespace awork_mcp
