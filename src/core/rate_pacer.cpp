#include "awork_mcp/core/rate_pacer.hpp"

#include "awork_mcp/core/reply_policy.hpp"
#include "awork_mcp/core/text.hpp"

#include <algorithm>
#include <charconv>

namespace awork_mcp {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Longer than any window; keeps a wild value from overflowing the arithmetic below.
constexpr unsigned long long max_count = 1'000'000;

// A count such as "0" (digits only); the first member if a server sends a list ("0, 0;w=60").
std::optional<long long> count_of(std::string_view text) {
  text = trim(text.substr(0, text.find_first_of(",;")));
  unsigned long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return static_cast<long long>(std::min(value, max_count));
}

bool spent(std::string_view remaining) {
  auto count = count_of(remaining);
  return count && *count == 0;
}

std::optional<seconds> seconds_of(std::string_view text) {
  auto count = count_of(text);
  if (!count) return std::nullopt;
  return std::min(seconds(*count), longest_retry_wait);  // so that milliseconds cannot overflow
}

// A window of this length resets within it.
constexpr seconds second_window{1};
constexpr seconds minute_window{60};

}  // namespace

std::string_view describe(rate_window window) {
  switch (window) {
    case rate_window::none: return "no limit";
    case rate_window::second: return "the per-second request budget is spent (X-RateLimit-Remaining-Second: 0)";
    case rate_window::minute: return "the per-minute request budget is spent (X-RateLimit-Remaining-Minute: 0)";
    case rate_window::announced: return "the request budget is spent (RateLimit-Remaining: 0)";
    case rate_window::retry_after: return "the server asked to wait (Retry-After)";
  }
  return "unknown";
}

void rate_pacer::observe(const rate_limit_facts& reply, const reply_times& times) {
  // Each spent window and how long until it resets; the longest holds.
  milliseconds longest{0};
  rate_window which = rate_window::none;
  auto hold = [&](rate_window window, milliseconds delay) {
    if (which == rate_window::none || delay > longest) {
      longest = delay;
      which = window;
    }
  };
  const auto announced_reset = seconds_of(reply.reset);
  const bool announced_spent = spent(reply.remaining);
  if (spent(reply.remaining_second)) hold(rate_window::second, second_window);
  if (spent(reply.remaining_minute)) {
    // RateLimit-* describe the window closest to its limit: with both spent, the minute's reset
    // (Kong breaks ties toward the longer window). Without it, a whole window is the most it takes.
    hold(rate_window::minute, announced_spent && announced_reset ? milliseconds(*announced_reset) : milliseconds(minute_window));
  }
  if (announced_spent) hold(rate_window::announced, announced_reset.value_or(second_window));
  if (reply.status == 429 || reply.status == 503) {
    // The same reading as the retry of the refused request itself (reply_policy).
    const auto asked = retry_delay(reply.status == 429 ? reply.reset : std::string_view(), reply.retry_after, times.wall);
    if (asked) hold(rate_window::retry_after, *asked);
  }
  if (which == rate_window::none) return;

  // The server counted the request when it arrived, between sending and the reply's headers, and
  // the reset counts from then. The headers are never early for a quick reply; a slow tool call's
  // headers are as old as the call, so the anchor is at most a second after sending.
  const auto anchor = std::min(times.received, times.sent + seconds(1));
  const auto until = anchor + longest;
  if (until <= times.received) return;  // already reset
  if (!until_ || *until_ <= times.received) {
    until_ = until;  // a new hold
    window_ = which;
    announced_ = false;
  } else if (until > *until_) {
    if (which != window_) announced_ = false;  // a longer hold for another reason is news
    until_ = until;
    window_ = which;
  }
  // A shorter hold while a longer one runs changes nothing: every window must have reset.
}

rate_pacer::pause rate_pacer::before_send(clock::time_point now) {
  pause p;
  if (!until_ || *until_ <= now || max_wait_ <= milliseconds(0)) return p;
  const auto left = std::chrono::ceil<milliseconds>(*until_ - now);
  p.capped = left > max_wait_;
  p.wait = std::min(left, max_wait_);
  p.window = window_;
  p.announce = !announced_;
  announced_ = true;
  return p;
}

}  // namespace awork_mcp
