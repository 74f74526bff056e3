#pragma once
// Where the Authorization header comes from. A static key today; OAuth access tokens, which
// expire and are refreshed while the bridge runs, plug in behind the same interface.

#include "awork_mcp/net/net.hpp"

#include <optional>
#include <string>

namespace awork_mcp {

class credential_source {
 public:
  virtual ~credential_source() = default;
  /// The Authorization header value for the next request, or nullopt to send none.
  virtual awaitable<std::optional<std::string>> authorization() = 0;
  /// Called after a 401 answered a request sent with `rejected`; true if a retry may now succeed
  /// (a refreshed token), false if the failure should be reported.
  virtual awaitable<bool> refresh_after_rejection(const std::optional<std::string>& rejected) = 0;
};

/// A fixed API key (or pre-issued token) sent as a bearer credential.
class static_bearer_credential final : public credential_source {
 public:
  explicit static_bearer_credential(std::optional<std::string> token);
  awaitable<std::optional<std::string>> authorization() override;
  awaitable<bool> refresh_after_rejection(const std::optional<std::string>& rejected) override;

 private:
  std::optional<std::string> header_value_;
};

}  // namespace awork_mcp
