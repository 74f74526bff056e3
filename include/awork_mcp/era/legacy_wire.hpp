#pragma once
// A modern (2026-07-28) editor in front of a legacy server: the initialize handshake the bridge
// makes on the editor's behalf, from what the editor's first request says about itself in its
// `_meta`, and the server/discover result the editor expects, made from the initialize result.

#include <optional>
#include <string>
#include <string_view>

namespace awork_mcp {

/// The initialize request (id `id_json`) for a legacy server, from a modern request's
/// params._meta: its clientCapabilities and clientInfo (the bridge's own when absent), asking for
/// the newest legacy version.
std::string initialize_request_from_meta(std::string_view modern_request, std::string_view id_json);

/// The server/discover answer (id `editor_id_json`) made from an initialize response line:
/// supportedVersions ["2026-07-28"], the server's capabilities (minus resources.subscribe and the
/// listChanged flags, which this direction does not carry), its serverInfo in
/// _meta["io.modelcontextprotocol/serverInfo"], its instructions, resultType "complete", ttlMs 0,
/// cacheScope "private". nullopt if the line is not an initialize result.
std::optional<std::string> discover_response_from_initialize(std::string_view initialize_line,
                                                             std::string_view editor_id_json);

/// A legacy server's response as a 2026-07-28 editor must see it: results get resultType
/// "complete" when they lack one, and the results of list methods and resources/read get ttlMs 0
/// and cacheScope "private" (a modern client refuses them without). Errors and every other byte
/// stay as they are.
std::string modern_result(std::string_view response_line, std::string_view method);

/// The error the bridge returns to a legacy server for a request it sent to a 2026-07-28 editor,
/// which has no server-to-client requests: a response line for `server_request_id_json`.
std::string unjoinable_server_request(std::string_view server_request_id_json, std::string_view method);

}  // namespace awork_mcp
