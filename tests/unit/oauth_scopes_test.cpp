// Scope selection and step-up as tables: the sources in, the scope parameter out.

#include "awork_mcp/oauth/scopes.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace awork_mcp;

TEST(oauth_scopes, choose_scope_table) {
  struct row {
    const char* name;
    scope_sources sources;
    std::optional<std::string> scope;
  };
  const std::vector<std::string> with_offline = {"read", "offline_access"};
  const std::vector<row> rows = {
      {"nothing: omit", {}, std::nullopt},
      {"configured verbatim", {"b  a", "c", {"d"}, with_offline}, "b  a"},
      {"configured only spaces: unset", {"  ", "c", {}, {}}, "c"},
      {"challenge", {"", "mcp:read mcp:write", {"x"}, {}}, "mcp:read mcp:write"},
      {"challenge spaces normalised", {"", " a   b ", {}, {}}, "a b"},
      {"challenge plus offline_access", {"", "a", {"x"}, with_offline}, "a offline_access"},
      {"challenge already has offline_access", {"", "offline_access a", {}, with_offline}, "offline_access a"},
      {"resource scopes", {"", "", {"r1", "r2"}, {}}, "r1 r2"},
      {"resource scopes deduplicated", {"", "", {"r1", "", "r1", "r2"}, {}}, "r1 r2"},
      {"resource scopes plus offline_access", {"", "", {"r1"}, with_offline}, "r1 offline_access"},
      {"resource lists offline_access", {"", "", {"offline_access", "r1"}, with_offline}, "offline_access r1"},
      // SEP-2207, and awork as its documentation describes it: offline_access is the only scope the
      // authorization server lists and the resource names none. Without it, no refresh token.
      {"offline_access alone when nothing else names a scope", {"", "", {}, with_offline}, "offline_access"},
      {"offline_access, the only scope listed", {"", "", {}, {"offline_access"}}, "offline_access"},
      {"nothing listed anywhere: omitted", {"", "", {}, {}}, std::nullopt},
      {"a server without offline_access: omitted", {"", "", {}, {"read"}}, std::nullopt},
      {"server without offline_access", {"", "a", {}, {"read", "write"}}, "a"},
  };
  for (const auto& r : rows) EXPECT_EQ(choose_scope(r.sources), r.scope) << r.name;
}

TEST(oauth_scopes, union_scopes_table) {
  struct row {
    const char* granted;
    const char* requested;
    const char* scope;
  };
  for (const auto& r : std::vector<row>{{"a b", "c", "a b c"},
                                        {"a b", "b c", "a b c"},
                                        {"", "x y", "x y"},
                                        {"x y", "", "x y"},
                                        {"", "", ""},
                                        {"  a  a ", " b  a", "a b"},
                                        {"b a", "a b", "b a"},
                                        {"read", "write read admin", "read write admin"}})
    EXPECT_EQ(union_scopes(r.granted, r.requested), r.scope) << r.granted << " | " << r.requested;
}

TEST(oauth_scopes, covers_scopes_table) {
  struct row {
    const char* have;
    const char* wanted;
    bool covered;
  };
  for (const auto& r : std::vector<row>{{"a b c", "b", true},
                                        {"a b c", "c a", true},
                                        {"a b", "a b c", false},
                                        {"a", "", true},
                                        {"", "", true},
                                        {"", "a", false},
                                        {"ab", "a", false},
                                        {" a  b ", "b  a", true},
                                        {"A", "a", false}})
    EXPECT_EQ(covers_scopes(r.have, r.wanted), r.covered) << r.have << " | " << r.wanted;
}
