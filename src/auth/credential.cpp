#include "awork_mcp/auth/credential.hpp"

namespace awork_mcp {

static_bearer_credential::static_bearer_credential(std::optional<std::string> token) {
  if (token) header_value_ = "Bearer " + *token;
}

awaitable<std::optional<std::string>> static_bearer_credential::authorization() { co_return header_value_; }

awaitable<bool> static_bearer_credential::refresh_after_rejection(const std::optional<std::string>&) {
  co_return false;  // a fixed key does not get better by asking again
}

}  // namespace awork_mcp
