#pragma once
// One-off HTTP requests of the sign-in: metadata, registration, token and revocation endpoints,
// each on any origin, with the bridge's TLS trust, proxy and timeouts. Small bodies only.

#include "awork_mcp/core/outcome.hpp"
#include "awork_mcp/core/request_builder.hpp"
#include "awork_mcp/net/http_client.hpp"
#include "awork_mcp/net/net.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace awork_mcp {

struct oauth_reply {
  unsigned status = 0;
  std::string media_type;
  std::string www_authenticate;  ///< every WWW-Authenticate field, joined by ", "
  std::string body;
};

class oauth_http {
 public:
  using env_lookup = std::function<const char*(const char*)>;
  /// `ca_file`: extra trusted CAs; the TLS context is made on the first https request (loading the
  /// system trust store costs milliseconds a bridge with a valid token never needs to spend).
  oauth_http(net::any_io_executor ex, std::string ca_file, http_timeouts timeouts,
             std::optional<std::string> proxy_option, env_lookup env, bool allow_http);

  awaitable<outcome<oauth_reply>> get(const std::string& url, const header_list& headers = {});
  /// POST of a form (application/x-www-form-urlencoded) or JSON body.
  awaitable<outcome<oauth_reply>> post(const std::string& url, std::string body, std::string_view content_type,
                                       const header_list& headers = {});
  awaitable<outcome<oauth_reply>> send(http::verb verb, const std::string& url, std::string body,
                                       std::string_view content_type, const header_list& headers);

  /// An OAuth endpoint must be https, except on loopback or with --allow-http; an error text otherwise.
  std::string refuse_insecure(const std::string& url) const;

 private:
  net::any_io_executor executor_;
  std::string ca_file_;
  std::unique_ptr<ssl::context> tls_;
  http_timeouts timeouts_;
  std::optional<std::string> proxy_option_;
  env_lookup env_;
  bool allow_http_;
};

}  // namespace awork_mcp
