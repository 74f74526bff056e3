#include "awork_mcp/auth/oauth_http.hpp"

#include "awork_mcp/core/endpoint.hpp"
#include "awork_mcp/core/proxy.hpp"
#include "awork_mcp/version.hpp"

#include <spdlog/spdlog.h>

namespace awork_mcp {

namespace {

constexpr std::size_t max_oauth_body_bytes = 1024 * 1024;  // metadata and tokens are a few KB

}  // namespace

oauth_http::oauth_http(net::any_io_executor ex, std::string ca_file, http_timeouts timeouts,
                       std::optional<std::string> proxy_option, env_lookup env, bool allow_http)
    : executor_(std::move(ex)), ca_file_(std::move(ca_file)), timeouts_(timeouts), proxy_option_(std::move(proxy_option)),
      env_(std::move(env)), allow_http_(allow_http) {}

std::string oauth_http::refuse_insecure(const std::string& url) const {
  try {
    const auto target = parse_endpoint(url);
    if (!target.tls && !target.is_loopback() && !allow_http_)
      return "refusing plain http:// for " + target.display() + ": tokens would cross the network unencrypted";
  } catch (const std::exception& e) {
    return std::string("not a usable URL (") + e.what() + ")";
  }
  return {};
}

awaitable<outcome<oauth_reply>> oauth_http::get(const std::string& url, const header_list& headers) {
  const std::string no_body;
  const std::string_view no_type;
  co_return co_await send(http::verb::get, url, no_body, no_type, headers);
}

awaitable<outcome<oauth_reply>> oauth_http::post(const std::string& url, std::string body,
                                                 std::string_view content_type, const header_list& headers) {
  co_return co_await send(http::verb::post, url, std::move(body), content_type, headers);
}

awaitable<outcome<oauth_reply>> oauth_http::send(http::verb verb, const std::string& url, std::string body,
                                                 std::string_view content_type, const header_list& headers) {
  if (auto refusal = refuse_insecure(url); !refusal.empty()) co_return upstream_failure{failure_kind::refused, refusal};
  const auto target = parse_endpoint(url);
  // A client of its own: these requests are few, and each may go to another origin.
  if (target.tls && !tls_) {
    try {
      tls_ = std::make_unique<ssl::context>(make_tls_context(ca_file_));
    } catch (const std::exception& e) {
      co_return upstream_failure{failure_kind::tls, std::string("cannot set up TLS: ") + e.what()};
    }
  }
  http_client client(executor_, target, made_tls_context(target.tls ? tls_.get() : nullptr), timeouts_,
                     proxy_for(target, proxy_option_, env_));

  http_request request{verb, target.target, 11};
  request.set(http::field::host, target.host_header());
  request.set(http::field::user_agent, std::string("awork-mcp/") + version);
  request.set(http::field::accept, "application/json");
  for (const auto& [name, value] : headers) request.set(name, value);
  if (verb == http::verb::post || !body.empty()) {
    request.set(http::field::content_type, content_type);
    request.body() = std::move(body);
    request.prepare_payload();
  }
  spdlog::debug("OAuth: {} {}", std::string_view(http::to_string(verb)), target.display());

  send_options options;
  options.dedicated = true;
  options.body_limit = max_oauth_body_bytes;
  auto sent = co_await client.send(request, options);
  if (!sent) co_return std::move(sent.failure());
  auto& response = **sent;
  oauth_reply reply;
  reply.status = response.status();
  reply.media_type = response.media_type();
  reply.www_authenticate = response.header_values("WWW-Authenticate");
  auto rest = co_await response.read_all(max_oauth_body_bytes);
  if (!rest) co_return std::move(rest.failure());
  reply.body = std::move(*rest);
  spdlog::debug("OAuth: HTTP {} from {}", reply.status, target.display());
  co_return reply;
}

}  // namespace awork_mcp
