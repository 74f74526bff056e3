// Which revocation `awork-mcp logout` sends, from the stored sign-in alone.

#include "awork_mcp/oauth/revocation.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace awork_mcp;

TEST(oauth_revocation, plan_table) {
  using kind = revocation_plan::kind;
  struct row {
    const char* revocation_endpoint;
    const char* token_endpoint;
    const char* client_id;
    kind how;
    const char* url;
  };
  const std::vector<row> rows = {
      // RFC 7009 wherever it is advertised, awork's account server included.
      {"https://auth.example/revoke", "https://auth.example/token", "c1", kind::rfc7009, "https://auth.example/revoke"},
      {"https://api.awork.com/revoke", "https://api.awork.com/api/v1/accounts/token", "c1", kind::rfc7009,
       "https://api.awork.com/revoke"},
      // awork's account server without one: its client revocation, on the token endpoint's origin.
      {"", "https://api.awork.com/api/v1/accounts/token", "c1", kind::awork_client,
       "https://api.awork.com/api/v1/accounts/me/authorizedclients/c1"},
      {"", "http://127.0.0.1:8123/api/v1/accounts/token", "client-7", kind::awork_client,
       "http://127.0.0.1:8123/api/v1/accounts/me/authorizedclients/client-7"},
      // A client id is one path segment, whatever it holds.
      {"", "https://api.awork.com/api/v1/accounts/token", "a/b c", kind::awork_client,
       "https://api.awork.com/api/v1/accounts/me/authorizedclients/a%2Fb%20c"},
      // Anything else has no revocation: the tokens expire by themselves.
      {"", "https://auth.example/token", "c1", kind::none, ""},
      {"", "https://api.awork.com/api/v1/accounts/token/extra", "c1", kind::none, ""},
      {"", "https://api.awork.com/api/v1/accounts/token", "", kind::none, ""},
      {"", "not a url", "c1", kind::none, ""},
  };
  for (const auto& r : rows) {
    sign_in_record record;
    record.revocation_endpoint = r.revocation_endpoint;
    record.token_endpoint = r.token_endpoint;
    record.client.client_id = r.client_id;
    const auto plan = plan_revocation(record);
    EXPECT_EQ(plan.how, r.how) << r.token_endpoint << " " << r.client_id;
    EXPECT_EQ(plan.url, r.url) << r.token_endpoint << " " << r.client_id;
  }
}
