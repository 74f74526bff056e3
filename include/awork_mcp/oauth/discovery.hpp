#pragma once
// Where an MCP client looks for the OAuth metadata of a server, and what it accepts from it:
// RFC 9728 protected-resource metadata, RFC 8414 / OpenID Connect authorization-server metadata,
// in the order the MCP authorization specification gives, and the 2025-03-26 fallbacks.

#include "awork_mcp/core/endpoint.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace awork_mcp {

/// RFC 8707 canonical URI of the MCP server: scheme and host in lower case, the port only when
/// not the default, the path without a trailing "/" (none at all for the root), no query or fragment.
std::string canonical_resource(const endpoint& server);

/// Protected-resource metadata URLs to try, in order: the challenge's resource_metadata if any,
/// then origin/.well-known/oauth-protected-resource{path} (when the path is not "/"), then the root.
std::vector<std::string> protected_resource_metadata_urls(const endpoint& server, std::string_view hint);

/// Authorization-server metadata URLs for an issuer, in the MCP specification's order. With a
/// path component: oauth-authorization-server inserted before the path, openid-configuration
/// inserted, openid-configuration appended. Without: oauth-authorization-server, openid-configuration.
std::vector<std::string> authorization_server_metadata_urls(std::string_view issuer);

struct protected_resource_metadata {
  std::string resource;
  std::vector<std::string> authorization_servers;
  std::vector<std::string> scopes_supported;
};

/// Reads RFC 9728 metadata; an error text if it is not JSON, lacks `resource` or
/// `authorization_servers`, or names a resource that the server's URL is not under (§3.3).
struct parsed_resource_metadata {
  std::optional<protected_resource_metadata> metadata;
  std::string error;
};
parsed_resource_metadata parse_protected_resource_metadata(std::string_view json, const endpoint& server);

struct authorization_server_metadata {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string registration_endpoint;  ///< empty: no dynamic client registration
  std::string revocation_endpoint;    ///< empty: no RFC 7009 revocation
  std::vector<std::string> scopes_supported;
  std::vector<std::string> code_challenge_methods_supported;
  std::vector<std::string> token_endpoint_auth_methods_supported;
  bool client_id_metadata_document_supported = false;
  bool authorization_response_iss_parameter_supported = false;
  bool from_defaults = false;  ///< made up by the 2025-03-26 fallback, not read from the server
};

/// Reads RFC 8414 / OIDC metadata; an error text if it is not JSON, lacks an endpoint, its
/// issuer is not exactly `expected_issuer` (RFC 8414 §3.3), or it does not offer PKCE S256.
/// An absent code_challenge_methods_supported is refused too: the MCP specification requires it.
struct parsed_server_metadata {
  std::optional<authorization_server_metadata> metadata;
  std::string error;
};
parsed_server_metadata parse_authorization_server_metadata(std::string_view json, std::string_view expected_issuer);

/// 2025-03-26 servers without protected-resource metadata: the authorization server is the MCP
/// server's origin (its metadata at origin/.well-known/oauth-authorization-server).
std::string legacy_issuer(const endpoint& server);

/// 2025-03-26: with no metadata at all, the default endpoints /authorize, /token and /register
/// at the server's origin.
authorization_server_metadata legacy_default_endpoints(const endpoint& server);

}  // namespace awork_mcp
