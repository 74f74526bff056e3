#pragma once
// A modern (2026-07-28) editor in front of a legacy server: the initialize handshake the bridge
// makes on the editor's behalf, from what the editor's first request says about itself in its
// `_meta`, and the server/discover result the editor expects, made from the initialize result.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace awork_mcp {

/// The initialize request (id `id_json`) for a legacy server, from a modern request's
/// params._meta: its clientCapabilities and clientInfo (the bridge's own when absent), asking for
/// the newest legacy version.
std::string initialize_request_from_meta(std::string_view modern_request, std::string_view id_json);

/// The server/discover answer (id `editor_id_json`) made from an initialize response line:
/// supportedVersions ["2026-07-28"], the server's capabilities as they are (list changes and
/// resource subscriptions are carried, see legacy_listen), its serverInfo in
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

/// A 2026-07-28 editor's subscriptions/listen, carried for a legacy server: the list changes the
/// server's initialize result offers (listChanged) that the editor asked for, and the resources to
/// subscribe to in the server's session when it offers resources.subscribe. The notifications
/// come from the session's GET stream.
struct legacy_listen {
  std::string id_json;  ///< the listen request's id, stamped on every notification it carries
  bool tools = false;
  bool prompts = false;
  bool resources = false;
  bool subscriptions = false;              ///< resourceSubscriptions asked for and offered
  std::vector<std::string> resource_uris;  ///< to subscribe to; afterwards, those the server took

  bool operator==(const legacy_listen&) const = default;
};

/// The plan for a subscriptions/listen request line, given the server's initialize response
/// line; nullopt if the request has no params.notifications object or no id.
std::optional<legacy_listen> plan_legacy_listen(std::string_view listen_request, std::string_view initialize_line);

/// notifications/subscriptions/acknowledged for the editor: the filter honoured, and the listen's
/// id in _meta["io.modelcontextprotocol/subscriptionId"].
std::string listen_acknowledgement(const legacy_listen& listen);

/// A notification from the server's GET stream as this listen carries it to the editor (its id
/// stamped in params._meta), or nullopt if the listen did not ask for it.
std::optional<std::string> listen_notification(const legacy_listen& listen, std::string_view notification_line);

}  // namespace awork_mcp
