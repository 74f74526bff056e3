#pragma once
// How soon, and how often, a broken or closed stream is reopened.

#include <chrono>
#include <optional>

namespace awork_mcp {

using std::chrono::milliseconds;

/// A server may ask for any `retry:` delay. Below the minimum a stream that closes at once would
/// spin; above the maximum a request would sit for hours (a minute is plenty for a server that polls).
inline constexpr milliseconds min_reconnect_delay{100};
inline constexpr milliseconds max_reconnect_delay{60'000};
inline constexpr milliseconds default_reconnect_delay{1'000};

/// The delay to use for a requested one, clamped into [min, max].
milliseconds clamp_reconnect_delay(milliseconds requested);

/// Resuming one broken response stream with GET + Last-Event-ID: a few attempts, doubling from a
/// second unless the server named a delay; any progress (a new event id) starts the count again.
class resume_budget {
 public:
  static constexpr int max_attempts = 5;

  bool exhausted() const { return attempts_ >= max_attempts; }
  /// The wait before the next attempt, and counts it.
  milliseconds next_delay(std::optional<milliseconds> server_retry);
  void made_progress() { attempts_ = 0; }

 private:
  int attempts_ = 0;
};

/// Reopening the GET stream: promptly after a stream that worked, backing off (to a minute)
/// while opening fails; the server's `retry:` wins when it gave one.
class listen_backoff {
 public:
  milliseconds next_delay(bool stream_opened, std::optional<milliseconds> server_retry);

 private:
  milliseconds failing_{default_reconnect_delay};
};

}  // namespace awork_mcp
