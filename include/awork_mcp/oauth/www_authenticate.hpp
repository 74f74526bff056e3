#pragma once
// RFC 6750 §3 / RFC 9728 §5.1: the Bearer challenge in WWW-Authenticate, which tells the client
// where the protected-resource metadata is, which scope to ask for, and why a token was refused.

#include <optional>
#include <string>
#include <string_view>

namespace awork_mcp {

struct bearer_challenge {
  std::string resource_metadata;  ///< URL of the protected-resource metadata, if given
  std::string scope;              ///< space-separated scopes the resource wants, if given
  std::string error;              ///< invalid_token, insufficient_scope, ...
  std::string error_description;
};

/// The Bearer challenge among the WWW-Authenticate field values (several fields joined by ", "
/// are one list of challenges); nullopt if there is none. Parameter names are case-insensitive,
/// values may be tokens or quoted strings (with \-escapes).
std::optional<bearer_challenge> parse_bearer_challenge(std::string_view field_values);

}  // namespace awork_mcp
