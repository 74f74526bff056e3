#pragma once
// Following HTTP redirects of the MCP endpoint (307 and 308 keep the method and body).

#include "awork_mcp/core/endpoint.hpp"

#include <string>
#include <string_view>

namespace awork_mcp {

inline constexpr int max_redirect_hops = 5;

struct redirect_decision {
  bool follow = false;
  endpoint target;           ///< where to send the request now
  bool same_origin = false;  ///< scheme, host and port unchanged: credentials may go along
  std::string refusal;       ///< why not, for the error message
};

/// Decides whether to follow a redirect from `from` to `location` (absolute or relative), having
/// followed `hops` already. Refuses other statuses than 307/308, a downgrade from https to http,
/// a missing or malformed Location, more than max_redirect_hops hops, and plain http to a host
/// other than loopback unless `allow_http`.
redirect_decision decide_redirect(const endpoint& from, unsigned status, std::string_view location, int hops,
                                  bool allow_http = false);

}  // namespace awork_mcp
