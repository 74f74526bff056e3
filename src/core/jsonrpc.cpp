#include "awork_mcp/core/jsonrpc.hpp"

#include "awork_mcp/core/json_text.hpp"

#include <boost/container/small_vector.hpp>
#include <boost/json/basic_parser_impl.hpp>

#include <cmath>
#include <optional>
#include <ostream>

namespace awork_mcp {

std::ostream& operator<<(std::ostream& os, message_kind k) {
  switch (k) {
    case message_kind::request: return os << "request";
    case message_kind::notification: return os << "notification";
    case message_kind::response: return os << "response";
    case message_kind::batch: return os << "batch";
    case message_kind::invalid: return os << "invalid";
  }
  return os << "unknown";
}

namespace {

using boost::system::error_code;
using sv = boost::json::string_view;

// The members of one message object that matter to JSON-RPC.
struct message_fields {
  bool is_object = false;
  bool has_version = false;
  bool version_ok = false;
  bool has_id = false;
  bool id_valid = false;
  json::value id;
  bool has_method = false;
  bool method_is_string = false;
  std::string method;
  bool has_result = false;
  bool has_error = false;
  bool params_ok = true;
};

// SAX handler: records the members of the top-level object, or of each object in a top-level
// array, and skips everything nested deeper without storing it.
struct scan_handler {
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  enum class value_type { object, array, string, number, boolean, null };

  boost::container::small_vector<message_fields, 1> messages;  // one, unless a batch
  bool top_is_array = false;
  bool top_is_scalar = false;
  int depth = 0;
  std::string key;
  bool key_pending = false;  // a member of a message object awaits its value
  std::string text;          // a string value being collected for a member we care about

  int message_depth() const { return top_is_array ? 2 : 1; }
  bool at_member() const { return key_pending && depth == message_depth(); }
  bool wants_text() const { return at_member() && (key == "jsonrpc" || key == "method" || key == "id"); }

  // A member value of a message object began (containers) or was read whole (scalars).
  void member(value_type type, const json::value* scalar) {
    auto& m = messages.back();
    key_pending = false;
    if (key == "jsonrpc") {
      m.has_version = true;
      m.version_ok = type == value_type::string && text == "2.0";
    } else if (key == "id") {
      m.has_id = true;
      // A number beyond a double's range (1e400) cannot be written back as JSON: not a usable id.
      m.id_valid = type == value_type::string || type == value_type::null ||
                   (type == value_type::number && scalar && !(scalar->is_double() && !std::isfinite(scalar->get_double())));
      if (type == value_type::string)
        m.id = json::string(text);
      else if (type == value_type::number && scalar)
        m.id = *scalar;
      else
        m.id = nullptr;
    } else if (key == "method") {
      m.has_method = true;
      m.method_is_string = type == value_type::string;
      if (m.method_is_string) m.method = text;
    } else if (key == "result") {
      m.has_result = true;
    } else if (key == "error") {
      m.has_error = true;
    } else if (key == "params") {
      m.params_ok = type == value_type::object || type == value_type::array;
    }
  }

  // A value starts at the current depth: note what it means for the message structure.
  void value_begins(value_type type, const json::value* scalar = nullptr) {
    if (at_member()) member(type, scalar);
    if (depth == 0 && type != value_type::object && type != value_type::array) top_is_scalar = true;
    if (top_is_array && depth == 1 && type != value_type::object) messages.emplace_back();  // a non-object element
  }

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) {
    value_begins(value_type::object);
    ++depth;
    if (depth == message_depth()) {
      messages.emplace_back();
      messages.back().is_object = true;
    }
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    --depth;
    return true;
  }
  bool on_array_begin(error_code&) {
    if (depth == 0) top_is_array = true;
    value_begins(value_type::array);
    ++depth;
    return true;
  }
  bool on_array_end(std::size_t, error_code&) {
    --depth;
    return true;
  }
  bool on_key_part(sv s, std::size_t n, error_code&) {
    if (depth == message_depth()) {
      if (n == s.size()) key.clear();
      key.append(s.data(), s.size());
    }
    return true;
  }
  bool on_key(sv s, std::size_t n, error_code& ec) {
    on_key_part(s, n, ec);
    if (depth == message_depth()) key_pending = true;
    return true;
  }
  bool on_string_part(sv s, std::size_t n, error_code&) {
    if (wants_text()) {
      if (n == s.size()) text.clear();
      text.append(s.data(), s.size());
    }
    return true;
  }
  bool on_string(sv s, std::size_t n, error_code& ec) {
    on_string_part(s, n, ec);
    value_begins(value_type::string);
    return true;
  }
  bool on_number_part(sv, error_code&) { return true; }
  // Numbers become json::values only where they are an id.
  template <class Number>
  void number(Number n) {
    if (at_member() && key == "id") {
      const json::value id(n);
      value_begins(value_type::number, &id);
    } else {
      value_begins(value_type::number);
    }
  }
  bool on_int64(std::int64_t i, sv, error_code&) {
    number(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, sv, error_code&) {
    number(u);
    return true;
  }
  bool on_double(double d, sv, error_code&) {
    number(d);
    return true;
  }
  bool on_bool(bool, error_code&) {
    value_begins(value_type::boolean);
    return true;
  }
  bool on_null(error_code&) {
    value_begins(value_type::null);
    return true;
  }
  bool on_comment_part(sv, error_code&) { return true; }
  bool on_comment(sv, error_code&) { return true; }
};

classified_message classify_fields(message_fields& m) {
  classified_message out;
  if (!m.is_object) {
    out.problem = "a JSON-RPC message must be a JSON object";
    return out;
  }
  if (m.has_id && m.id_valid) out.id = m.id;
  if (!m.version_ok) {
    out.problem = "missing \"jsonrpc\": \"2.0\"";
    return out;
  }
  if (m.has_id && !m.id_valid) {
    out.problem = "\"id\" must be a string, a (finite) number or null";
    return out;
  }
  if (m.has_method) {
    if (!m.method_is_string) {
      out.problem = "\"method\" must be a string";
      return out;
    }
    out.method = std::move(m.method);
    if (m.has_result || m.has_error) {
      out.problem = "a message cannot have both \"method\" and \"result\"/\"error\"";
      return out;
    }
    if (!m.params_ok) {
      out.problem = "\"params\" must be an object or an array";
      return out;
    }
    if (m.has_id) {
      out.kind = message_kind::request;
      out.request_ids.push_back(m.id);
    } else {
      out.kind = message_kind::notification;
    }
    return out;
  }
  if (m.has_id && (m.has_result != m.has_error)) {
    out.kind = message_kind::response;
    return out;
  }
  out.problem = m.has_id ? "a response needs exactly one of \"result\" and \"error\""
                         : "neither a request (\"method\") nor a response (\"id\" with \"result\" or \"error\")";
  return out;
}

}  // namespace

namespace {
json::parse_options scan_options() {
  json::parse_options options;
  options.max_depth = max_json_depth;
  return options;
}
}  // namespace

json::value id_from_prefix(std::string_view prefix) {
  // Scan as far as the bytes go; an id met at the top level before the cut is the request's id.
  json::basic_parser<scan_handler> parser(scan_options());
  error_code ec;
  parser.write_some(true, prefix.data(), prefix.size(), ec);
  const auto& scan = parser.handler();
  if (scan.top_is_array || scan.messages.empty()) return nullptr;
  const auto& m = scan.messages.front();
  return m.has_id && m.id_valid ? m.id : json::value(nullptr);
}

classified_message classify(std::string_view text) {
  json::basic_parser<scan_handler> parser(scan_options());
  error_code ec;
  auto used = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && used != text.size()) ec = json::error::extra_data;
  if (ec) {
    classified_message out;
    out.parse_error = true;
    out.problem = ec.message();
    return out;
  }
  auto& scan = parser.handler();
  if (scan.top_is_scalar || scan.messages.empty()) {
    if (!scan.top_is_array) {
      classified_message out;
      out.problem = "a JSON-RPC message must be a JSON object";
      return out;
    }
  }
  if (!scan.top_is_array) return classify_fields(scan.messages.front());

  classified_message out;
  if (scan.messages.empty()) {
    out.problem = "an empty batch is not a valid JSON-RPC message";
    return out;
  }
  for (auto& fields : scan.messages) {
    auto part = classify_fields(fields);
    if (part.kind == message_kind::invalid) {
      out.problem = "batch element: " + part.problem;
      out.request_ids.clear();
      return out;
    }
    for (auto& id : part.request_ids) out.request_ids.push_back(std::move(id));
  }
  out.kind = message_kind::batch;
  return out;
}

std::string id_key(const json::value& id) { return json::serialize(id); }

std::string make_error_response(const json::value& id, int code, std::string_view message, json::object data) {
  json::object error{{"code", code}, {"message", message}};
  if (!data.empty()) error["data"] = std::move(data);
  json::object response{{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(error)}};
  return json::serialize(response);
}

}  // namespace awork_mcp
