#include "awork_mcp/core/keep_alive.hpp"

#include "awork_mcp/core/text.hpp"

#include <charconv>

namespace awork_mcp {

std::optional<std::chrono::seconds> keep_alive_timeout(std::string_view header) {
  // Keep-Alive: timeout=5, max=1000 (RFC 2068 19.7.1.1; parameters in any order and case)
  while (!header.empty()) {
    auto comma = header.find(',');
    auto parameter = trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    auto equals = parameter.find('=');
    if (equals == std::string_view::npos || lower(trim(parameter.substr(0, equals))) != "timeout") continue;
    auto value = trim(parameter.substr(equals + 1));
    long long seconds = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc{} || end != value.data() + value.size() || seconds < 0) return std::nullopt;
    return std::chrono::seconds(seconds);
  }
  return std::nullopt;
}

std::chrono::milliseconds reuse_limit(std::optional<std::chrono::seconds> announced) {
  using std::chrono::milliseconds;
  if (!announced) return default_reuse_limit;
  const milliseconds server(*announced);
  // A second of margin for the request to arrive before the server's timer fires; half for short timeouts.
  const milliseconds limit = server >= std::chrono::seconds(2) ? server - std::chrono::seconds(1) : server / 2;
  return std::min(limit, default_reuse_limit * 4);
}

}  // namespace awork_mcp
