#include "awork_mcp/oauth/token_exchange.hpp"

#include "awork_mcp/core/text.hpp"
#include "awork_mcp/oauth/pkce.hpp"
#include "json_fields.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace awork_mcp {

namespace {

// RFC 6749 Appendix B: the form encoding of one name or value.
std::string form_component(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[byte >> 4];
      out += hex[byte & 0x0F];
    }
  }
  return out;
}

// Client authentication added to a grant's fields (RFC 6749 §2.3.1). With basic the identifier and
// secret are form-encoded before base64, as the RFC says (and as some clients forget).
token_request with_client(const client_identity& client, form_fields fields) {
  token_request request;
  switch (client.auth) {
    case client_auth::none:
      fields.emplace_back("client_id", client.client_id);
      break;
    case client_auth::post:
      fields.emplace_back("client_id", client.client_id);
      fields.emplace_back("client_secret", client.client_secret);
      break;
    case client_auth::basic: {
      const auto credentials = form_component(client.client_id) + ":" + form_component(client.client_secret);
      request.authorization = "Basic " + base64({reinterpret_cast<const unsigned char*>(credentials.data()), credentials.size()});
      break;
    }
  }
  request.body = form_encode(fields);
  return request;
}

// expires_in is a number of seconds; some servers send it as a string or with a fraction. Values
// that are negative or absurd (past a century) are ignored rather than allowed to overflow.
std::optional<std::chrono::seconds> lifetime(const boost::json::value& value) {
  boost::json::value number = value;
  if (value.is_string()) {
    boost::system::error_code ec;
    number = parse_json(value.get_string(), ec);
    if (ec) return std::nullopt;
  }
  if (!number.is_number()) return std::nullopt;
  boost::system::error_code ec;
  const double seconds = number.to_number<double>(ec);
  if (ec || !std::isfinite(seconds) || seconds < 0 || seconds > 100.0 * 365 * 24 * 3600) return std::nullopt;
  return std::chrono::seconds(static_cast<long long>(seconds));
}

}  // namespace

std::string form_encode(const form_fields& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += form_component(name) + "=" + form_component(value);
  }
  return out;
}

client_auth choose_client_auth(std::string_view registered_method, bool has_secret,
                               const std::vector<std::string>& server_methods) {
  if (auto registered = client_auth_from_name(registered_method)) return *registered;
  if (!has_secret) return client_auth::none;
  auto offered = [&](std::string_view name) {
    return std::find(server_methods.begin(), server_methods.end(), name) != server_methods.end();
  };
  if (server_methods.empty() || offered("client_secret_basic")) return client_auth::basic;
  if (offered("client_secret_post")) return client_auth::post;
  return client_auth::basic;
}

std::string_view client_auth_name(client_auth method) {
  switch (method) {
    case client_auth::none: return "none";
    case client_auth::basic: return "client_secret_basic";
    case client_auth::post: return "client_secret_post";
  }
  return "none";
}

std::optional<client_auth> client_auth_from_name(std::string_view name) {
  for (auto method : {client_auth::none, client_auth::basic, client_auth::post})
    if (name == client_auth_name(method)) return method;
  return std::nullopt;
}

token_request authorization_code_request(const client_identity& client, std::string_view code,
                                         std::string_view redirect_uri, std::string_view verifier,
                                         std::string_view resource) {
  form_fields fields = {{"grant_type", "authorization_code"},
                        {"code", std::string(code)},
                        {"redirect_uri", std::string(redirect_uri)},
                        {"code_verifier", std::string(verifier)}};
  if (!resource.empty()) fields.emplace_back("resource", resource);
  return with_client(client, std::move(fields));
}

token_request refresh_token_request(const client_identity& client, std::string_view refresh_token,
                                    std::string_view resource, std::optional<std::string_view> scope) {
  form_fields fields = {{"grant_type", "refresh_token"}, {"refresh_token", std::string(refresh_token)}};
  if (!resource.empty()) fields.emplace_back("resource", resource);
  if (scope && !scope->empty()) fields.emplace_back("scope", *scope);
  return with_client(client, std::move(fields));
}

parsed_token_response parse_token_response(std::string_view json, std::chrono::system_clock::time_point now,
                                           std::string_view requested_scope) {
  auto object = oauth_json::parse_object(json);
  if (!object) return {std::nullopt, "the token response is not a JSON object"};
  const auto* access_token = oauth_json::string_at(*object, "access_token");
  if (!access_token || access_token->empty()) return {std::nullopt, "the token response has no access_token"};
  if (const auto* type = object->if_contains("token_type")) {
    // RFC 6749 §5.1 makes token_type required; a missing one is forgiven, another type is not.
    if (!type->is_string()) return {std::nullopt, "the token response's token_type is not a string"};
    if (lower(type->get_string()) != "bearer")
      return {std::nullopt, "the token response's token_type is " + printable(type->get_string(), 40) + ", not Bearer"};
  }
  token_set tokens;
  tokens.access_token = std::string(*access_token);
  tokens.refresh_token = oauth_json::string_or_empty(*object, "refresh_token");
  tokens.scope = oauth_json::string_or_empty(*object, "scope");
  if (tokens.scope.empty()) tokens.scope = std::string(requested_scope);
  if (const auto* expires_in = object->if_contains("expires_in"))
    if (auto seconds = lifetime(*expires_in)) tokens.expires_at = now + *seconds;
  return {std::move(tokens), {}};
}

token_set merge_refreshed(const token_set& previous, token_set refreshed) {
  if (refreshed.refresh_token.empty()) refreshed.refresh_token = previous.refresh_token;
  if (refreshed.scope.empty()) refreshed.scope = previous.scope;
  return refreshed;
}

std::string describe_oauth_error(unsigned status, std::string_view body) {
  // RFC 6749 §5.2 / RFC 7591 §3.2.2: {"error": "...", "error_description": "..."}.
  if (auto object = oauth_json::parse_object(body)) {
    if (const auto* error = oauth_json::string_at(*object, "error"); error && !error->empty()) {
      auto text = printable(*error, 100);
      const auto* description = oauth_json::string_at(*object, "error_description");
      if (description && !description->empty()) text += ": " + printable(*description, 200);
      return text;
    }
  }
  auto text = "HTTP " + std::to_string(status);
  const auto shown = printable(body, 200);  // line breaks become spaces, then trimmed off the ends
  if (const auto trimmed = trim(shown); !trimmed.empty()) text += ": " + std::string(trimmed);
  return text;
}

std::string registration_request(std::string_view client_name, std::string_view redirect_uri,
                                 std::optional<std::string_view> scope) {
  boost::json::object request;
  request["client_name"] = client_name;
  request["redirect_uris"] = boost::json::array{redirect_uri};
  request["grant_types"] = boost::json::array{"authorization_code", "refresh_token"};
  request["response_types"] = boost::json::array{"code"};
  request["token_endpoint_auth_method"] = "none";
  request["application_type"] = "native";  // RFC 8252: a loopback redirect, no secret kept
  if (scope && !scope->empty()) request["scope"] = *scope;
  return boost::json::serialize(request);
}

parsed_registration parse_registration_response(std::string_view json, const std::vector<std::string>& server_methods) {
  auto object = oauth_json::parse_object(json);
  if (!object) return {std::nullopt, "the registration response is not a JSON object"};
  const auto* client_id = oauth_json::string_at(*object, "client_id");
  if (!client_id || client_id->empty()) return {std::nullopt, "the registration response has no client_id"};
  client_identity client;
  client.client_id = std::string(*client_id);
  client.client_secret = oauth_json::string_or_empty(*object, "client_secret");
  client.auth = choose_client_auth(oauth_json::string_or_empty(*object, "token_endpoint_auth_method"),
                                   !client.client_secret.empty(), server_methods);
  return {std::move(client), {}};
}

bool needs_refresh(const token_set& tokens, std::chrono::system_clock::time_point now, std::chrono::seconds margin) {
  return tokens.expires_at && now + margin >= *tokens.expires_at;
}

}  // namespace awork_mcp
