#include "awork_mcp/oauth/discovery.hpp"

#include "awork_mcp/core/text.hpp"
#include "json_fields.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <stdexcept>

namespace awork_mcp {

namespace {

constexpr std::string_view protected_resource_suffix = "/.well-known/oauth-protected-resource";

// scheme://host[:port], lower case, the port only when not the default.
std::string origin_of(const endpoint& server) {
  return std::string(server.tls ? "https://" : "http://") + lower(server.host_header());
}

// The path without query or fragment and without trailing "/": empty for the root.
std::string_view canonical_path(std::string_view target) {
  auto path = target.substr(0, target.find_first_of("?#"));
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return path;
}

bool is_http_url(std::string_view text) {
  auto parsed = boost::urls::parse_uri(text);
  if (!parsed || !parsed->has_authority() || parsed->encoded_host().empty()) return false;
  const auto scheme = lower(parsed->scheme());
  return scheme == "https" || scheme == "http";
}

// The canonical form of a URL the server sent, or nullopt when it is not an http(s) URL.
std::optional<std::string> canonical_url(std::string_view url) {
  try {
    return canonical_resource(parse_endpoint(url));
  } catch (const std::exception&) {  // parse_endpoint's reasons, and allocation failures
    return std::nullopt;
  }
}

// RFC 9728 §3.3 (as the MCP specification reads it): the metadata's resource must be the
// server's URL or a path prefix of it, so that one resource may cover several endpoints.
bool covers(std::string_view resource, std::string_view server) {
  return server == resource || (server.size() > resource.size() && server.starts_with(resource) && server[resource.size()] == '/');
}

std::string quoted(std::string_view text) { return "\"" + printable(text, 200) + "\""; }

}  // namespace

std::string canonical_resource(const endpoint& server) {
  return origin_of(server) + std::string(canonical_path(server.target));
}

std::vector<std::string> protected_resource_metadata_urls(const endpoint& server, std::string_view hint) {
  std::vector<std::string> urls;
  auto add = [&](std::string url) {
    if (std::find(urls.begin(), urls.end(), url) == urls.end()) urls.push_back(std::move(url));
  };
  hint = trim(hint);
  if (!hint.empty() && is_http_url(hint)) add(std::string(hint));
  const auto origin = origin_of(server);
  if (auto path = canonical_path(server.target); !path.empty())
    add(origin + std::string(protected_resource_suffix) + std::string(path));
  add(origin + std::string(protected_resource_suffix));
  return urls;
}

std::vector<std::string> authorization_server_metadata_urls(std::string_view issuer) {
  auto parsed = boost::urls::parse_uri(issuer);
  if (!parsed || !is_http_url(issuer)) return {};
  const auto origin = lower(parsed->scheme()) + "://" + std::string(parsed->encoded_host_and_port());
  auto path = std::string_view(parsed->encoded_path());
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  const std::string p(path);
  if (p.empty()) return {origin + "/.well-known/oauth-authorization-server", origin + "/.well-known/openid-configuration"};
  return {origin + "/.well-known/oauth-authorization-server" + p, origin + "/.well-known/openid-configuration" + p,
          origin + p + "/.well-known/openid-configuration"};
}

parsed_resource_metadata parse_protected_resource_metadata(std::string_view json, const endpoint& server) {
  auto object = oauth_json::parse_object(json);
  if (!object) return {std::nullopt, "the protected-resource metadata is not a JSON object"};
  const auto* resource = oauth_json::string_at(*object, "resource");
  if (!resource || resource->empty()) return {std::nullopt, "the protected-resource metadata has no resource"};
  const auto* servers = object->if_contains("authorization_servers");
  if (!servers || !servers->is_array() || servers->get_array().empty())
    return {std::nullopt, "the protected-resource metadata names no authorization_servers"};
  protected_resource_metadata m;
  m.resource = std::string(*resource);
  for (const auto& s : servers->get_array()) {
    if (!s.is_string() || s.get_string().empty())
      return {std::nullopt, "the protected-resource metadata's authorization_servers holds something that is not a URL"};
    m.authorization_servers.emplace_back(s.get_string());
  }
  const auto expected = canonical_resource(server);
  const auto named = canonical_url(m.resource);
  if (!named || !covers(*named, expected))
    return {std::nullopt, "the protected-resource metadata is for resource " + quoted(m.resource) + ", not for " + expected};
  m.scopes_supported = oauth_json::strings_at(*object, "scopes_supported");
  return {std::move(m), {}};
}

parsed_server_metadata parse_authorization_server_metadata(std::string_view json, std::string_view expected_issuer) {
  auto object = oauth_json::parse_object(json);
  if (!object) return {std::nullopt, "the authorization server metadata is not a JSON object"};
  const auto* issuer = oauth_json::string_at(*object, "issuer");
  if (!issuer) return {std::nullopt, "the authorization server metadata has no issuer"};
  // RFC 8414 §3.3: exactly equal, not equivalent; anything else may be a mix-up attack.
  if (*issuer != expected_issuer)
    return {std::nullopt, "the authorization server metadata is for issuer " + quoted(*issuer) + ", not " +
                              quoted(expected_issuer) + " (RFC 8414 §3.3)"};
  authorization_server_metadata m;
  m.issuer = std::string(*issuer);
  for (auto [name, into] : {std::pair{"authorization_endpoint", &m.authorization_endpoint},
                            std::pair{"token_endpoint", &m.token_endpoint}}) {
    const auto* url = oauth_json::string_at(*object, name);
    if (!url) return {std::nullopt, "the authorization server metadata has no " + std::string(name)};
    if (!is_http_url(*url)) return {std::nullopt, "the authorization server metadata's " + std::string(name) + " is not an http(s) URL"};
    *into = std::string(*url);
  }
  m.registration_endpoint = oauth_json::string_or_empty(*object, "registration_endpoint");
  m.revocation_endpoint = oauth_json::string_or_empty(*object, "revocation_endpoint");
  m.scopes_supported = oauth_json::strings_at(*object, "scopes_supported");
  m.code_challenge_methods_supported = oauth_json::strings_at(*object, "code_challenge_methods_supported");
  m.token_endpoint_auth_methods_supported = oauth_json::strings_at(*object, "token_endpoint_auth_methods_supported");
  m.client_id_metadata_document_supported = oauth_json::is_true(*object, "client_id_metadata_document_supported");
  m.authorization_response_iss_parameter_supported =
      oauth_json::is_true(*object, "authorization_response_iss_parameter_supported");
  const auto& methods = m.code_challenge_methods_supported;
  if (std::find(methods.begin(), methods.end(), "S256") == methods.end())
    return {std::nullopt, "the authorization server does not advertise PKCE S256 (code_challenge_methods_supported)"};
  return {std::move(m), {}};
}

std::string legacy_issuer(const endpoint& server) { return origin_of(server); }

authorization_server_metadata legacy_default_endpoints(const endpoint& server) {
  const auto origin = origin_of(server);
  authorization_server_metadata m;
  m.issuer = origin;
  m.authorization_endpoint = origin + "/authorize";
  m.token_endpoint = origin + "/token";
  m.registration_endpoint = origin + "/register";
  m.code_challenge_methods_supported = {"S256"};
  m.from_defaults = true;
  return m;
}

}  // namespace awork_mcp
