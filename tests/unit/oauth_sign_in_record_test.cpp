// What the token store keeps: exact JSON out, the same record back in, and anything malformed
// read as absent.

#include "awork_mcp/oauth/sign_in_record.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace awork_mcp;

namespace {

sign_in_record sample_record() {
  sign_in_record r;
  r.resource = "https://h.example/mcp";
  r.resource_indicator = "https://h.example";
  r.issuer = "https://auth.example";
  r.token_endpoint = "https://auth.example/token";
  r.revocation_endpoint = "https://auth.example/revoke";
  r.client = {"c1", "s\"1", client_auth::basic};
  r.redirect_uri = "http://127.0.0.1:5000/callback";
  r.tokens = {"at", "rt", "a b", std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'123))};
  return r;
}

const std::string sample_json =
    R"({"resource":"https://h.example/mcp","resource_indicator":"https://h.example","issuer":"https://auth.example","token_endpoint":"https://auth.example/token",)"
    R"("revocation_endpoint":"https://auth.example/revoke","client":{"client_id":"c1","client_secret":"s\"1","auth":"client_secret_basic"},)"
    R"("redirect_uri":"http://127.0.0.1:5000/callback","tokens":{"access_token":"at","refresh_token":"rt","scope":"a b","expires_at":1700000123}})";

void expect_same(const sign_in_record& a, const sign_in_record& b) {
  EXPECT_EQ(a.resource, b.resource);
  EXPECT_EQ(a.resource_indicator, b.resource_indicator);
  EXPECT_EQ(a.issuer, b.issuer);
  EXPECT_EQ(a.token_endpoint, b.token_endpoint);
  EXPECT_EQ(a.revocation_endpoint, b.revocation_endpoint);
  EXPECT_EQ(a.client.client_id, b.client.client_id);
  EXPECT_EQ(a.client.client_secret, b.client.client_secret);
  EXPECT_EQ(a.client.auth, b.client.auth);
  EXPECT_EQ(a.redirect_uri, b.redirect_uri);
  EXPECT_EQ(a.tokens.access_token, b.tokens.access_token);
  EXPECT_EQ(a.tokens.refresh_token, b.tokens.refresh_token);
  EXPECT_EQ(a.tokens.scope, b.tokens.scope);
  EXPECT_EQ(a.tokens.expires_at, b.tokens.expires_at);
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

}  // namespace

TEST(oauth_sign_in_record, written_exactly) { EXPECT_EQ(to_json(sample_record()), sample_json); }

TEST(oauth_sign_in_record, round_trips) {
  auto read = sign_in_record_from_json(sample_json);
  ASSERT_TRUE(read);
  expect_same(*read, sample_record());

  auto minimal = sample_record();
  minimal.revocation_endpoint.clear();
  minimal.client = {"pub", "", client_auth::none};
  minimal.tokens = {"at", "", "", std::nullopt};
  const auto text = to_json(minimal);
  EXPECT_EQ(text.find("expires_at"), std::string::npos) << text;
  read = sign_in_record_from_json(text);
  ASSERT_TRUE(read) << text;
  expect_same(*read, minimal);
}

TEST(oauth_sign_in_record, optional_fields_may_be_absent) {
  auto read = sign_in_record_from_json(
      R"({"resource":"r","issuer":"i","token_endpoint":"t","client":{"client_id":"c","auth":"none"},"tokens":{"access_token":"a"}})");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->revocation_endpoint, "");
  EXPECT_EQ(read->redirect_uri, "");
  EXPECT_EQ(read->client.client_secret, "");
  EXPECT_EQ(read->tokens.refresh_token, "");
  EXPECT_FALSE(read->tokens.expires_at);
}

TEST(oauth_sign_in_record, malformed_records_are_absent_table) {
  struct row {
    const char* name;
    std::string json;
  };
  const std::vector<row> rows = {
      {"not JSON", "{"},
      {"empty", ""},
      {"array", "[]"},
      {"empty object", "{}"},
      {"no resource", replaced(sample_json, R"("resource":"https://h.example/mcp",)", "")},
      {"empty resource", replaced(sample_json, R"("resource":"https://h.example/mcp")", R"("resource":"")")},
      {"resource a number", replaced(sample_json, R"("resource":"https://h.example/mcp")", R"("resource":5)")},
      {"no issuer", replaced(sample_json, R"("issuer":"https://auth.example",)", "")},
      {"no token endpoint", replaced(sample_json, R"("token_endpoint":"https://auth.example/token",)", "")},
      {"revocation endpoint null", replaced(sample_json, R"("revocation_endpoint":"https://auth.example/revoke")", R"("revocation_endpoint":null)")},
      {"client a string", replaced(sample_json, R"("client":{"client_id":"c1","client_secret":"s\"1","auth":"client_secret_basic"})", R"("client":"c1")")},
      {"no client_id", replaced(sample_json, R"("client_id":"c1",)", "")},
      {"unknown auth", replaced(sample_json, R"("auth":"client_secret_basic")", R"("auth":"private_key_jwt")")},
      {"no auth", replaced(sample_json, R"(,"auth":"client_secret_basic")", "")},
      {"no tokens", replaced(sample_json, R"(,"tokens":{"access_token":"at","refresh_token":"rt","scope":"a b","expires_at":1700000123})", "")},
      {"no access token", replaced(sample_json, R"("access_token":"at",)", "")},
      {"refresh token a number", replaced(sample_json, R"("refresh_token":"rt")", R"("refresh_token":1)")},
      {"expires_at a string", replaced(sample_json, "1700000123", R"("1700000123")")},
      {"expires_at a fraction", replaced(sample_json, "1700000123", "1700000123.5")},
      {"expires_at negative", replaced(sample_json, "1700000123", "-1")},
      {"expires_at past the clock", replaced(sample_json, "1700000123", "99999999999999")},
  };
  for (const auto& r : rows) EXPECT_FALSE(sign_in_record_from_json(r.json)) << r.name << ": " << r.json;
}

TEST(oauth_sign_in_record, registered_client_round_trips) {
  const registered_client client{"https://auth.example", "http://127.0.0.1:5000/callback", {"c9", "", client_auth::none}};
  const std::string json =
      R"({"issuer":"https://auth.example","redirect_uri":"http://127.0.0.1:5000/callback","client":{"client_id":"c9","client_secret":"","auth":"none"}})";
  EXPECT_EQ(to_json(client), json);
  auto read = registered_client_from_json(json);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->issuer, client.issuer);
  EXPECT_EQ(read->redirect_uri, client.redirect_uri);
  EXPECT_EQ(read->client.client_id, "c9");
  EXPECT_EQ(read->client.client_secret, "");
  EXPECT_EQ(read->client.auth, client_auth::none);
  const registered_client post{"i", "r", {"c", "s", client_auth::post}};
  ASSERT_TRUE(registered_client_from_json(to_json(post)));
  EXPECT_EQ(registered_client_from_json(to_json(post))->client.auth, client_auth::post);
  EXPECT_EQ(registered_client_from_json(to_json(post))->client.client_secret, "s");
}

TEST(oauth_sign_in_record, malformed_registered_clients_are_absent_table) {
  for (const char* json : {"", "null", R"({"client":{"client_id":"c","auth":"none"}})",
                           R"({"issuer":"","client":{"client_id":"c","auth":"none"}})",
                           R"({"issuer":"i","client":{"client_id":"c"}})", R"({"issuer":"i","client":{"auth":"none"}})",
                           R"({"issuer":"i","redirect_uri":7,"client":{"client_id":"c","auth":"none"}})",
                           R"({"issuer":"i","client":[]})", R"({"issuer":"i"})"})
    EXPECT_FALSE(registered_client_from_json(json)) << json;
}

TEST(oauth_sign_in_record, store_file_names_are_short_hashes) {
  struct row {
    const char* key;
    const char* name;
  };
  for (const auto& r : std::vector<row>{{"", "e3b0c44298fc1c14"},  // SHA-256 of nothing
                                        {"abc", "ba7816bf8f01cfea"},  // FIPS 180-2 B.1
                                        {"https://api.awork.com/api/v1/mcp", "396870f5443640cc"}})
    EXPECT_EQ(store_file_name(r.key), r.name) << r.key;
  EXPECT_NE(store_file_name("https://a.example/mcp"), store_file_name("https://a.example/mcp/"));
}

TEST(oauth_sign_in_record, serves_the_configured_client_only_table) {
  struct row {
    const char* stored_client;
    const char* configured;  // --client-id, empty when none was given
    bool serves;
  };
  const std::vector<row> rows = {
      {"c1", "", true},       // no --client-id: whichever client signed in (registered or DCR)
      {"c1", "c1", true},     // the same client
      {"c1", "c2", false},    // --client-id changed: the old grant belongs to another client
      {"c1", "C1", false},    // client ids are compared exactly
      {"", "c1", false},
  };
  for (const auto& r : rows) {
    auto record = sample_record();
    record.client.client_id = r.stored_client;
    EXPECT_EQ(sign_in_serves_client(record, r.configured), r.serves) << r.stored_client << " / " << r.configured;
  }
}
