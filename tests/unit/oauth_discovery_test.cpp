// Where the OAuth metadata is looked for and what is accepted from it, as tables: server URLs
// and metadata documents in, URLs, metadata or the reason for refusing it out.

#include "awork_mcp/oauth/discovery.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace awork_mcp;

using strings = std::vector<std::string>;

TEST(oauth_discovery, canonical_resource_table) {
  struct row {
    const char* url;
    const char* canonical;
  };
  for (const auto& r : std::vector<row>{
           {"https://API.example.com:443/mcp/", "https://api.example.com/mcp"},
           {"http://127.0.0.1:3000/mcp", "http://127.0.0.1:3000/mcp"},
           {"https://host", "https://host"},
           {"https://host/", "https://host"},
           {"HTTPS://Host:8443/A/B/", "https://host:8443/A/B"},
           {"http://host:80/mcp", "http://host/mcp"},
           {"http://host:443/mcp", "http://host:443/mcp"},
           {"https://host/mcp?token=secret&x=1", "https://host/mcp"},
           {"https://host/mcp#fragment", "https://host/mcp"},
           {"http://[::1]:8080/mcp", "http://[::1]:8080/mcp"},
           {"https://[2001:DB8::1]/mcp", "https://[2001:db8::1]/mcp"},
           {"https://host/api/v1/mcp", "https://host/api/v1/mcp"},
       }) {
    EXPECT_EQ(canonical_resource(parse_endpoint(r.url)), r.canonical) << r.url;
  }
}

TEST(oauth_discovery, canonical_resource_of_a_hand_made_endpoint_is_lower_case) {
  endpoint server{true, "API.Example.COM", "443", "/Mcp/?q"};
  EXPECT_EQ(canonical_resource(server), "https://api.example.com/Mcp");
}

TEST(oauth_discovery, protected_resource_metadata_urls_table) {
  struct row {
    const char* name;
    const char* server;
    const char* hint;
    strings urls;
  };
  const std::string hint = "https://a.example/.well-known/oauth-protected-resource/mcp";
  const std::vector<row> rows = {
      {"path, no hint", "https://a.example/mcp", "",
       {"https://a.example/.well-known/oauth-protected-resource/mcp", "https://a.example/.well-known/oauth-protected-resource"}},
      {"hint first, then both", "https://a.example/mcp", "https://auth.example/prm",
       {"https://auth.example/prm", "https://a.example/.well-known/oauth-protected-resource/mcp",
        "https://a.example/.well-known/oauth-protected-resource"}},
      {"hint equal to the path URL: once", "https://a.example/mcp", hint.c_str(),
       {hint, "https://a.example/.well-known/oauth-protected-resource"}},
      {"root server", "https://a.example/", "",
       {"https://a.example/.well-known/oauth-protected-resource"}},
      {"trailing slash and query dropped", "https://a.example/public/mcp/?key=1", "",
       {"https://a.example/.well-known/oauth-protected-resource/public/mcp",
        "https://a.example/.well-known/oauth-protected-resource"}},
      {"port kept, http", "http://127.0.0.1:3000/mcp", "",
       {"http://127.0.0.1:3000/.well-known/oauth-protected-resource/mcp",
        "http://127.0.0.1:3000/.well-known/oauth-protected-resource"}},
      {"default port dropped", "https://a.example:443/mcp", "",
       {"https://a.example/.well-known/oauth-protected-resource/mcp", "https://a.example/.well-known/oauth-protected-resource"}},
      {"relative hint ignored", "https://a.example/mcp", "/.well-known/x",
       {"https://a.example/.well-known/oauth-protected-resource/mcp", "https://a.example/.well-known/oauth-protected-resource"}},
      {"ftp hint ignored", "https://a.example/", "ftp://a.example/prm", {"https://a.example/.well-known/oauth-protected-resource"}},
      {"garbage hint ignored", "https://a.example/", "ht tp://x y", {"https://a.example/.well-known/oauth-protected-resource"}},
  };
  for (const auto& r : rows) EXPECT_EQ(protected_resource_metadata_urls(parse_endpoint(r.server), r.hint), r.urls) << r.name;
}

TEST(oauth_discovery, authorization_server_metadata_urls_table) {
  struct row {
    const char* issuer;
    strings urls;
  };
  const std::vector<row> rows = {
      {"https://auth.example.com/tenant1",
       {"https://auth.example.com/.well-known/oauth-authorization-server/tenant1",
        "https://auth.example.com/.well-known/openid-configuration/tenant1",
        "https://auth.example.com/tenant1/.well-known/openid-configuration"}},
      {"https://auth.example.com/tenant1/",
       {"https://auth.example.com/.well-known/oauth-authorization-server/tenant1",
        "https://auth.example.com/.well-known/openid-configuration/tenant1",
        "https://auth.example.com/tenant1/.well-known/openid-configuration"}},
      {"https://auth.example.com",
       {"https://auth.example.com/.well-known/oauth-authorization-server", "https://auth.example.com/.well-known/openid-configuration"}},
      {"https://auth.example.com/",
       {"https://auth.example.com/.well-known/oauth-authorization-server", "https://auth.example.com/.well-known/openid-configuration"}},
      {"http://127.0.0.1:9000/realms/a/b",
       {"http://127.0.0.1:9000/.well-known/oauth-authorization-server/realms/a/b",
        "http://127.0.0.1:9000/.well-known/openid-configuration/realms/a/b",
        "http://127.0.0.1:9000/realms/a/b/.well-known/openid-configuration"}},
      {"not a url", {}},
      {"mailto:a@b", {}},
      {"", {}},
  };
  for (const auto& r : rows) EXPECT_EQ(authorization_server_metadata_urls(r.issuer), r.urls) << r.issuer;
}

TEST(oauth_discovery, protected_resource_metadata_table) {
  struct row {
    const char* name;
    const char* server;
    std::string json;
    const char* error;  // empty: accepted
  };
  auto doc = [](const char* resource) {
    return std::string(R"({"resource":")") + resource + R"(","authorization_servers":["https://auth.example"]})";
  };
  const std::vector<row> rows = {
      {"exact", "https://h.example/mcp", doc("https://h.example/mcp"), ""},
      {"trailing slash and case", "https://h.example/mcp", doc("HTTPS://H.example:443/mcp/"), ""},
      {"root covers all", "https://h.example/mcp", doc("https://h.example/"), ""},
      {"root without slash", "https://h.example/mcp", doc("https://h.example"), ""},
      {"path prefix", "https://h.example/api/v1/mcp", doc("https://h.example/api"), ""},
      {"port kept", "http://127.0.0.1:3000/mcp", doc("http://127.0.0.1:3000/mcp"), ""},
      {"other path", "https://h.example/mcp", doc("https://h.example/other"),
       R"(the protected-resource metadata is for resource "https://h.example/other", not for https://h.example/mcp)"},
      {"prefix of a segment", "https://h.example/mcpx", doc("https://h.example/mcp"),
       R"(the protected-resource metadata is for resource "https://h.example/mcp", not for https://h.example/mcpx)"},
      {"longer than the server", "https://h.example/mcp", doc("https://h.example/mcp/v2"),
       R"(the protected-resource metadata is for resource "https://h.example/mcp/v2", not for https://h.example/mcp)"},
      {"other host", "https://h.example/mcp", doc("https://evil.example/mcp"),
       R"(the protected-resource metadata is for resource "https://evil.example/mcp", not for https://h.example/mcp)"},
      {"other port", "https://h.example/mcp", doc("https://h.example:8443/mcp"),
       R"(the protected-resource metadata is for resource "https://h.example:8443/mcp", not for https://h.example/mcp)"},
      {"other scheme", "https://h.example/mcp", doc("http://h.example/mcp"),
       R"(the protected-resource metadata is for resource "http://h.example/mcp", not for https://h.example/mcp)"},
      {"not a URL", "https://h.example/mcp", doc("mcp"),
       R"(the protected-resource metadata is for resource "mcp", not for https://h.example/mcp)"},
      {"not JSON", "https://h.example/mcp", "<html>", "the protected-resource metadata is not a JSON object"},
      {"array", "https://h.example/mcp", "[]", "the protected-resource metadata is not a JSON object"},
      {"no resource", "https://h.example/mcp", R"({"authorization_servers":["https://a"]})",
       "the protected-resource metadata has no resource"},
      {"resource not a string", "https://h.example/mcp", R"({"resource":1,"authorization_servers":["https://a"]})",
       "the protected-resource metadata has no resource"},
      {"no servers", "https://h.example/mcp", R"({"resource":"https://h.example/mcp"})",
       "the protected-resource metadata names no authorization_servers"},
      {"empty servers", "https://h.example/mcp", R"({"resource":"https://h.example/mcp","authorization_servers":[]})",
       "the protected-resource metadata names no authorization_servers"},
      {"server not a string", "https://h.example/mcp", R"({"resource":"https://h.example/mcp","authorization_servers":[7]})",
       "the protected-resource metadata's authorization_servers holds something that is not a URL"},
  };
  for (const auto& r : rows) {
    auto parsed = parse_protected_resource_metadata(r.json, parse_endpoint(r.server));
    EXPECT_EQ(parsed.error, r.error) << r.name;
    EXPECT_EQ(parsed.metadata.has_value(), std::string(r.error).empty()) << r.name;
  }
}

TEST(oauth_discovery, protected_resource_metadata_fields) {
  auto parsed = parse_protected_resource_metadata(
      R"({"resource":"https://h.example/mcp","authorization_servers":["https://a1","https://a2"],
          "scopes_supported":["read",5,"write"],"bearer_methods_supported":["header"]})",
      parse_endpoint("https://h.example/mcp"));
  ASSERT_TRUE(parsed.metadata) << parsed.error;
  EXPECT_EQ(parsed.metadata->resource, "https://h.example/mcp");
  EXPECT_EQ(parsed.metadata->authorization_servers, (strings{"https://a1", "https://a2"}));
  EXPECT_EQ(parsed.metadata->scopes_supported, (strings{"read", "write"}));
}

namespace {

std::string server_doc(const std::string& issuer, const std::string& extra) {
  return R"({"issuer":")" + issuer +
         R"(","authorization_endpoint":"https://auth.example/authorize","token_endpoint":"https://auth.example/token")" +
         extra + "}";
}

}  // namespace

TEST(oauth_discovery, authorization_server_metadata_table) {
  const std::string pkce = R"(,"code_challenge_methods_supported":["S256"])";
  struct row {
    const char* name;
    std::string json;
    const char* expected_issuer;
    const char* error;
  };
  const std::vector<row> rows = {
      {"complete", server_doc("https://auth.example", pkce), "https://auth.example", ""},
      {"plain and S256", server_doc("https://auth.example", R"(,"code_challenge_methods_supported":["plain","S256"])"),
       "https://auth.example", ""},
      {"issuer mismatch", server_doc("https://evil.example", pkce), "https://auth.example",
       R"(the authorization server metadata is for issuer "https://evil.example", not "https://auth.example" (RFC 8414 §3.3))"},
      {"trailing slash is a mismatch", server_doc("https://auth.example/", pkce), "https://auth.example",
       R"(the authorization server metadata is for issuer "https://auth.example/", not "https://auth.example" (RFC 8414 §3.3))"},
      {"missing slash is a mismatch", server_doc("https://auth.example", pkce), "https://auth.example/",
       R"(the authorization server metadata is for issuer "https://auth.example", not "https://auth.example/" (RFC 8414 §3.3))"},
      {"case is a mismatch", server_doc("https://Auth.example", pkce), "https://auth.example",
       R"(the authorization server metadata is for issuer "https://Auth.example", not "https://auth.example" (RFC 8414 §3.3))"},
      {"no PKCE list", server_doc("https://auth.example", ""), "https://auth.example",
       "the authorization server does not advertise PKCE S256 (code_challenge_methods_supported)"},
      {"plain only", server_doc("https://auth.example", R"(,"code_challenge_methods_supported":["plain"])"),
       "https://auth.example", "the authorization server does not advertise PKCE S256 (code_challenge_methods_supported)"},
      {"lower-case s256", server_doc("https://auth.example", R"(,"code_challenge_methods_supported":["s256"])"),
       "https://auth.example", "the authorization server does not advertise PKCE S256 (code_challenge_methods_supported)"},
      {"no issuer", R"({"authorization_endpoint":"https://a/authorize","token_endpoint":"https://a/token"})",
       "https://a", "the authorization server metadata has no issuer"},
      {"no token endpoint", R"({"issuer":"https://a","authorization_endpoint":"https://a/authorize"})", "https://a",
       "the authorization server metadata has no token_endpoint"},
      {"no authorization endpoint", R"({"issuer":"https://a","token_endpoint":"https://a/token"})", "https://a",
       "the authorization server metadata has no authorization_endpoint"},
      {"relative endpoint", R"({"issuer":"https://a","authorization_endpoint":"/authorize","token_endpoint":"https://a/t"})",
       "https://a", "the authorization server metadata's authorization_endpoint is not an http(s) URL"},
      {"not JSON", "not json", "https://a", "the authorization server metadata is not a JSON object"},
  };
  for (const auto& r : rows) {
    auto parsed = parse_authorization_server_metadata(r.json, r.expected_issuer);
    EXPECT_EQ(parsed.error, r.error) << r.name;
    EXPECT_EQ(parsed.metadata.has_value(), std::string(r.error).empty()) << r.name;
  }
}

TEST(oauth_discovery, authorization_server_metadata_fields) {
  auto parsed = parse_authorization_server_metadata(
      server_doc("https://auth.example/t1", R"(,"registration_endpoint":"https://auth.example/register",
        "revocation_endpoint":"https://auth.example/revoke","scopes_supported":["openid","offline_access"],
        "code_challenge_methods_supported":["S256"],"token_endpoint_auth_methods_supported":["none","client_secret_post"],
        "client_id_metadata_document_supported":true,"authorization_response_iss_parameter_supported":true)"),
      "https://auth.example/t1");
  ASSERT_TRUE(parsed.metadata) << parsed.error;
  const auto& m = *parsed.metadata;
  EXPECT_EQ(m.issuer, "https://auth.example/t1");
  EXPECT_EQ(m.authorization_endpoint, "https://auth.example/authorize");
  EXPECT_EQ(m.token_endpoint, "https://auth.example/token");
  EXPECT_EQ(m.registration_endpoint, "https://auth.example/register");
  EXPECT_EQ(m.revocation_endpoint, "https://auth.example/revoke");
  EXPECT_EQ(m.scopes_supported, (strings{"openid", "offline_access"}));
  EXPECT_EQ(m.code_challenge_methods_supported, (strings{"S256"}));
  EXPECT_EQ(m.token_endpoint_auth_methods_supported, (strings{"none", "client_secret_post"}));
  EXPECT_TRUE(m.client_id_metadata_document_supported);
  EXPECT_TRUE(m.authorization_response_iss_parameter_supported);
  EXPECT_FALSE(m.from_defaults);

  auto minimal = parse_authorization_server_metadata(
      server_doc("https://a", R"(,"code_challenge_methods_supported":["S256"],"authorization_response_iss_parameter_supported":"yes")"),
      "https://a");
  ASSERT_TRUE(minimal.metadata) << minimal.error;
  EXPECT_EQ(minimal.metadata->registration_endpoint, "");
  EXPECT_FALSE(minimal.metadata->authorization_response_iss_parameter_supported);  // only true is true
  EXPECT_FALSE(minimal.metadata->client_id_metadata_document_supported);
}

TEST(oauth_discovery, legacy_fallbacks_use_the_servers_origin) {
  struct row {
    const char* server;
    const char* origin;
  };
  for (const auto& r : std::vector<row>{{"https://API.example.com/v1/mcp?x=1", "https://api.example.com"},
                                        {"http://127.0.0.1:3000/mcp", "http://127.0.0.1:3000"},
                                        {"https://h.example:443/", "https://h.example"},
                                        {"https://[::1]:8443/mcp", "https://[::1]:8443"}}) {
    const auto server = parse_endpoint(r.server);
    const std::string origin = r.origin;
    EXPECT_EQ(legacy_issuer(server), origin) << r.server;
    const auto m = legacy_default_endpoints(server);
    EXPECT_EQ(m.issuer, origin) << r.server;
    EXPECT_EQ(m.authorization_endpoint, origin + "/authorize") << r.server;
    EXPECT_EQ(m.token_endpoint, origin + "/token") << r.server;
    EXPECT_EQ(m.registration_endpoint, origin + "/register") << r.server;
    EXPECT_EQ(m.revocation_endpoint, "") << r.server;
    EXPECT_EQ(m.code_challenge_methods_supported, strings{"S256"}) << r.server;
    EXPECT_TRUE(m.from_defaults) << r.server;
  }
}
