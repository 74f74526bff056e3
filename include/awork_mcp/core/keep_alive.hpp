#pragma once
// How long an idle keep-alive connection may be reused: retire it before the server does, so a
// request is rarely written into a socket the server is closing.

#include <chrono>
#include <optional>
#include <string_view>

namespace awork_mcp {

/// The `timeout=N` of a `Keep-Alive` response header, if present and well formed.
std::optional<std::chrono::seconds> keep_alive_timeout(std::string_view keep_alive_header);

/// The idle time after which a pooled connection is closed instead of reused: a second (or half)
/// less than the server announced, or a conservative default when it announced nothing.
std::chrono::milliseconds reuse_limit(std::optional<std::chrono::seconds> announced);

inline constexpr std::chrono::milliseconds default_reuse_limit{std::chrono::seconds(30)};

}  // namespace awork_mcp
