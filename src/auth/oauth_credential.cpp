#include "awork_mcp/auth/oauth_credential.hpp"

#include "awork_mcp/oauth/scopes.hpp"
#include "awork_mcp/oauth/www_authenticate.hpp"

#include <spdlog/spdlog.h>

namespace awork_mcp {

namespace {

// Renew this long before expiry, so that a request never leaves with a token about to die.
constexpr auto renew_margin = std::chrono::seconds(120);
// After a failed early renewal, keep the current token this long before trying again.
constexpr auto early_retry_pause = std::chrono::seconds(30);
// After a browser sign-in failed, this long before a request may start another.
constexpr auto sign_in_retry_pause = std::chrono::seconds(60);

std::string token_of(const std::optional<std::string>& authorization) {
  constexpr std::string_view bearer = "Bearer ";
  if (!authorization || authorization->compare(0, bearer.size(), bearer) != 0) return {};
  return authorization->substr(bearer.size());
}

}  // namespace

oauth_credential::oauth_credential(net::any_io_executor ex, oauth_flow& flow, const token_store& store,
                                   bool sign_in_when_needed, std::shared_ptr<void> owner)
    : owner_(std::move(owner)), job_ended_(ex), executor_(ex), flow_(flow), store_(store), sign_in_when_needed_(sign_in_when_needed), busy_(ex) {
  adopt(store_.load(flow_.resource_key()));
  if (record_) spdlog::info("OAuth: using the stored sign-in for {} (client {})", flow_.server().display(), record_->client.client_id);
}

void oauth_credential::adopt(std::optional<sign_in_record> record) {
  record_ = std::move(record);
  obtained_at_ = std::chrono::system_clock::now();
}

bool oauth_credential::due_for_early_renewal() const {
  const auto now = std::chrono::system_clock::now();
  if (!record_ || !needs_refresh(record_->tokens, now, renew_margin)) return false;
  return now - obtained_at_ >= *record_->tokens.expires_at - now;
}

std::optional<std::string> oauth_credential::header() const {
  if (!record_ || record_->tokens.access_token.empty()) return std::nullopt;
  return "Bearer " + record_->tokens.access_token;
}

awaitable<std::optional<std::string>> oauth_credential::authorization() {
  if (due_for_early_renewal() && std::chrono::steady_clock::now() >= quiet_until_) {
    const std::string no_challenge;
    auto renewed = co_await renew(renewal_reason::expiring, record_->tokens.access_token, no_challenge);
    if (!renewed.retry) {
      quiet_until_ = std::chrono::steady_clock::now() + early_retry_pause;
      spdlog::warn("OAuth: the access token expires soon and could not be renewed yet: {}", renewed.problem);
    }
  }
  co_return header();
}

awaitable<credential_renewal> oauth_credential::renew_after_rejection(const credential_rejection& rejection) {
  const auto challenge = parse_bearer_challenge(rejection.www_authenticate);
  const bool step_up = rejection.status == 403 && challenge && challenge->error == "insufficient_scope";
  if (rejection.status == 403 && !step_up) co_return credential_renewal{};
  // A server that asks again for scope this sign-in already holds will not be satisfied by
  // another browser window: that is a permission the user lacks.
  if (step_up && record_ && token_of(rejection.authorization) == record_->tokens.access_token &&
      !challenge->scope.empty() && covers_scopes(record_->tokens.scope, challenge->scope))
    co_return credential_renewal{false, "the server wants scope \"" + challenge->scope +
                                            "\", which this sign-in already has; the account may lack the permission"};
  const auto reason = step_up ? renewal_reason::step_up : renewal_reason::rejected;
  const auto stale = token_of(rejection.authorization);
  co_return co_await renew(reason, stale, rejection.www_authenticate);
}

awaitable<credential_renewal> oauth_credential::renew(renewal_reason reason, std::string stale,
                                                      std::string www_authenticate) {
  struct job_state {
    explicit job_state(net::any_io_executor ex) : ended(std::move(ex)) {}
    bool done = false;
    credential_renewal outcome;
    async_event ended;
  };
  auto job = std::make_shared<job_state>(executor_);
  ++jobs_running_;
  // Spawned without the request's cancellation slot: the request may stop waiting, the job goes on.
  net::co_spawn(executor_, run_renewal(reason, std::move(stale), std::move(www_authenticate)),
                [self = shared_from_this(), job](std::exception_ptr e, credential_renewal outcome) {
                  if (e) {
                    try {
                      std::rethrow_exception(e);
                    } catch (const std::exception& ex) {
                      outcome = {false, std::string("the renewal failed: ") + ex.what()};
                    }
                  }
                  job->outcome = std::move(outcome);
                  job->done = true;
                  job->ended.notify_all();
                  --self->jobs_running_;
                  self->job_ended_.notify_all();
                });
  while (!job->done) co_await job->ended.wait();  // throws if this request is cancelled meanwhile
  co_return job->outcome;
}

awaitable<void> oauth_credential::settle(std::chrono::steady_clock::time_point deadline) {
  if (jobs_running_ > 0) spdlog::info("OAuth: waiting for the renewal in progress before exiting");
  while (jobs_running_ > 0 && std::chrono::steady_clock::now() < deadline) co_await job_ended_.wait_until(deadline);
}

awaitable<credential_renewal> oauth_credential::run_renewal(renewal_reason reason, std::string stale,
                                                            std::string www_authenticate) {
  // Declared first, so destroyed last: if the io_context destroys this job unfinished (the hard
  // stop at exit), releasing the lock below still finds the credential.
  const auto keep_alive = shared_from_this();
  auto in_process = co_await busy_.acquire();
  // Someone in this process renewed while we waited for our turn.
  if (reason != renewal_reason::step_up && record_ && record_->tokens.access_token != stale && !due_for_early_renewal())
    co_return credential_renewal{true, {}};

  std::unique_ptr<platform::file_lock> across_processes;
  if (!store_.dir().empty()) {
    // An early renewal tries once: another process holding the lock may be in a browser sign-in
    // for minutes, and the token in hand still works meanwhile (the next request tries again).
    const auto deadline = reason == renewal_reason::expiring ? std::chrono::steady_clock::now()
                                                             : std::chrono::steady_clock::now() + flow_.longest_lock_hold();
    auto attempt = co_await store_.lock(executor_, flow_.resource_key(), deadline);
    if (!attempt.error.empty())  // an unwritable store: renew anyway, in this process alone
      spdlog::warn("OAuth: renewing without the sign-in store's lock ({})", attempt.error);
    else if (!attempt.lock)
      co_return credential_renewal{false, "another awork-mcp is still signing in to this server; try again in a moment"};
    across_processes = std::move(attempt.lock);
  }

  // Another bridge may have renewed meanwhile: its tokens are in the store.
  if (auto stored = store_.load(flow_.resource_key())) {
    const bool newer = stored->tokens.access_token != stale;
    if (!record_ || stored->tokens.access_token != record_->tokens.access_token) adopt(std::move(stored));
    if (reason != renewal_reason::step_up && newer && !due_for_early_renewal()) {
      spdlog::info("OAuth: took over the tokens another awork-mcp renewed");
      co_return credential_renewal{true, {}};
    }
  } else if (record_) {
    record_.reset();  // signed out meanwhile (`awork-mcp logout`)
  }

  std::string problem;
  if (reason != renewal_reason::step_up && record_ && !record_->tokens.refresh_token.empty()) {
    auto refreshed = co_await flow_.refresh(*record_);
    if (refreshed) {
      auto renewed = std::move(*record_);
      renewed.tokens = std::move(*refreshed);
      adopt(std::move(renewed));
      if (auto error = store_.save(*record_); !error.empty())
        spdlog::error("OAuth: the renewed tokens could not be stored ({}); other bridges will sign in again", error);
      spdlog::info("OAuth: renewed the access token for {}", flow_.server().display());
      co_return credential_renewal{true, {}};
    }
    problem = refreshed.failure().detail;
    if (refreshed.failure().kind != failure_kind::sign_in) co_return credential_renewal{false, problem};
    spdlog::warn("OAuth: {}", problem);
    record_->tokens = {};  // the grant is gone; keep nothing that looks usable
    store_.forget(flow_.resource_key());
  }
  if (reason == renewal_reason::expiring)
    co_return credential_renewal{false, problem.empty() ? "the sign-in has no refresh token" : problem};

  if (!sign_in_when_needed_)
    co_return credential_renewal{false, (problem.empty() ? std::string("no stored sign-in") : problem) +
                                            "; sign in with `awork-mcp login`"};
  // Requests that waited for a sign-in that failed, or that come soon after, share its outcome:
  // one browser window per attempt, not one per request.
  if (sign_in_failed_at_ != std::chrono::steady_clock::time_point{} &&
      std::chrono::steady_clock::now() - sign_in_failed_at_ < sign_in_retry_pause)
    co_return credential_renewal{false, sign_in_problem_};
  const std::string granted = record_ ? record_->tokens.scope : std::string();
  const std::string step_up_from = reason == renewal_reason::step_up ? granted : std::string();
  auto signed_in = co_await flow_.sign_in(www_authenticate, step_up_from);
  if (!signed_in) {
    sign_in_failed_at_ = std::chrono::steady_clock::now();
    sign_in_problem_ = signed_in.failure().detail + " (the next sign-in starts with a request made a minute from now)";
    co_return credential_renewal{false, sign_in_problem_};
  }
  adopt(std::move(*signed_in));
  if (auto error = store_.save(*record_); !error.empty())
    spdlog::error("OAuth: the sign-in could not be stored ({}); it lasts until this bridge exits", error);
  spdlog::warn("OAuth: signed in to {}", flow_.server().display());
  co_return credential_renewal{true, {}};
}

}  // namespace awork_mcp
