#include "awork_mcp/core/upstream_error.hpp"

#include "awork_mcp/core/json_text.hpp"
#include "awork_mcp/core/jsonrpc.hpp"
#include "awork_mcp/core/request_builder.hpp"
#include "awork_mcp/core/text.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/json/parse.hpp>

#include <initializer_list>
#include <limits>
#include <ostream>
#include <sstream>

namespace awork_mcp {

namespace asio_error = boost::asio::error;
namespace json = boost::json;

namespace {

// Bounds on what a server's error object may put into a message and into error.data.
constexpr std::size_t max_description_bytes = 600;
constexpr std::size_t max_item_bytes = 300;
constexpr std::size_t max_name_bytes = 128;
constexpr std::size_t max_items = 50;
constexpr std::size_t items_in_message = 10;

bool is_json_media(std::string_view content_type) {
  const auto type = media_type(content_type);
  return type == "application/json" || type.ends_with("+json");
}

// A member by name in any letter case: .NET services may write PascalCase.
const json::value* member(const json::object& object, std::string_view name) {
  if (const auto* exact = object.if_contains(name)) return exact;
  for (const auto& field : object)
    if (lower(field.key()) == name) return &field.value();
  return nullptr;
}

std::string clean(std::string_view text, std::size_t limit) { return printable(trim(text), limit); }

// The first of these members that is a non-empty string, made printable.
std::string text_member(const json::object& object, std::initializer_list<std::string_view> names, std::size_t limit) {
  for (auto name : names) {
    const auto* value = member(object, name);
    if (value && value->is_string()) {
      auto text = clean(value->get_string(), limit);
      if (!text.empty()) return text;
    }
  }
  return {};
}

void add_violation(service_error& error, std::string property, std::string message) {
  if (error.validation_errors.size() >= max_items || (property.empty() && message.empty())) return;
  error.validation_errors.push_back({std::move(property), std::move(message)});
}

// awork: [{"property": "Name", "message": "'Name' should not be empty."}]; also bare strings.
void read_violation_list(const json::array& list, service_error& error) {
  for (const auto& item : list) {
    if (item.is_string()) {
      add_violation(error, {}, clean(item.get_string(), max_item_bytes));
    } else if (item.is_object()) {
      const auto& object = item.get_object();
      add_violation(error, text_member(object, {"property", "propertyname", "field", "name", "member"}, max_name_bytes),
                    text_member(object, {"message", "errormessage", "description", "detail"}, max_item_bytes));
    }
  }
}

// ASP.NET problem details: {"Name": ["The Name field is required."]}.
void read_violation_map(const json::object& map, service_error& error) {
  for (const auto& field : map) {
    const auto property = clean(field.key(), max_name_bytes);
    if (field.value().is_string()) add_violation(error, property, clean(field.value().get_string(), max_item_bytes));
    if (!field.value().is_array()) continue;
    for (const auto& message : field.value().get_array())
      if (message.is_string()) add_violation(error, property, clean(message.get_string(), max_item_bytes));
  }
}

// Appends a sentence: after one that ends like a sentence a space is enough, else "; ".
void append_sentence(std::string& text, std::string_view sentence) {
  if (sentence.empty()) return;
  if (!text.empty()) {
    const char last = text.back();
    text += last == '.' || last == '!' || last == '?' ? " " : "; ";
  }
  text += sentence;
}

// What the service said, as sentences: the description, the violations, the details.
std::string service_summary(const service_error& error) {
  std::string summary = error.description;
  std::size_t shown = 0;
  for (const auto& v : error.validation_errors) {
    if (shown == items_in_message) break;
    if (v.property.empty())
      append_sentence(summary, v.message);
    else
      append_sentence(summary, v.property + ": " + (v.message.empty() ? std::string("invalid") : v.message));
    ++shown;
  }
  if (error.validation_errors.size() > shown)
    append_sentence(summary, "(and " + std::to_string(error.validation_errors.size() - shown) + " more)");
  for (std::size_t i = 0; i < error.details.size() && i < items_in_message; ++i) append_sentence(summary, error.details[i]);
  return summary;
}

}  // namespace

std::optional<service_error> parse_service_error(std::string_view content_type, std::string_view body) {
  if (!is_json_media(content_type)) return std::nullopt;
  boost::system::error_code ec;
  const auto parsed = parse_json(body, ec);
  if (ec || !parsed.is_object()) return std::nullopt;
  const auto& object = parsed.get_object();
  if (object.contains("jsonrpc")) return std::nullopt;  // a JSON-RPC message is the server's answer
  // Only bodies of awork's shape: another server's {"message": ...} keeps the status's own words.
  const auto* description = member(object, "description");
  const auto* validation = member(object, "validationerrors");
  const auto* trace_id = member(object, "traceid");
  if (!(description && description->is_string()) && !(validation && validation->is_array()) &&
      !(trace_id && trace_id->is_string()))
    return std::nullopt;

  service_error error;
  error.code = text_member(object, {"code"}, max_name_bytes);
  error.description = text_member(object, {"description", "detail", "title"}, max_description_bytes);
  error.link = text_member(object, {"link", "type"}, max_item_bytes);
  error.trace_id = text_member(object, {"traceid"}, max_name_bytes);
  if (const auto* details = member(object, "details")) {
    if (details->is_string()) error.details.push_back(clean(details->get_string(), max_item_bytes));
    if (details->is_array())
      for (const auto& d : details->get_array())
        if (d.is_string() && error.details.size() < max_items) error.details.push_back(clean(d.get_string(), max_item_bytes));
    std::erase(error.details, std::string());
  }
  if (validation && validation->is_array()) read_violation_list(validation->get_array(), error);
  if (const auto* errors = member(object, "errors")) {
    if (errors->is_object()) read_violation_map(errors->get_object(), error);
    if (errors->is_array()) read_violation_list(errors->get_array(), error);
  }
  return error;
}

request_trace make_request_trace(std::string_view trace_id_header, std::string_view edge_ref_header) {
  return {clean(trace_id_header, max_name_bytes), clean(edge_ref_header, max_name_bytes)};
}

std::string trace_suffix(const request_trace& trace) {
  if (trace.empty()) return {};
  std::string out = " (";
  if (!trace.trace_id.empty()) out += "Trace-Id: " + trace.trace_id;
  if (!trace.trace_id.empty() && !trace.edge_ref.empty()) out += ", ";
  if (!trace.edge_ref.empty()) out += "X-Edge-Ref: " + trace.edge_ref;
  return out + ")";
}

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
                                      std::string_view body, std::optional<std::chrono::seconds> retry_after,
                                      const request_trace& trace) {
  upstream_failure f;
  f.kind = failure_kind::http_status;
  f.http_status = status;
  f.detail = std::to_string(status);
  if (!reason.empty()) f.detail += " " + std::string(reason);
  f.retry_after = retry_after;
  f.trace = trace;
  if (media_type(content_type) == "application/json") {
    boost::system::error_code ec;
    auto parsed = parse_json(body, ec);
    if (!ec && parsed.is_object()) {
      const auto* error = parsed.get_object().if_contains("error");
      if (error && error->is_object() && error->get_object().contains("code") && error->get_object().contains("message"))
        f.server_error = *error;
    }
  }
  if (f.server_error.is_null()) f.service = parse_service_error(content_type, body);
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
        // A code past int's range keeps the bridge's own (wrapping would name another error).
        if (const auto* code = server_error.if_contains("code");
            code && code->is_int64() && code->get_int64() >= std::numeric_limits<int>::min() &&
            code->get_int64() <= std::numeric_limits<int>::max())
          e.code = static_cast<int>(code->get_int64());
        if (const auto* message = server_error.if_contains("message"); message && message->is_string())
          e.message = std::string(message->get_string()) + " — " + e.message;
        if (const auto* data = server_error.if_contains("data")) e.data["serverData"] = *data;
      }
      if (f.service) {
        // awork's own words first, then the bridge's reading; the rest goes into data.
        const auto& service = *f.service;
        if (auto summary = service_summary(service); !summary.empty()) e.message = summary + " — " + e.message;
        if (!service.code.empty()) e.data["errorCode"] = service.code;
        if (!service.link.empty()) e.data["link"] = service.link;
        if (!service.details.empty()) {
          json::array details;
          for (const auto& d : service.details) details.emplace_back(d);
          e.data["details"] = std::move(details);
        }
        if (!service.validation_errors.empty()) {
          json::array violations;
          for (const auto& v : service.validation_errors)
            violations.emplace_back(json::object{{"property", v.property}, {"message", v.message}});
          e.data["validationErrors"] = std::move(violations);
        }
      }
      const std::string trace_id =
          f.service && !f.service->trace_id.empty() ? f.service->trace_id : f.trace.trace_id;
      if (!trace_id.empty()) {
        e.message += "; quote trace id " + trace_id + " to " +
                     (server.is_awork() ? std::string("awork support") : std::string("the server's operator"));
        e.data["traceId"] = trace_id;
      }
      if (!f.trace.edge_ref.empty()) e.data["edgeRef"] = f.trace.edge_ref;
      break;
    }
  }
  return e;
}

}  // namespace awork_mcp
