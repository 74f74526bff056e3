#include "awork_mcp/oauth/revocation.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/pchars.hpp>

namespace awork_mcp {

namespace {

// awork's account server: its token endpoint's path. Recognised by the path, not the host, so
// that any host serving awork's account API (a staging one, the test's stand-in) is treated alike.
constexpr std::string_view awork_token_path = "/api/v1/accounts/token";
constexpr std::string_view awork_clients_path = "/api/v1/accounts/me/authorizedclients/";

}  // namespace

revocation_plan plan_revocation(const sign_in_record& record) {
  if (!record.revocation_endpoint.empty()) return {revocation_plan::kind::rfc7009, record.revocation_endpoint};
  auto token = boost::urls::parse_absolute_uri(record.token_endpoint);
  if (!token || token->encoded_path() != awork_token_path || !token->has_authority() || record.client.client_id.empty())
    return {};
  std::string url = std::string(token->scheme()) + "://" + std::string(token->encoded_authority()) +
                    std::string(awork_clients_path) + boost::urls::encode(record.client.client_id, boost::urls::pchars);
  return {revocation_plan::kind::awork_client, std::move(url)};
}

}  // namespace awork_mcp
