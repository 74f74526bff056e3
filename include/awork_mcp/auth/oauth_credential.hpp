#pragma once
// Bearer tokens from an OAuth sign-in, kept fresh while the bridge runs: renewed shortly before
// they expire and after a 401, taken over from another bridge that renewed them first, and, if
// there is no usable sign-in at all, obtained by a browser sign-in (unless turned off).
//
// Refresh tokens rotate: two processes redeeming the same one lock one of them out. So every
// renewal runs under the store's file lock and re-reads the store first; only a process that
// still finds the token it knows to be stale redeems the refresh token, and saves the new pair
// before the lock is released.
//
// A renewal (a refresh, a browser sign-in) belongs to the credential, not to the request that
// needed it: it runs as a job of its own, and each request waits for its outcome under the
// request's own cancellation. An editor that cancels the request, or gives up on it, does not
// stop a refresh the server has already rotated (the new pair would be lost, and the old refresh
// token, presented next time, revokes the grant), nor the sign-in the user is finishing in the
// browser. The bridge's shutdown waits (bounded) for a job in flight: settle().

#include "awork_mcp/auth/credential.hpp"
#include "awork_mcp/auth/oauth_flow.hpp"
#include "awork_mcp/auth/token_store.hpp"
#include "awork_mcp/relay/async_event.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace awork_mcp {

/// Owned by a shared_ptr (its renewal jobs hold one while they run).
class oauth_credential final : public credential_source, public std::enable_shared_from_this<oauth_credential> {
 public:
  /// `owner` keeps `flow` and `store` alive as long as the credential (and its jobs) live.
  oauth_credential(net::any_io_executor ex, oauth_flow& flow, const token_store& store, bool sign_in_when_needed,
                   std::shared_ptr<void> owner = {});

  awaitable<std::optional<std::string>> authorization() override;
  awaitable<credential_renewal> renew_after_rejection(const credential_rejection& rejection) override;
  awaitable<void> settle(std::chrono::steady_clock::time_point deadline) override;

 private:
  enum class renewal_reason { expiring, rejected, step_up };
  /// Starts a renewal job (see the top of this file) and waits for its outcome.
  awaitable<credential_renewal> renew(renewal_reason reason, std::string stale, std::string www_authenticate);
  /// The job: renews under both locks; `stale` is the access token known not to work (empty:
  /// none). An early renewal (`expiring`) does not wait for another process's lock: the token
  /// in hand still works.
  awaitable<credential_renewal> run_renewal(renewal_reason reason, std::string stale, std::string www_authenticate);
  std::shared_ptr<void> owner_;
  std::size_t jobs_running_ = 0;
  async_event job_ended_;
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
