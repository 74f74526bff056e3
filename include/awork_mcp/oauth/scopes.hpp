#pragma once
// Which scopes to ask for (MCP authorization, "Scope Selection Strategy") and how to step up.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace awork_mcp {

struct scope_sources {
  std::string configured;                           ///< --scope, space separated; wins when set
  std::string challenge;                            ///< the scope of the 401's WWW-Authenticate
  std::vector<std::string> resource_scopes;         ///< protected-resource scopes_supported
  std::vector<std::string> server_scopes;           ///< authorization-server scopes_supported
};

/// The scope parameter to send, or nullopt to omit it: configured, else the challenge's, else
/// the resource's scopes_supported. offline_access is added (for a refresh token) whenever the
/// authorization server lists it in scopes_supported, alone if nothing else names a scope.
std::optional<std::string> choose_scope(const scope_sources& sources);

/// Scope for a step-up after 403 insufficient_scope: the union, in first-seen order and
/// without duplicates, of what was granted and what the challenge asks for.
std::string union_scopes(std::string_view granted, std::string_view requested);

/// Whether every scope of `wanted` is in `have` (both space separated).
bool covers_scopes(std::string_view have, std::string_view wanted);

}  // namespace awork_mcp
