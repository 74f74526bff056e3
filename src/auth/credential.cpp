#include "awork_mcp/auth/credential.hpp"

namespace awork_mcp {

static_bearer_credential::static_bearer_credential(std::optional<std::string> token) {
  if (token) header_value_ = "Bearer " + *token;
}

awaitable<std::optional<std::string>> static_bearer_credential::authorization() { co_return header_value_; }

awaitable<credential_renewal> static_bearer_credential::renew_after_rejection(const credential_rejection&) {
  co_return credential_renewal{};  // a fixed key does not get better by asking again
}

}  // namespace awork_mcp
