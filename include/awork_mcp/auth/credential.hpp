#pragma once
// Where the Authorization header comes from: a static key, or an OAuth sign-in whose access
// tokens expire and are renewed while the bridge runs. Both behind one interface.

#include "awork_mcp/net/net.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace awork_mcp {

/// What the server said when it refused a request's credential.
struct credential_rejection {
  std::optional<std::string> authorization;  ///< the Authorization value the request carried
  unsigned status = 401;                     ///< 401, or 403 (insufficient_scope)
  std::string www_authenticate;              ///< every WWW-Authenticate field, joined
};

/// Whether the refused request may be sent again, and if not, why (for the editor's error).
struct credential_renewal {
  bool retry = false;
  std::string problem;  ///< empty: report the server's refusal as it is
};

class credential_source {
 public:
  virtual ~credential_source() = default;
  /// The Authorization header value for the next request, or nullopt to send none.
  virtual awaitable<std::optional<std::string>> authorization() = 0;
  /// Called after a 401 (or a 403 insufficient_scope) refused a request: renews the credential
  /// if it can (a refresh, another process's newer token, a new sign-in).
  virtual awaitable<credential_renewal> renew_after_rejection(const credential_rejection& rejection) = 0;
  /// At exit: waits until `deadline` for a renewal in flight to end (a refresh token the server
  /// has rotated must be stored, or the sign-in is lost).
  virtual awaitable<void> settle(std::chrono::steady_clock::time_point /*deadline*/) { co_return; }
};

/// A fixed API key (or pre-issued token) sent as a bearer credential.
class static_bearer_credential final : public credential_source {
 public:
  explicit static_bearer_credential(std::optional<std::string> token);
  awaitable<std::optional<std::string>> authorization() override;
  awaitable<credential_renewal> renew_after_rejection(const credential_rejection& rejection) override;

 private:
  std::optional<std::string> header_value_;
};

}  // namespace awork_mcp
