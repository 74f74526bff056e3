#pragma once
// What the token store keeps for one server, as JSON: which authorization server and client
// signed in, and the tokens. Files are named by a hash of the server's canonical URI; clients
// registered with an authorization server are kept by issuer, so a moved server registers again.

#include "awork_mcp/oauth/token_exchange.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace awork_mcp {

struct sign_in_record {
  std::string resource;   ///< canonical URI of the MCP server (the store's key)
  std::string resource_indicator;  ///< the RFC 8707 `resource` sent: the metadata's, verbatim
  std::string issuer;
  std::string token_endpoint;
  std::string revocation_endpoint;
  client_identity client;
  std::string redirect_uri;
  token_set tokens;
};

std::string to_json(const sign_in_record& record);
/// nullopt for a file that is not a sign-in record (it is then treated as absent).
std::optional<sign_in_record> sign_in_record_from_json(std::string_view json);

/// Whether a stored sign-in may serve a run configured with this client id (empty: none given,
/// any client will do). A grant belongs to the client that obtained it: after a change of
/// --client-id the old sign-in is not used, and the next sign-in replaces it.
bool sign_in_serves_client(const sign_in_record& record, std::string_view configured_client_id);

struct registered_client {
  std::string issuer;
  std::string redirect_uri;
  client_identity client;
};
std::string to_json(const registered_client& client);
std::optional<registered_client> registered_client_from_json(std::string_view json);

/// A file name for a key (server URI or issuer): 16 hex digits of its SHA-256, so that names are
/// short, safe on every file system, and reveal nothing.
std::string store_file_name(std::string_view key);

}  // namespace awork_mcp
