#pragma once
// Bearer tokens from an OAuth sign-in, kept fresh while the bridge runs: renewed shortly before
// they expire and after a 401, taken over from another bridge that renewed them first, and, if
// there is no usable sign-in at all, obtained by a browser sign-in (unless turned off).
//
// Refresh tokens rotate: two processes redeeming the same one lock one of them out. So every
// renewal runs under the store's file lock and re-reads the store first; only a process that
// still finds the token it knows to be stale redeems the refresh token, and saves the new pair
// before the lock is released.

#include "awork_mcp/auth/credential.hpp"
#include "awork_mcp/auth/oauth_flow.hpp"
#include "awork_mcp/auth/token_store.hpp"
#include "awork_mcp/relay/async_event.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace awork_mcp {

class oauth_credential final : public credential_source {
 public:
  oauth_credential(net::any_io_executor ex, oauth_flow& flow, const token_store& store, bool sign_in_when_needed);

  awaitable<std::optional<std::string>> authorization() override;
  awaitable<credential_renewal> renew_after_rejection(const credential_rejection& rejection) override;

 private:
  enum class renewal_reason { expiring, rejected, step_up };
  /// Renews under both locks; `stale` is the access token known not to work (empty: none).
  awaitable<credential_renewal> renew(renewal_reason reason, std::string stale, std::string www_authenticate);
  std::optional<std::string> header() const;

  net::any_io_executor executor_;
  oauth_flow& flow_;
  const token_store& store_;
  bool sign_in_when_needed_;
  /// Replaces the tokens in use (loaded, refreshed, taken over or signed in just now).
  void adopt(std::optional<sign_in_record> record);
  /// Whether to renew before use: within the last two minutes of the token's life, but never in
  /// the first half of it (a server that issues one-minute tokens is not asked on every request).
  bool due_for_early_renewal() const;

  std::optional<sign_in_record> record_;
  std::chrono::system_clock::time_point obtained_at_{};
  async_mutex busy_;  ///< one renewal at a time in this process
  std::chrono::steady_clock::time_point quiet_until_{};  ///< no early renewal attempt before this
  /// The last browser sign-in that failed, and why: requests that waited for it, or come within a
  /// minute, share its outcome instead of opening one browser window each.
  std::chrono::steady_clock::time_point sign_in_failed_at_{};
  std::string sign_in_problem_;
};

}  // namespace awork_mcp
