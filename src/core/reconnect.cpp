#include "awork_mcp/core/reconnect.hpp"

#include <algorithm>

namespace awork_mcp {

milliseconds clamp_reconnect_delay(milliseconds requested) {
  return std::clamp(requested, min_reconnect_delay, max_reconnect_delay);
}

milliseconds resume_budget::next_delay(std::optional<milliseconds> server_retry) {
  // 1 s, 2 s, 4 s, ... never shifted past the maximum.
  const int doublings = std::min(attempts_, 6);
  ++attempts_;
  return clamp_reconnect_delay(server_retry.value_or(default_reconnect_delay * (1 << doublings)));
}

milliseconds listen_backoff::next_delay(bool stream_opened, std::optional<milliseconds> server_retry) {
  if (stream_opened)
    failing_ = default_reconnect_delay;
  else
    failing_ = std::min(failing_ * 2, max_reconnect_delay);
  return clamp_reconnect_delay(server_retry.value_or(stream_opened ? default_reconnect_delay : failing_));
}

}  // namespace awork_mcp
