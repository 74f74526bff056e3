// The authorization URL and the judgement of the redirect that comes back, as tables.

#include "awork_mcp/oauth/authorization_request.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

using namespace awork_mcp;
using verdict = callback_result::verdict;

namespace awork_mcp {
std::ostream& operator<<(std::ostream& os, verdict v) {
  switch (v) {
    case verdict::code: return os << "code";
    case verdict::denied: return os << "denied";
    case verdict::invalid: return os << "invalid";
    case verdict::rejected: return os << "rejected";
    case verdict::not_a_callback: return os << "not_a_callback";
  }
  return os << "?";
}
}  // namespace awork_mcp

namespace {

authorization_request sample_request(std::string endpoint) {
  authorization_request r;
  r.authorization_endpoint = std::move(endpoint);
  r.client_id = "client 1";
  r.redirect_uri = "http://127.0.0.1:53682/callback";
  r.code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
  r.state = "st4te";
  r.resource = "https://h.example/mcp";
  return r;
}

const std::string standard_query =
    "response_type=code&client_id=client%201&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Fcallback"
    "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&state=st4te"
    "&resource=https%3A%2F%2Fh.example%2Fmcp";

}  // namespace

TEST(oauth_authorization_request, url_table) {
  struct row {
    const char* name;
    authorization_request request;
    std::string url;
  };
  auto with_scope = sample_request("https://auth.example/authorize");
  with_scope.scope = "mcp:read a+b&c=d offline_access";
  auto no_resource = sample_request("https://auth.example/authorize");
  no_resource.resource.clear();
  const std::vector<row> rows = {
      {"plain", sample_request("https://auth.example/authorize"), "https://auth.example/authorize?" + standard_query},
      {"scope escaped", with_scope,
       "https://auth.example/authorize?" + standard_query + "&scope=mcp%3Aread%20a%2Bb%26c%3Dd%20offline_access"},
      {"no resource", no_resource,
       "https://auth.example/authorize?response_type=code&client_id=client%201&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Fcallback"
       "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&state=st4te"},
      {"existing parameters kept", sample_request("https://auth.example/oauth2/authorize?tenant=a%20b&x"),
       "https://auth.example/oauth2/authorize?tenant=a%20b&x&" + standard_query},
      {"our parameters replaced", sample_request("https://auth.example/authorize?state=old&tenant=t&response_type=token"),
       "https://auth.example/authorize?tenant=t&" + standard_query},
      {"fragment dropped", sample_request("https://auth.example/authorize#top"), "https://auth.example/authorize?" + standard_query},
      {"loopback http with port", sample_request("http://127.0.0.1:9000/authorize"),
       "http://127.0.0.1:9000/authorize?" + standard_query},
      {"relative endpoint", sample_request("/authorize"), ""},
      {"other scheme", sample_request("javascript:alert(1)"), ""},
      {"no host", sample_request("https:///authorize"), ""},
      {"empty", sample_request(""), ""},
  };
  for (const auto& r : rows) EXPECT_EQ(authorization_url(r.request), r.url) << r.name;
}

TEST(oauth_authorization_request, callback_table) {
  struct row {
    const char* name;
    std::string target;
    bool iss_required;
    verdict what;
    const char* code_or_message;
  };
  const char* stranger = "state does not match: not this sign-in's answer";
  const std::vector<row> rows = {
      {"code with iss", "/callback?code=abc&state=xyz&iss=https%3A%2F%2Fauth.example", true, verdict::code, "abc"},
      {"code without iss, not required", "/callback?state=xyz&code=abc", false, verdict::code, "abc"},
      {"code decoded", "/callback?code=a%2Fb+c&state=xyz", false, verdict::code, "a/b c"},
      {"other path", "/favicon.ico", false, verdict::not_a_callback, ""},
      {"other path with a query", "/other?code=abc&state=xyz", false, verdict::not_a_callback, ""},
      {"callback path prefix", "/callbackx?code=abc&state=xyz", false, verdict::not_a_callback, ""},
      {"no query", "/callback", false, verdict::not_a_callback, ""},
      {"state missing", "/callback?code=abc", false, verdict::invalid, stranger},
      {"state wrong", "/callback?code=abc&state=xy", false, verdict::invalid, stranger},
      {"state wrong on an error", "/callback?error=access_denied&state=other", false, verdict::invalid, stranger},
      {"state repeated", "/callback?code=abc&state=xyz&state=xyz", false, verdict::invalid,
       "the redirect repeats the parameter state"},
      {"iss mismatch", "/callback?code=abc&state=xyz&iss=https%3A%2F%2Fevil.example", false, verdict::rejected,
       "the redirect comes from issuer \"https://evil.example\", not \"https://auth.example\" (RFC 9207): refusing it"},
      {"iss with a trailing slash", "/callback?code=abc&state=xyz&iss=https%3A%2F%2Fauth.example%2F", false, verdict::rejected,
       "the redirect comes from issuer \"https://auth.example/\", not \"https://auth.example\" (RFC 9207): refusing it"},
      {"iss missing but promised", "/callback?code=abc&state=xyz", true, verdict::rejected,
       "the redirect has no iss, which the authorization server promised to send (RFC 9207)"},
      {"denied with a description", "/callback?error=access_denied&error_description=The+user+said+no&state=xyz", false,
       verdict::denied, "access_denied: The user said no"},
      {"denied without a description", "/callback?state=xyz&error=server_error&iss=https://auth.example", true,
       verdict::denied, "server_error"},
      {"denied with control characters", "/callback?state=xyz&error=e&error_description=a%0Ab%1B", false, verdict::denied,
       "e: a b "},
      {"no code", "/callback?state=xyz", false, verdict::rejected, "the redirect has no authorization code"},
      {"empty code", "/callback?state=xyz&code=", false, verdict::rejected, "the redirect has no authorization code"},
      {"bad escape", "/callback?code=%zz&state=xyz", false, verdict::invalid, "the redirect's query is not valid"},
  };
  const callback_expectation base{"xyz", "https://auth.example", false};
  for (const auto& r : rows) {
    auto expected = base;
    expected.iss_required = r.iss_required;
    const auto result = judge_callback(r.target, "/callback", expected);
    EXPECT_EQ(result.what, r.what) << r.name;
    if (r.what == verdict::code) {
      EXPECT_EQ(result.code, r.code_or_message) << r.name;
      EXPECT_EQ(result.message, "") << r.name;
    } else {
      EXPECT_EQ(result.message, r.code_or_message) << r.name;
      EXPECT_EQ(result.code, "") << r.name;
    }
  }
}

// The listener hands over a view into its read buffer, with more bytes behind it (found by the
// conformance suite: Boost.URL 1.81's parse_query read on past the view, to the next NUL).
TEST(oauth_authorization_request, callback_view_ends_where_the_target_ends) {
  const std::string buffer = "/callback?code=abc&state=xyz&iss=https%3A%2F%2Fauth.example HTTP/1.1\r\nHost: x";
  const std::string_view target(buffer.data(), buffer.find(' '));
  const auto result = judge_callback(target, "/callback", {"xyz", "https://auth.example", true});
  EXPECT_EQ(result.what, verdict::code) << result.message;
  EXPECT_EQ(result.code, "abc");
}

TEST(oauth_authorization_request, redirect_uri_table) {
  struct row {
    const char* uri;
    unsigned short port;  // 0: refused
    const char* path;
  };
  const std::vector<row> rows = {
      {"http://localhost:8400/oauth/callback", 8400, "/oauth/callback"},  // what awork's CLI registers
      {"http://127.0.0.1:5000/callback", 5000, "/callback"},
      {"http://127.0.0.1:5000", 5000, "/"},
      {"http://127.0.0.1:5000/cb?client=x", 5000, "/cb"},  // the query stays the server's business
      // The listener binds loopback http only, and must know its port.
      {"https://localhost:8400/oauth/callback", 0, ""},
      {"http://example.com:8400/oauth/callback", 0, ""},
      {"http://0.0.0.0:8400/oauth/callback", 0, ""},
      {"http://[::1]:8400/oauth/callback", 0, ""},
      {"http://localhost/oauth/callback", 0, ""},
      {"http://localhost:0/oauth/callback", 0, ""},
      {"http://localhost:8400/cb#frag", 0, ""},  // RFC 6749 3.1.2: no fragment
      {"localhost:8400/oauth/callback", 0, ""},
      {"", 0, ""},
  };
  for (const auto& r : rows) {
    const auto parts = split_redirect_uri(r.uri);
    EXPECT_EQ(parts.port, r.port) << r.uri;
    EXPECT_EQ(parts.path, r.path) << r.uri;
    EXPECT_EQ(parts.error.empty(), r.port != 0) << r.uri;
  }
}
