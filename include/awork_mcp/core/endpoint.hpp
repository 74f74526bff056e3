#pragma once
// The upstream MCP endpoint, parsed from a URL.

#include <string>
#include <string_view>

namespace awork_mcp {

inline constexpr std::string_view awork_default_url = "https://api.awork.com/api/v1/mcp";

struct endpoint {
  bool tls = true;
  std::string host;    ///< without IPv6 brackets
  std::string port;    ///< always set, "443"/"80" by default
  std::string target;  ///< path and query, at least "/"

  /// The Host header value: host, bracketed if IPv6, with the port when not the default.
  std::string host_header() const;
  /// scheme://host[:port]/path for messages and logs: a query (which may hold a token) shows as "?…".
  std::string display() const;
  /// The whole URL, query included: for requests only, never for logs or messages.
  std::string url() const;
  /// scheme://host:port, to tell whether credentials may follow a redirect.
  std::string origin() const;
  bool is_loopback() const;
  /// Whether this is awork's service, so that messages can name awork and its key variable.
  bool is_awork() const;
};

/// Parses an http(s) URL with Boost.URL. Throws std::invalid_argument with a readable reason.
endpoint parse_endpoint(std::string_view url);

}  // namespace awork_mcp
