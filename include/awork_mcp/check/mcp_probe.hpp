#pragma once
// `awork-mcp check`: the MCP requests it sends and what it reads from their answers. Pure: text
// in, text and values out.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace awork_mcp {

/// The MCP version the check's initialize asks for (the newest before 2026-07-28).
inline constexpr std::string_view check_legacy_version = "2025-11-25";

/// The clientInfo the check's requests carry.
std::string check_client_info();

/// The check's initialize request, with id `id_json`.
std::string check_initialize_request(std::string_view id_json);

/// A tools/list request (for `cursor`, if not empty), without _meta.
std::string tools_list_request(std::string_view id_json, std::string_view cursor);

/// The JSON-RPC response with id `id_json` in a reply: the body itself (application/json, an
/// object with that id), or the data of the message event that carries it (text/event-stream).
/// nullopt when there is none.
std::optional<std::string> response_in_reply(std::string_view media_type, std::string_view body,
                                             std::string_view id_json);

/// What to do after the answer to server/discover.
enum class discover_next {
  modern,     ///< a 2026-07-28 server: carry on statelessly
  ask_again,  ///< -32022 naming 2026-07-28: ask once more
  initialize, ///< not a 2026-07-28 server: the legacy handshake
  stop,       ///< the answer settles authentication already (401, 403, 429, a redirect)
};
/// `status` is the HTTP status, `reply_line` the JSON-RPC response (or the error body), if any.
discover_next after_discover(unsigned status, std::string_view reply_line);

/// What the handshake's answer says about the server.
struct server_identity {
  std::string name, version, protocol_version;
  std::string error;  ///< the JSON-RPC error's message, or why the answer is unreadable
};
/// From an initialize response line.
server_identity identity_from_initialize(std::string_view line);
/// From a server/discover response line (serverInfo in result._meta or result; protocol 2026-07-28).
server_identity identity_from_discover(std::string_view line);

/// One page of a tools/list answer.
struct tool_page {
  std::size_t count = 0;
  std::string next_cursor;  ///< empty: the last page
  std::string error;        ///< a JSON-RPC error's message, or why the answer is unreadable
};
tool_page read_tool_page(std::string_view line);

}  // namespace awork_mcp
