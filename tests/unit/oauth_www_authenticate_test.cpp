// The Bearer challenge of WWW-Authenticate as a table: field values in, the four parameters out.

#include "awork_mcp/oauth/www_authenticate.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace awork_mcp;

TEST(oauth_challenge, bearer_parameters_table) {
  struct row {
    const char* name;
    std::string header;
    const char* resource_metadata;
    const char* scope;
    const char* error;
    const char* error_description;
  };
  const std::vector<row> rows = {
      {"MCP 401", R"(Bearer resource_metadata="https://a/.well-known/oauth-protected-resource/mcp", scope="a b")",
       "https://a/.well-known/oauth-protected-resource/mcp", "a b", "", ""},
      {"after a Basic challenge",
       R"(Basic realm="x", Bearer error="invalid_token", resource_metadata="https://a/.well-known/oauth-protected-resource/mcp", scope="a b")",
       "https://a/.well-known/oauth-protected-resource/mcp", "a b", "invalid_token", ""},
      {"before a Basic challenge", R"(Bearer scope="s", Basic realm="x")", "", "s", "", ""},
      {"scheme and names in other case", R"(bEARER Scope="s1", ERROR="insufficient_scope")", "", "s1", "insufficient_scope", ""},
      {"escapes in a quoted string", R"(Bearer error_description="say \"hi\" \\ bye")", "", "", "", R"(say "hi" \ bye)"},
      {"commas inside quotes", R"(Bearer scope="a,b", error="x")", "", "a,b", "x", ""},
      {"unquoted values, a URL too", "Bearer error=invalid_token, resource_metadata=https://a/m", "https://a/m", "", "invalid_token", ""},
      {"spaces around =", R"(Bearer  scope = "s" ,error= e)", "", "s", "e", ""},
      {"bare Bearer", "Bearer", "", "", "", ""},
      {"Bearer with a token68", "Bearer abc123==", "", "", "", ""},
      {"token68 Basic first", R"(Basic dXNlcjpwYXNz, Bearer scope="s")", "", "s", "", ""},
      {"two fields joined", R"(Negotiate, Bearer realm="r", scope="s")", "", "s", "", ""},
      {"first of repeated names", R"(Bearer scope="first", scope="second")", "", "first", "", ""},
      {"the first Bearer challenge", R"(Bearer scope="one", Bearer scope="two")", "", "one", "", ""},
      {"empty list elements", R"(, ,Bearer ,, scope="s",)", "", "s", "", ""},
      {"unterminated quote", R"(Bearer scope="a b)", "", "a b", "", ""},
      {"garbage parameter skipped", R"(Bearer "junk", scope="s")", "", "s", "", ""},
  };
  for (const auto& r : rows) {
    auto c = parse_bearer_challenge(r.header);
    ASSERT_TRUE(c) << r.name;
    EXPECT_EQ(c->resource_metadata, r.resource_metadata) << r.name;
    EXPECT_EQ(c->scope, r.scope) << r.name;
    EXPECT_EQ(c->error, r.error) << r.name;
    EXPECT_EQ(c->error_description, r.error_description) << r.name;
  }
}

TEST(oauth_challenge, no_bearer_challenge_table) {
  for (const char* header : {"", "Basic realm=\"x\"", "Basic", "DPoP algs=\"ES256\"", "Bearerx scope=\"s\"",
                             "Bearer=scope", "realm=\"Bearer\"", "Basic realm=\"Bearer scope\"", ",,,", "\"Bearer\""})
    EXPECT_FALSE(parse_bearer_challenge(header)) << header;
}

TEST(oauth_challenge, garbage_never_crashes) {
  const std::vector<std::string> garbage = {
      "=", "==", "\"", "\\", "Bearer \"", "Bearer scope=\"\\", "Bearer scope=", "Bearer scope", "Bearer ,=,=\"",
      "Bearer a=b=c", std::string("Bearer scope=\"a\0b\"", 19), std::string(10000, ','), "Bearer " + std::string(5000, '"'),
      "Bearer \t\t scope=\t\"s\"\t"};
  for (const auto& header : garbage) {
    auto c = parse_bearer_challenge(header);  // anything but a crash or a hang
    if (c) {
      EXPECT_LE(c->scope.size(), header.size());
    }
  }
  EXPECT_EQ(parse_bearer_challenge("Bearer \t\t scope=\t\"s\"\t")->scope, "s");
  EXPECT_EQ(parse_bearer_challenge(std::string("Bearer scope=\"a\0b\"", 19))->scope, std::string("a\0b", 3));
}
