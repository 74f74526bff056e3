#include "awork_mcp/core/upstream_error.hpp"

#include "awork_mcp/core/json_text.hpp"
#include "awork_mcp/core/jsonrpc.hpp"
#include "awork_mcp/core/request_builder.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/json/parse.hpp>

#include <charconv>
#include <sstream>
#include <ostream>

namespace awork_mcp {

namespace asio_error = boost::asio::error;

std::ostream& operator<<(std::ostream& os, failure_kind k) {
  switch (k) {
    case failure_kind::dns: return os << "dns";
    case failure_kind::connect: return os << "connect";
    case failure_kind::tls: return os << "tls";
    case failure_kind::timeout: return os << "timeout";
    case failure_kind::io: return os << "io";
    case failure_kind::uncertain: return os << "uncertain";
    case failure_kind::too_large: return os << "too_large";
    case failure_kind::redirect: return os << "redirect";
    case failure_kind::refused: return os << "refused";
    case failure_kind::sign_in: return os << "sign_in";
    case failure_kind::http_status: return os << "http_status";
    case failure_kind::bad_body: return os << "bad_body";
    case failure_kind::stream_ended: return os << "stream_ended";
    case failure_kind::shutdown: return os << "shutdown";
  }
  return os << "unknown";
}

upstream_failure describe_transport_error(boost::system::error_code ec, exchange_stage stage) {
  upstream_failure f;
  f.detail = ec.message();
  if (ec == boost::beast::error::timeout || ec == asio_error::timed_out) {
    f.kind = failure_kind::timeout;
    return f;
  }
  switch (stage) {
    case exchange_stage::resolve: f.kind = failure_kind::dns; break;
    case exchange_stage::connect: f.kind = failure_kind::connect; break;
    case exchange_stage::handshake: f.kind = failure_kind::tls; break;
    case exchange_stage::write:
    case exchange_stage::read:
      f.kind = ec.category() == boost::asio::error::get_ssl_category() ? failure_kind::tls : failure_kind::io;
      break;
  }
  if (ec == asio_error::host_not_found || ec == asio_error::host_not_found_try_again ||
      ec == asio_error::no_data || ec == asio_error::no_recovery)
    f.kind = failure_kind::dns;
  return f;
}

upstream_failure describe_http_status(unsigned status, std::string_view reason, std::string_view content_type,
                                      std::string_view body, std::optional<std::chrono::seconds> retry_after) {
  upstream_failure f;
  f.kind = failure_kind::http_status;
  f.http_status = status;
  f.detail = std::to_string(status);
  if (!reason.empty()) f.detail += " " + std::string(reason);
  f.retry_after = retry_after;
  if (media_type(content_type) == "application/json") {
    boost::system::error_code ec;
    auto parsed = parse_json(body, ec);
    if (!ec && parsed.is_object()) {
      const auto* error = parsed.get_object().if_contains("error");
      if (error && error->is_object() && error->get_object().contains("code") && error->get_object().contains("message"))
        f.server_error = *error;
    }
  }
  return f;
}

rpc_error to_rpc_error(const upstream_failure& f, const endpoint& server) {
  const std::string who = server.is_awork() ? "awork" : "the MCP server";
  const std::string where = server.display();
  rpc_error e;
  e.data["reason"] = [&] {
    std::ostringstream os;
    os << f.kind;
    return os.str();
  }();
  e.data["url"] = where;
  switch (f.kind) {
    case failure_kind::dns:
      e.code = rpc_code::connection_failed;
      e.message = "could not resolve " + server.host + " (DNS: " + f.detail + "): check --url and your network";
      break;
    case failure_kind::connect:
      e.code = rpc_code::connection_failed;
      e.message = "could not connect to " + server.host_header() + " (" + f.detail + "): is the server running and reachable?";
      break;
    case failure_kind::tls:
      e.code = rpc_code::connection_failed;
      e.message = "TLS with " + server.host + " failed (" + f.detail +
                  "): the certificate is not trusted or not for this host; use --ca-file for a private CA";
      break;
    case failure_kind::timeout:
      e.code = rpc_code::request_timeout;
      e.message = who + " did not answer in time (" + f.detail + "); raise --request-timeout for slow tools";
      break;
    case failure_kind::io:
      e.code = rpc_code::connection_failed;
      e.message = "the connection to " + server.host_header() + " broke (" + f.detail + ")";
      break;
    case failure_kind::uncertain:
      e.code = rpc_code::connection_failed;
      e.message = "the connection to " + server.host_header() + " broke after the request was sent (" + f.detail +
                  "); the call may or may not have run: check its effect before repeating it";
      break;
    case failure_kind::too_large:
    case failure_kind::redirect:
    case failure_kind::refused:
      e.code = f.kind == failure_kind::redirect ? rpc_code::connection_failed : rpc_code::internal_error;
      e.message = f.detail;
      break;
    case failure_kind::sign_in:
      e.code = rpc_code::http_error;
      e.data["httpStatus"] = 401;
      e.message = "not signed in to " + who + ": " + f.detail;
      break;
    case failure_kind::stream_ended:
      e.code = rpc_code::connection_failed;
      e.message = who + " ended the response stream before sending the response (" + f.detail + ")";
      break;
    case failure_kind::shutdown:
      e.code = rpc_code::connection_failed;
      e.message = "awork-mcp is shutting down; " + who + " had not answered yet";
      break;
    case failure_kind::bad_body:
      e.code = rpc_code::internal_error;
      e.message = who + " sent a response the bridge cannot read (" + f.detail + ")";
      break;
    case failure_kind::http_status: {
      e.code = rpc_code::http_error;
      e.data["httpStatus"] = f.http_status;
      const std::string status = "(HTTP " + f.detail + ")";
      switch (f.http_status) {
        case 401:
          e.message = server.is_awork() ? "awork rejected the API key " + status + ": check AWORK_API_KEY or --api-key-file"
                                        : who + " rejected the credential " + status + ": check the API key or --header";
          break;
        case 403:
          e.message = who + " denied permission " + status +
                      ": the user behind the credential may not do this; check its permissions";
          break;
        case 404:
          e.message = who + " has no MCP endpoint at " + where + " " + status + ": check --url";
          break;
        case 429:
          e.message = who + " is rate limiting requests " + status + "; retry " +
                      (f.retry_after ? "in " + std::to_string(f.retry_after->count()) + " s" : "later");
          break;
        default:
          if (f.http_status >= 500)
            e.message = who + " failed with a server error " + status + "; try again later";
          else
            e.message = who + " refused the request " + status;
      }
      if (f.retry_after) e.data["retryAfterSeconds"] = f.retry_after->count();
      if (f.server_error.is_object()) {
        // Keep the server's own words; the bridge's reading goes into data.
        const auto& server_error = f.server_error.get_object();
        if (const auto* code = server_error.if_contains("code"); code && code->is_int64())
          e.code = static_cast<int>(code->get_int64());
        if (const auto* message = server_error.if_contains("message"); message && message->is_string())
          e.message = std::string(message->get_string()) + " — " + e.message;
        if (const auto* data = server_error.if_contains("data")) e.data["serverData"] = *data;
      }
      break;
    }
  }
  return e;
}

}  // namespace awork_mcp
