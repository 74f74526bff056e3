#pragma once
// The deprecated HTTP+SSE transport of MCP 2024-11-05, kept as the last fallback (2025-03-26,
// "Backwards compatibility"): when the initialize POST is refused with a 4xx, a GET on the same
// URL may open an event stream whose first event, `endpoint`, names where to POST messages; every
// answer and server message then comes on that one stream.

#include "awork_mcp/core/endpoint.hpp"
#include "awork_mcp/core/sse_parser.hpp"

#include <string>

namespace awork_mcp {

/// Whether a refused initialize POST (this HTTP status) may come from a 2024-11-05 server, so
/// that a GET for its event stream is worth trying. Not for statuses with a meaning of their own:
/// credentials (401, 403, 407), timeouts (408) and rate limits (429).
bool suggests_http_sse(unsigned status);

/// What the `endpoint` event of a 2024-11-05 stream says.
struct message_endpoint_verdict {
  bool usable = false;
  std::string target;   ///< path and query to POST messages to, on the server's own origin
  std::string problem;  ///< why not, when not usable
};

/// Judges the first event of the stream against the configured server. The event's data is a URI
/// reference resolved against the server URL (RFC 3986); it must stay on the server's origin:
/// the credential goes with every POST and must not be handed to another host.
message_endpoint_verdict judge_endpoint_event(const sse_event& event, const endpoint& server);

}  // namespace awork_mcp
