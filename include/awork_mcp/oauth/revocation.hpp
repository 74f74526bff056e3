#pragma once
// How `awork-mcp logout` ends a grant at the server, decided from the stored sign-in alone:
// RFC 7009 where the authorization server advertised a revocation endpoint; awork's own client
// revocation (DELETE /api/v1/accounts/me/authorizedclients/{clientId}, with the access token)
// where the token endpoint is awork's account server; otherwise nothing is sent, and the tokens
// simply expire.

#include "awork_mcp/oauth/sign_in_record.hpp"

#include <string>

namespace awork_mcp {

struct revocation_plan {
  enum class kind {
    rfc7009,       ///< POST the refresh token (or the access token) to `url`
    awork_client,  ///< DELETE `url` with the access token as Bearer
    none
  } how = kind::none;
  std::string url;
};

revocation_plan plan_revocation(const sign_in_record& record);

}  // namespace awork_mcp
