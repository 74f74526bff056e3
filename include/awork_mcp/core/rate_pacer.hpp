#pragma once
// Pacing under a server's rate limit. awork limits each workspace per second and per minute and
// says in every reply what is left (developers.awork.com/rate-limits):
//
//   X-RateLimit-Limit-Second: 500       X-RateLimit-Remaining-Second: 499
//   X-RateLimit-Limit-Minute: 1000      X-RateLimit-Remaining-Minute: 999
//   RateLimit-Limit: 1000  RateLimit-Remaining: 999  RateLimit-Reset: 47
//
// The RateLimit-* fields (the IETF draft's, as Kong sends them) describe the window closest to its
// limit, and RateLimit-Reset is the seconds until that window starts again. When a window's budget
// is spent, the next requests would only collect 429s: the pacer makes them wait for the reset.
// It is pure: facts from each reply and the time in, how long the next request waits out.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace awork_mcp {

/// The rate-limit fields of one reply, as sent (empty when absent).
struct rate_limit_facts {
  unsigned status = 0;
  std::string_view remaining_second;  ///< X-RateLimit-Remaining-Second
  std::string_view remaining_minute;  ///< X-RateLimit-Remaining-Minute
  std::string_view remaining;         ///< RateLimit-Remaining
  std::string_view reset;             ///< RateLimit-Reset (also spelt ratelimit-reset): seconds
  std::string_view retry_after;       ///< Retry-After, which counts on a 429 or 503 only
};

/// When the reply's request went out and its answer came back.
struct reply_times {
  std::chrono::steady_clock::time_point sent;
  std::chrono::steady_clock::time_point received;  ///< the reply's headers
  std::chrono::system_clock::time_point wall;      ///< the wall clock at `received`, for HTTP dates
};

/// Which budget holds requests back.
enum class rate_window { none, second, minute, announced, retry_after };
std::string_view describe(rate_window window);

class rate_pacer {
 public:
  using clock = std::chrono::steady_clock;

  /// A request never waits longer than `max_wait` (--max-retry-wait); then it is sent anyway.
  explicit rate_pacer(std::chrono::milliseconds max_wait) : max_wait_(max_wait) {}

  /// Takes in what one reply said about the budget.
  void observe(const rate_limit_facts& reply, const reply_times& times);

  struct pause {
    std::chrono::milliseconds wait{0};  ///< 0: send now
    bool capped = false;                ///< the reset is further away than max_wait
    bool announce = false;              ///< the first request held by this window: worth a log line
    rate_window window = rate_window::none;
  };
  /// How long a request about to be sent at `now` should wait first.
  pause before_send(clock::time_point now);

  /// Until when requests are held (nullopt: not at all), for tests and logs.
  std::optional<clock::time_point> held_until() const { return until_; }

 private:
  std::chrono::milliseconds max_wait_;
  std::optional<clock::time_point> until_;
  rate_window window_ = rate_window::none;
  bool announced_ = false;
};

}  // namespace awork_mcp
