#pragma once
// The authorization request the browser is sent to, and the checks on the redirect that comes
// back to the loopback listener (state, RFC 9207 iss, error).

#include <optional>
#include <string>
#include <string_view>

namespace awork_mcp {

struct authorization_request {
  std::string authorization_endpoint;
  std::string client_id;
  std::string redirect_uri;
  std::string code_challenge;  ///< S256
  std::string state;
  std::string resource;             ///< RFC 8707
  std::optional<std::string> scope;
};

/// The authorization endpoint URL with the request's query parameters added (existing ones kept).
/// Empty if the endpoint is not an absolute http(s) URL.
std::string authorization_url(const authorization_request& request);

struct callback_expectation {
  std::string state;
  std::string issuer;
  /// The server's metadata says it sends iss (RFC 9207 authorization_response_iss_parameter_supported).
  bool iss_required = false;
};

/// What the redirect to the loopback listener says.
struct callback_result {
  enum class verdict {
    code,           ///< `code` is the authorization code to exchange
    denied,         ///< the server returned an error (the user said no, ...): `message`
    invalid,        ///< not this sign-in's answer (wrong or missing state): refuse it, keep waiting
    rejected,       ///< this sign-in's answer (its state), but unusable: iss mismatch, no code; end the sign-in
    not_a_callback  ///< another path or no query (a favicon request): ignore, keep waiting
  } what = verdict::not_a_callback;
  std::string code;
  std::string message;
};

/// Port and path of a redirect URI the user gave (--redirect-uri, to match a registered client);
/// it must be loopback http with a port, as the listener binds 127.0.0.1 only.
struct redirect_parts {
  unsigned short port = 0;
  std::string path;
  std::string error;  ///< non-empty: refused, and why
};
redirect_parts split_redirect_uri(std::string_view uri);

/// Judges the request target (path and query) the browser was redirected to. `callback_path`
/// is the path of the registered redirect URI.
callback_result judge_callback(std::string_view target, std::string_view callback_path,
                               const callback_expectation& expected);

}  // namespace awork_mcp
