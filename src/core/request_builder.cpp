#include "awork_mcp/core/request_builder.hpp"
#include "awork_mcp/core/header_rules.hpp"
#include "awork_mcp/core/text.hpp"

#include "awork_mcp/version.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>

namespace awork_mcp {

namespace http = boost::beast::http;

namespace {

bool is_token_char(unsigned char c) {
  return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}


// Fields whose values the bridge sets and that never hold a secret. A user's --header of the same
// name is masked anyway (see redacted_head).
bool is_public_field(std::string_view name) {
  auto n = lower(name);
  for (std::string_view known : {"host", "user-agent", "accept", "content-type", "content-length", "connection",
                                 "mcp-protocol-version", "mcp-method", "mcp-name", "last-event-id"})
    if (n == known) return true;
  return false;
}

}  // namespace

std::pair<std::string, std::string> parse_header_arg(std::string_view arg) {
  auto colon = arg.find(':');
  if (colon == std::string_view::npos) throw std::invalid_argument("--header needs the form 'Name: value'");
  auto name = trim(arg.substr(0, colon));
  auto value = trim(arg.substr(colon + 1));
  if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) { return is_token_char(static_cast<unsigned char>(c)); }))
    throw std::invalid_argument("--header has an invalid header name: '" + std::string(name) + "'");
  if (!is_safe_header_value(value))
    throw std::invalid_argument("--header value for '" + std::string(name) + "' contains a line break");
  auto n = lower(name);
  if (n == "host" || n == "content-length" || n == "transfer-encoding" || n == "connection" || n == "mcp-session-id")
    throw std::invalid_argument("--header cannot set '" + std::string(name) + "': the bridge manages it");
  return {std::string(name), std::string(value)};
}

request_builder::request_builder(endpoint ep, header_list extra_headers)
    : endpoint_(std::move(ep)), extra_headers_(std::move(extra_headers)) {}

void request_builder::retarget(endpoint target, bool same_origin) {
  endpoint_ = std::move(target);
  if (!same_origin) send_credentials_ = false;
}

http_request request_builder::base(http::verb verb, const session_headers& session,
                                   const std::optional<std::string>& authorization) const {
  http_request req{verb, endpoint_.target, 11};
  req.set(http::field::host, endpoint_.host_header());
  req.set(http::field::user_agent, user_agent);
  if (authorization && send_credentials_) req.set(http::field::authorization, *authorization);
  if (!session.session_id.empty()) req.set("Mcp-Session-Id", session.session_id);
  if (!session.protocol_version.empty()) req.set("MCP-Protocol-Version", session.protocol_version);
  // Extra headers come last so that a user can override Accept or Authorization on purpose.
  if (send_credentials_)
    for (const auto& [name, value] : extra_headers_) req.set(name, value);
  req.keep_alive(true);
  return req;
}

http_request request_builder::post(std::string body, const session_headers& session,
                                   const std::optional<std::string>& authorization, const header_list& own) const {
  auto req = base(http::verb::post, session, authorization);
  for (const auto& [name, value] : own) req.set(name, value);
  if (!req.count(http::field::accept)) req.set(http::field::accept, "application/json, text/event-stream");
  req.set(http::field::content_type, "application/json");
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

http_request request_builder::get_stream(const session_headers& session,
                                         const std::optional<std::string>& authorization,
                                         const std::optional<std::string>& last_event_id) const {
  auto req = base(http::verb::get, session, authorization);
  req.set(http::field::accept, "text/event-stream");
  if (last_event_id) req.set("Last-Event-ID", *last_event_id);
  return req;
}

http_request request_builder::end_session(const session_headers& session,
                                          const std::optional<std::string>& authorization) const {
  return base(http::verb::delete_, session, authorization);
}

std::optional<std::string> serialize_head(const http_request& request) {
  std::string head;
  head.reserve(512);
  head.append(request.method_string()).append(" ").append(request.target()).append(" HTTP/1.1\r\n");
  for (const auto& field : request) {
    if (!is_safe_header_value(field.value())) return std::nullopt;
    head.append(field.name_string()).append(": ").append(field.value()).append("\r\n");
  }
  head.append("\r\n");
  return head;
}

std::string request_builder::redacted_head(const http_request& request) const {
  auto user_set = [&](std::string_view name) {
    return std::any_of(extra_headers_.begin(), extra_headers_.end(),
                       [&](const auto& header) { return lower(header.first) == lower(name); });
  };
  std::ostringstream os;
  const auto target = std::string_view(request.target());
  const auto query = target.find('?');
  os << request.method_string() << ' ' << target.substr(0, query) << (query == std::string_view::npos ? "" : "?…");
  for (const auto& field : request) {
    os << " | " << field.name_string() << ": ";
    if (is_public_field(field.name_string()) && !user_set(field.name_string()))
      os << field.value();
    else
      os << "<redacted>";
  }
  return os.str();
}

std::string media_type(std::string_view content_type) {
  return lower(trim(content_type.substr(0, content_type.find(';'))));
}

}  // namespace awork_mcp
