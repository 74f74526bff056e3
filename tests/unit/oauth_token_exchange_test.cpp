// Token and registration endpoint bodies and answers, as tables: what is sent, exactly, and what
// is made of the replies.

#include "awork_mcp/oauth/token_exchange.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

using namespace awork_mcp;
using namespace std::chrono_literals;
using strings = std::vector<std::string>;

namespace awork_mcp {
std::ostream& operator<<(std::ostream& os, client_auth method) { return os << client_auth_name(method); }
}  // namespace awork_mcp

TEST(oauth_token_exchange, form_encode_table) {
  struct row {
    form_fields fields;
    const char* body;
  };
  for (const auto& r : std::vector<row>{
           {{}, ""},
           {{{"a", "b"}}, "a=b"},
           {{{"a", "b"}, {"c", "d"}}, "a=b&c=d"},
           {{{"scope", "read write"}}, "scope=read+write"},
           {{{"k", "AZaz09-._~"}}, "k=AZaz09-._~"},
           {{{"k", "a+b&c=d/e?f%g:h"}}, "k=a%2Bb%26c%3Dd%2Fe%3Ff%25g%3Ah"},
           {{{"k", "\xc3\xa9\n"}}, "k=%C3%A9%0A"},
           {{{"odd key", ""}}, "odd+key="},
       })
    EXPECT_EQ(form_encode(r.fields), r.body) << r.body;
}

TEST(oauth_token_exchange, choose_client_auth_table) {
  struct row {
    const char* name;
    const char* registered;
    bool has_secret;
    strings server;
    client_auth method;
  };
  const std::vector<row> rows = {
      {"registered basic", "client_secret_basic", true, {"client_secret_post"}, client_auth::basic},
      {"registered post", "client_secret_post", true, {}, client_auth::post},
      {"registered none", "none", true, {"client_secret_basic"}, client_auth::none},
      {"unknown registered ignored", "private_key_jwt", false, {}, client_auth::none},
      {"public client", "", false, {"client_secret_basic", "client_secret_post"}, client_auth::none},
      {"secret, no list", "", true, {}, client_auth::basic},
      {"secret, basic offered", "", true, {"client_secret_post", "client_secret_basic"}, client_auth::basic},
      {"secret, post only", "", true, {"none", "client_secret_post"}, client_auth::post},
      {"secret, neither offered", "", true, {"private_key_jwt"}, client_auth::basic},
      {"names are exact", "Client_Secret_Post", true, {"client_secret_post"}, client_auth::post},
  };
  for (const auto& r : rows) EXPECT_EQ(choose_client_auth(r.registered, r.has_secret, r.server), r.method) << r.name;
}

TEST(oauth_token_exchange, client_auth_names_round_trip) {
  for (auto method : {client_auth::none, client_auth::basic, client_auth::post})
    EXPECT_EQ(client_auth_from_name(client_auth_name(method)), method);
  EXPECT_EQ(client_auth_name(client_auth::basic), "client_secret_basic");
  EXPECT_EQ(client_auth_name(client_auth::post), "client_secret_post");
  EXPECT_EQ(client_auth_name(client_auth::none), "none");
  for (const char* other : {"", "basic", "None", "client_secret_jwt"}) EXPECT_FALSE(client_auth_from_name(other)) << other;
}

TEST(oauth_token_exchange, authorization_code_request_table) {
  struct row {
    const char* name;
    client_identity client;
    const char* resource;
    const char* body;
    const char* authorization;
  };
  const std::string grant = "grant_type=authorization_code&code=c%2F1&redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2Fcb&code_verifier=v-1";
  const std::vector<row> rows = {
      {"public client", {"id 1", "", client_auth::none}, "https://h/mcp", "&resource=https%3A%2F%2Fh%2Fmcp&client_id=id+1", ""},
      {"public client, no resource", {"id", "", client_auth::none}, "", "&client_id=id", ""},
      {"post", {"id", "s&cret", client_auth::post}, "https://h/mcp", "&resource=https%3A%2F%2Fh%2Fmcp&client_id=id&client_secret=s%26cret", ""},
      // RFC 6749 §2.3.1: form-encoded before base64: "my id:p@ss word" -> "my+id:p%40ss+word".
      {"basic", {"my id", "p@ss word", client_auth::basic}, "https://h/mcp", "&resource=https%3A%2F%2Fh%2Fmcp",
       "Basic bXkraWQ6cCU0MHNzK3dvcmQ="},
      {"basic plain", {"client", "secret", client_auth::basic}, "", "", "Basic Y2xpZW50OnNlY3JldA=="},
  };
  for (const auto& r : rows) {
    const auto request = authorization_code_request(r.client, "c/1", "http://127.0.0.1:5000/cb", "v-1", r.resource);
    EXPECT_EQ(request.body, grant + r.body) << r.name;
    EXPECT_EQ(request.authorization, r.authorization) << r.name;
  }
}

TEST(oauth_token_exchange, refresh_token_request_table) {
  struct row {
    const char* name;
    client_identity client;
    const char* resource;
    std::optional<std::string_view> scope;
    const char* body;
    const char* authorization;
  };
  const std::vector<row> rows = {
      {"public, resource and scope", {"id", "", client_auth::none}, "https://h/mcp", "a b",
       "grant_type=refresh_token&refresh_token=r%2B1&resource=https%3A%2F%2Fh%2Fmcp&scope=a+b&client_id=id", ""},
      {"no scope", {"id", "", client_auth::none}, "https://h/mcp", std::nullopt,
       "grant_type=refresh_token&refresh_token=r%2B1&resource=https%3A%2F%2Fh%2Fmcp&client_id=id", ""},
      {"empty scope omitted", {"id", "", client_auth::none}, "", "",
       "grant_type=refresh_token&refresh_token=r%2B1&client_id=id", ""},
      {"post", {"id", "s", client_auth::post}, "", std::nullopt,
       "grant_type=refresh_token&refresh_token=r%2B1&client_id=id&client_secret=s", ""},
      {"basic", {"client", "secret", client_auth::basic}, "", std::nullopt, "grant_type=refresh_token&refresh_token=r%2B1",
       "Basic Y2xpZW50OnNlY3JldA=="},
  };
  for (const auto& r : rows) {
    const auto request = refresh_token_request(r.client, "r+1", r.resource, r.scope);
    EXPECT_EQ(request.body, r.body) << r.name;
    EXPECT_EQ(request.authorization, r.authorization) << r.name;
  }
}

TEST(oauth_token_exchange, token_response_table) {
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  struct row {
    const char* name;
    const char* json;
    const char* error;
    const char* refresh_token;
    const char* scope;
    std::optional<std::chrono::seconds> lifetime;
  };
  const std::vector<row> rows = {
      {"full", R"({"access_token":"at","token_type":"Bearer","expires_in":3600,"refresh_token":"rt","scope":"a b"})", "",
       "rt", "a b", 3600s},
      {"lower-case bearer, no scope", R"({"access_token":"at","token_type":"bearer"})", "", "", "asked", std::nullopt},
      {"no token_type", R"({"access_token":"at","expires_in":60})", "", "", "asked", 60s},
      {"expires_in as a double", R"({"access_token":"at","expires_in":59.9})", "", "", "asked", 59s},
      {"expires_in as a string", R"({"access_token":"at","expires_in":"120"})", "", "", "asked", 120s},
      {"expires_in nonsense", R"({"access_token":"at","expires_in":"soon"})", "", "", "asked", std::nullopt},
      {"expires_in negative", R"({"access_token":"at","expires_in":-5})", "", "", "asked", std::nullopt},
      {"expires_in huge", R"({"access_token":"at","expires_in":1e300})", "", "", "asked", std::nullopt},
      {"empty scope: the asked one", R"({"access_token":"at","scope":""})", "", "", "asked", std::nullopt},
      {"refresh token not a string", R"({"access_token":"at","refresh_token":5})", "", "", "asked", std::nullopt},
      {"other token type", R"({"access_token":"at","token_type":"DPoP"})",
       "the token response's token_type is DPoP, not Bearer", "", "", std::nullopt},
      {"token type not a string", R"({"access_token":"at","token_type":1})",
       "the token response's token_type is not a string", "", "", std::nullopt},
      {"no access token", R"({"token_type":"Bearer"})", "the token response has no access_token", "", "", std::nullopt},
      {"empty access token", R"({"access_token":""})", "the token response has no access_token", "", "", std::nullopt},
      {"not JSON", "access_token=at", "the token response is not a JSON object", "", "", std::nullopt},
  };
  for (const auto& r : rows) {
    const auto parsed = parse_token_response(r.json, now, "asked");
    EXPECT_EQ(parsed.error, r.error) << r.name;
    if (!std::string(r.error).empty()) {
      EXPECT_FALSE(parsed.tokens) << r.name;
      continue;
    }
    ASSERT_TRUE(parsed.tokens) << r.name;
    EXPECT_EQ(parsed.tokens->access_token, "at") << r.name;
    EXPECT_EQ(parsed.tokens->refresh_token, r.refresh_token) << r.name;
    EXPECT_EQ(parsed.tokens->scope, r.scope) << r.name;
    if (r.lifetime)
      EXPECT_EQ(parsed.tokens->expires_at, now + *r.lifetime) << r.name;
    else
      EXPECT_FALSE(parsed.tokens->expires_at) << r.name;
  }
}

TEST(oauth_token_exchange, a_refresh_keeps_what_the_answer_leaves_out) {
  const auto t = std::chrono::system_clock::time_point(std::chrono::seconds(100));
  const token_set previous{"old-at", "old-rt", "a b", t};
  auto merged = merge_refreshed(previous, {"new-at", "", "", std::nullopt});
  EXPECT_EQ(merged.access_token, "new-at");
  EXPECT_EQ(merged.refresh_token, "old-rt");
  EXPECT_EQ(merged.scope, "a b");
  EXPECT_FALSE(merged.expires_at);
  merged = merge_refreshed(previous, {"new-at", "new-rt", "a", t + 60s});
  EXPECT_EQ(merged.refresh_token, "new-rt");  // rotated
  EXPECT_EQ(merged.scope, "a");
  EXPECT_EQ(merged.expires_at, t + 60s);
}

TEST(oauth_token_exchange, describe_oauth_error_table) {
  struct row {
    unsigned status;
    std::string body;
    std::string text;
  };
  for (const auto& r : std::vector<row>{
           {400, R"({"error":"invalid_grant","error_description":"the code expired"})", "invalid_grant: the code expired"},
           {400, R"({"error":"invalid_client"})", "invalid_client"},
           {401, R"({"error":"invalid_client","error_description":""})", "invalid_client"},
           {400, R"({"error":"x","error_description":"line1\nline2"})", "x: line1 line2"},
           {400, R"({"error":""})", R"(HTTP 400: {"error":""})"},
           {400, R"({"message":"nope"})", R"(HTTP 400: {"message":"nope"})"},
           {502, "", "HTTP 502"},
           {500, "  \t", "HTTP 500"},
           {403, "<h1>Forbidden</h1>\r\n", "HTTP 403: <h1>Forbidden</h1>"},
           {400, std::string(300, 'x'), "HTTP 400: " + std::string(200, 'x') + "…"},
           {400, std::string(199, 'x') + "\xc3\xa9", "HTTP 400: " + std::string(199, 'x') + "…"},
       })
    EXPECT_EQ(describe_oauth_error(r.status, r.body), r.text) << r.body;
}

TEST(oauth_token_exchange, registration_request_is_a_native_public_client) {
  EXPECT_EQ(registration_request("awork MCP bridge", "http://127.0.0.1:5000/callback", "mcp:read offline_access"),
            R"({"client_name":"awork MCP bridge","redirect_uris":["http://127.0.0.1:5000/callback"],)"
            R"("grant_types":["authorization_code","refresh_token"],"response_types":["code"],)"
            R"("token_endpoint_auth_method":"none","application_type":"native","scope":"mcp:read offline_access"})");
  EXPECT_EQ(registration_request("a \"b\"", "http://localhost/cb", std::nullopt),
            R"({"client_name":"a \"b\"","redirect_uris":["http://localhost/cb"],)"
            R"("grant_types":["authorization_code","refresh_token"],"response_types":["code"],)"
            R"("token_endpoint_auth_method":"none","application_type":"native"})");
}

TEST(oauth_token_exchange, registration_response_table) {
  struct row {
    const char* name;
    const char* json;
    strings server;
    const char* error;
    const char* secret;
    client_auth method;
  };
  const std::vector<row> rows = {
      {"public", R"({"client_id":"c1","token_endpoint_auth_method":"none"})", {}, "", "", client_auth::none},
      {"public, method omitted", R"({"client_id":"c1"})", {"client_secret_basic"}, "", "", client_auth::none},
      {"secret, post registered", R"({"client_id":"c1","client_secret":"s","token_endpoint_auth_method":"client_secret_post"})",
       {}, "", "s", client_auth::post},
      {"secret, method omitted", R"({"client_id":"c1","client_secret":"s"})", {}, "", "s", client_auth::basic},
      {"secret, post only offered", R"({"client_id":"c1","client_secret":"s"})", {"client_secret_post"}, "", "s", client_auth::post},
      {"no client_id", R"({"client_secret":"s"})", {}, "the registration response has no client_id", "", client_auth::none},
      {"client_id not a string", R"({"client_id":42})", {}, "the registration response has no client_id", "", client_auth::none},
      {"not JSON", "Created", {}, "the registration response is not a JSON object", "", client_auth::none},
  };
  for (const auto& r : rows) {
    const auto parsed = parse_registration_response(r.json, r.server);
    EXPECT_EQ(parsed.error, r.error) << r.name;
    if (!std::string(r.error).empty()) {
      EXPECT_FALSE(parsed.client) << r.name;
      continue;
    }
    ASSERT_TRUE(parsed.client) << r.name;
    EXPECT_EQ(parsed.client->client_id, "c1") << r.name;
    EXPECT_EQ(parsed.client->client_secret, r.secret) << r.name;
    EXPECT_EQ(parsed.client->auth, r.method) << r.name;
  }
}

TEST(oauth_token_exchange, needs_refresh_table) {
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'000'000));
  struct row {
    std::optional<std::chrono::system_clock::time_point> expires_at;
    std::chrono::seconds margin;
    bool refresh;
  };
  for (const auto& r : std::vector<row>{{std::nullopt, 60s, false},
                                        {now + 3600s, 60s, false},
                                        {now + 61s, 60s, false},
                                        {now + 60s, 60s, true},
                                        {now + 59s, 60s, true},
                                        {now - 1s, 60s, true},
                                        {now, 0s, true},
                                        {now + 1s, 0s, false}}) {
    token_set tokens{"at", "", "", r.expires_at};
    EXPECT_EQ(needs_refresh(tokens, now, r.margin), r.refresh)
        << (r.expires_at ? (*r.expires_at - now).count() : -1) << " margin " << r.margin.count();
  }
  EXPECT_FALSE(needs_refresh({"at", "", "", now + 61s}, now));  // the default margin is a minute
  EXPECT_TRUE(needs_refresh({"at", "", "", now + 60s}, now));
}
