#include "awork_mcp/oauth/scopes.hpp"

#include <algorithm>

namespace awork_mcp {

namespace {

constexpr std::string_view offline_access = "offline_access";

// RFC 6749 §3.3: a scope is a list of space-delimited strings; runs of spaces are not empty scopes.
std::vector<std::string_view> split(std::string_view scope) {
  std::vector<std::string_view> out;
  while (!scope.empty()) {
    const auto space = scope.find(' ');
    if (auto item = scope.substr(0, space); !item.empty()) out.push_back(item);
    scope = space == std::string_view::npos ? std::string_view{} : scope.substr(space + 1);
  }
  return out;
}

template <class Range>
std::string join(const Range& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ' ';
    out += item;
  }
  return out;
}

bool contains(const std::vector<std::string_view>& items, std::string_view item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

}  // namespace

std::optional<std::string> choose_scope(const scope_sources& sources) {
  // The user's --scope is sent as typed: they may know better than every list.
  if (!split(sources.configured).empty()) return sources.configured;
  std::vector<std::string_view> scope = split(sources.challenge);
  if (scope.empty())
    for (const auto& s : sources.resource_scopes)
      if (!s.empty() && !contains(scope, s)) scope.push_back(s);
  // SEP-2207: a client that wants a refresh token asks for offline_access when the authorization
  // server lists it, even when nothing else names a scope (awork's metadata: offline_access is
  // the only scope it lists). Otherwise nothing to ask for: the server decides.
  const auto& server = sources.server_scopes;
  if (std::find(server.begin(), server.end(), offline_access) != server.end() && !contains(scope, offline_access))
    scope.push_back(offline_access);
  if (scope.empty()) return std::nullopt;
  return join(scope);
}

std::string union_scopes(std::string_view granted, std::string_view requested) {
  std::vector<std::string_view> all;
  for (auto source : {granted, requested})
    for (auto s : split(source))
      if (!contains(all, s)) all.push_back(s);
  return join(all);
}

bool covers_scopes(std::string_view have, std::string_view wanted) {
  const auto held = split(have);
  const auto needed = split(wanted);
  return std::all_of(needed.begin(), needed.end(), [&](std::string_view s) { return contains(held, s); });
}

}  // namespace awork_mcp
