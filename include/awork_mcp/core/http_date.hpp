#pragma once
// HTTP dates (RFC 9110, section 5.6.7), as a server may give them in Retry-After.

#include <chrono>
#include <optional>
#include <string_view>

namespace awork_mcp {

/// Reads an HTTP-date in any of its three forms: the IMF-fixdate senders must use
/// ("Sun, 06 Nov 1994 08:49:37 GMT") and the obsolete ones recipients must still read, RFC 850
/// ("Sunday, 06-Nov-94 08:49:37 GMT") and C's asctime ("Sun Nov  6 08:49:37 1994"). An RFC 850
/// two-digit year that would lie more than 50 years after `now` is the latest past year with those
/// digits. Spaces and tabs around the date are ignored; anything else that does not fit is nullopt.
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text,
                                                                     std::chrono::system_clock::time_point now);

}  // namespace awork_mcp
