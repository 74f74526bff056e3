#pragma once
// Bodies for the token and registration endpoints and what their answers mean: the
// authorization-code and refresh-token grants, client authentication (none, basic, post),
// RFC 7591 dynamic client registration, and the token response.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace awork_mcp {

using form_fields = std::vector<std::pair<std::string, std::string>>;

/// application/x-www-form-urlencoded (spaces as "+", everything but unreserved characters escaped).
std::string form_encode(const form_fields& fields);

/// How the client proves itself at the token endpoint (RFC 6749 §2.3, RFC 7591 §2).
enum class client_auth { none, basic, post };
/// The method to use: what registration returned (when it is one of the three), else none without
/// a secret, else the server's preference among token_endpoint_auth_methods_supported: basic when
/// it is offered or the list is absent, else post when offered, else basic (RFC 6749 §2.3.1 makes
/// every server support it for clients with a password).
client_auth choose_client_auth(std::string_view registered_method, bool has_secret,
                               const std::vector<std::string>& server_methods);
/// RFC 7591 names: "none", "client_secret_basic", "client_secret_post".
std::string_view client_auth_name(client_auth method);
/// The method of an RFC 7591 name; nullopt for any other name.
std::optional<client_auth> client_auth_from_name(std::string_view name);

struct client_identity {
  std::string client_id;
  std::string client_secret;  ///< empty for a public client
  client_auth auth = client_auth::none;
};

/// A token endpoint request: its body and, for basic auth, its Authorization header value.
struct token_request {
  std::string body;
  std::string authorization;  ///< empty unless client_auth::basic
};

token_request authorization_code_request(const client_identity& client, std::string_view code,
                                         std::string_view redirect_uri, std::string_view verifier,
                                         std::string_view resource);
token_request refresh_token_request(const client_identity& client, std::string_view refresh_token,
                                    std::string_view resource, std::optional<std::string_view> scope);

struct token_set {
  std::string access_token;
  std::string refresh_token;  ///< empty if none was issued
  std::string scope;          ///< granted scope (the requested one when the server does not say)
  std::optional<std::chrono::system_clock::time_point> expires_at;
};

/// Reads a 200 token response. `requested_scope` fills `scope` when the response omits it.
/// An error text for a body that is not a bearer token response.
struct parsed_token_response {
  std::optional<token_set> tokens;
  std::string error;
};
parsed_token_response parse_token_response(std::string_view json, std::chrono::system_clock::time_point now,
                                           std::string_view requested_scope);

/// A refresh may omit the refresh token (RFC 6749 §6): keep the one we had.
token_set merge_refreshed(const token_set& previous, token_set refreshed);

/// The OAuth error of a 4xx token/registration answer in words: "invalid_grant: the code expired".
std::string describe_oauth_error(unsigned status, std::string_view body);

/// RFC 7591 registration request for a native public client with a loopback redirect.
std::string registration_request(std::string_view client_name, std::string_view redirect_uri,
                                 std::optional<std::string_view> scope);

/// The client from a registration response; an error text if it lacks client_id.
struct parsed_registration {
  std::optional<client_identity> client;
  std::string error;
};
parsed_registration parse_registration_response(std::string_view json, const std::vector<std::string>& server_methods);

/// Whether a token should be renewed before it is used: less than `margin` of life left.
bool needs_refresh(const token_set& tokens, std::chrono::system_clock::time_point now,
                   std::chrono::seconds margin = std::chrono::seconds(60));

}  // namespace awork_mcp
