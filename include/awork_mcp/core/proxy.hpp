#pragma once
// HTTP proxies from the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), as curl reads them.

#include "awork_mcp/core/endpoint.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace awork_mcp {

/// An HTTP proxy reached with CONNECT.
struct proxy_settings {
  std::string host;
  std::string port;
  std::string authorization;  ///< a Proxy-Authorization value from user:password in the URL, or empty

  std::string display() const { return "http://" + host + ":" + port; }
};

/// Parses a proxy URL (http://[user:password@]host[:port]; a bare host:port is taken as http).
/// Throws std::invalid_argument.
proxy_settings parse_proxy(std::string_view url);

/// Whether NO_PROXY (comma-separated hosts, domain suffixes, or "*") exempts this host.
bool bypasses_proxy(std::string_view host, std::string_view no_proxy);

/// Which proxy an endpoint gets, and where that choice came from (for `awork-mcp check`).
struct proxy_choice {
  std::optional<proxy_settings> proxy;
  /// The variable that decided: "no_proxy"/"NO_PROXY" (the host bypasses any proxy),
  /// "https_proxy"/"HTTPS_PROXY"/"http_proxy" (the proxy's URL); empty when the explicit proxy
  /// decided, or when nothing is set.
  std::string variable;
};

/// The proxy to use for this endpoint, as proxy_for, with the variable it came from.
proxy_choice choose_proxy(const endpoint& target, const std::optional<std::string>& explicit_proxy,
                          const std::function<const char*(const char*)>& env);

/// The proxy to use for this endpoint: an explicit one if given, otherwise HTTPS_PROXY (for
/// https) or HTTP_PROXY (for http), either case, unless NO_PROXY exempts the host.
std::optional<proxy_settings> proxy_for(const endpoint& target, const std::optional<std::string>& explicit_proxy,
                                        const std::function<const char*(const char*)>& env);

}  // namespace awork_mcp
