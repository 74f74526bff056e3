// PKCE and its encodings against the RFCs' own test vectors.

#include "awork_mcp/oauth/pkce.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

using namespace awork_mcp;

namespace {

std::span<const unsigned char> bytes_of(std::string_view s) {
  return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

}  // namespace

TEST(oauth_pkce, base64_table) {
  struct row {
    std::string in;
    const char* standard;
    const char* url;
  };
  // RFC 4648 §10, and bytes that differ between the two alphabets.
  for (const auto& r : std::vector<row>{{"", "", ""},
                                        {"f", "Zg==", "Zg"},
                                        {"fo", "Zm8=", "Zm8"},
                                        {"foo", "Zm9v", "Zm9v"},
                                        {"foob", "Zm9vYg==", "Zm9vYg"},
                                        {"fooba", "Zm9vYmE=", "Zm9vYmE"},
                                        {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
                                        {"\xfb\xff\xbf", "+/+/", "-_-_"},
                                        {std::string("\0\0", 2), "AAA=", "AAA"}}) {
    EXPECT_EQ(base64(bytes_of(r.in)), r.standard) << r.standard;
    EXPECT_EQ(base64url(bytes_of(r.in)), r.url) << r.standard;
  }
}

TEST(oauth_pkce, s256_challenge_matches_rfc_7636_appendix_b) {
  EXPECT_EQ(s256_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(oauth_pkce, sha256_of_abc) {
  // FIPS 180-2 appendix B.1.
  EXPECT_EQ(base64(sha256("abc")), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
}

TEST(oauth_pkce, random_tokens_are_fresh_verifiers) {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    auto token = random_url_token();
    EXPECT_EQ(token.size(), 43u) << token;
    EXPECT_TRUE(is_valid_verifier(token)) << token;
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 20u);
  EXPECT_EQ(random_url_token(16).size(), 22u);
  EXPECT_EQ(random_url_token(96).size(), 128u);
  EXPECT_EQ(random_url_token(0), "");
}

TEST(oauth_pkce, verifier_table) {
  struct row {
    std::string verifier;
    bool valid;
  };
  for (const auto& r : std::vector<row>{{std::string(43, 'a'), true},
                                        {std::string(42, 'a'), false},
                                        {std::string(128, 'Z'), true},
                                        {std::string(129, 'Z'), false},
                                        {"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", true},
                                        {std::string(40, '0') + "-._~", true},
                                        {std::string(42, 'a') + "+", false},
                                        {std::string(42, 'a') + "=", false},
                                        {std::string(42, 'a') + " ", false},
                                        {std::string(42, 'a') + "\xc3\xa9", false},
                                        {"", false}})
    EXPECT_EQ(is_valid_verifier(r.verifier), r.valid) << r.verifier;
}
