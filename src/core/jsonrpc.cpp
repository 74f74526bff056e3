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
  std::string id_text;  // a number refused as an id, as written
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
  std::string number_text;   // the id's number as written, collected part by part
  // For id_scanner: keys and strings longer than this are not kept (memory stays bounded however
  // long the line); such an id is not usable.
  bool bounded = false;
  static constexpr std::size_t kept_text_limit = 4096;
  bool text_overflow = false;

  int message_depth() const { return top_is_array ? 2 : 1; }
  bool at_member() const { return key_pending && depth == message_depth(); }
  bool wants_text() const { return at_member() && (key == "jsonrpc" || key == "method" || key == "id"); }
  // Appends a part to a kept string unless that would pass the limit (bounded mode).
  bool keep(std::string& into, sv part) {
    if (bounded && into.size() + part.size() > kept_text_limit) return false;
    into.append(part.data(), part.size());
    return true;
  }

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
      // Any other number that is not a 64-bit integer (1.5, 1e3, 2^64) keeps its text: a request
      // with such an id is refused (classify_fields), in the client's own spelling.
      const bool finite = type == value_type::number && scalar && !(scalar->is_double() && !std::isfinite(scalar->get_double()));
      m.id_valid = (type == value_type::string && !text_overflow) || type == value_type::null || finite;
      if (finite && scalar->is_double()) m.id_text = number_text;
      if (type == value_type::string && !text_overflow)
        m.id = json::string(text);
      else if (finite)
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
      if (!keep(key, s)) key = "\x01";  // too long to be a member that matters; it matches none
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
      if (n == s.size()) {
        text.clear();
        text_overflow = false;
      }
      if (!text_overflow && !keep(text, s)) text_overflow = true;
    }
    return true;
  }
  bool on_string(sv s, std::size_t n, error_code& ec) {
    on_string_part(s, n, ec);
    value_begins(value_type::string);
    return true;
  }
  bool is_id() const { return at_member() && key == "id"; }
  bool on_number_part(sv s, error_code&) {
    if (is_id()) (void)keep(number_text, s);
    return true;
  }
  // Numbers become json::values only where they are an id.
  template <class Number>
  void number(Number n, sv last_part) {
    if (is_id()) {
      (void)keep(number_text, last_part);
      const json::value id(n);
      value_begins(value_type::number, &id);
      number_text.clear();
    } else {
      value_begins(value_type::number);
    }
  }
  bool on_int64(std::int64_t i, sv s, error_code&) {
    number(i, s);
    return true;
  }
  bool on_uint64(std::uint64_t u, sv s, error_code&) {
    number(u, s);
    return true;
  }
  bool on_double(double d, sv s, error_code&) {
    number(d, s);
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
  // A number id that is not a 64-bit integer goes back as it was written, whatever is refused:
  // re-serializing its double does not give the same text (98446744073709551616, 1e3).
  if (out.id.is_double()) out.id_text = m.id_text;
  if (!m.version_ok) {
    out.problem = "missing \"jsonrpc\": \"2.0\"";
    return out;
  }
  if (m.has_id && !m.id_valid) {
    out.problem = "\"id\" must be a string, a (finite) number or null";
    return out;
  }
  if (m.has_method && m.has_id && m.id.is_double()) {
    // MCP: a request's id is a string or an integer. This one cannot be carried as a 64-bit
    // integer, and its answer must carry it back as the client wrote it.
    out.id = nullptr;
    out.id_text = m.id_text;
    out.problem = "\"id\" must be a string or an integer of at most 64 bits (MCP), not " + m.id_text;
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

struct id_scanner::impl {
  impl() : parser(scan_options()) { parser.handler().bounded = true; }
  json::basic_parser<scan_handler> parser;
  bool stopped = false;  // not JSON: nothing more to learn
};

id_scanner::id_scanner() : impl_(std::make_unique<impl>()) {}
id_scanner::~id_scanner() = default;
id_scanner::id_scanner(id_scanner&&) noexcept = default;
id_scanner& id_scanner::operator=(id_scanner&&) noexcept = default;

void id_scanner::feed(std::string_view piece) {
  if (impl_->stopped || piece.empty()) return;
  error_code ec;
  const auto used = impl_->parser.write_some(true, piece.data(), piece.size(), ec);
  // An error, or bytes after the first value: the message ended; the rest is not part of it.
  if (ec || used != piece.size() || impl_->parser.done()) impl_->stopped = true;
}

json::value id_scanner::id() const {
  const auto& scan = impl_->parser.handler();
  if (scan.top_is_array || scan.top_is_scalar || scan.messages.empty()) return nullptr;
  const auto& m = scan.messages.front();
  return m.has_id && m.id_valid ? m.id : json::value(nullptr);
}

std::size_t id_scanner::bytes_held() const {
  const auto& scan = impl_->parser.handler();
  std::size_t held = sizeof(impl) + scan.key.capacity() + scan.text.capacity() + scan.number_text.capacity();
  for (const auto& m : scan.messages) held += sizeof m + m.method.capacity() + m.id_text.capacity();
  return held;
}

json::value id_from_prefix(std::string_view prefix) {
  // Scan as far as the bytes go; an id met at the top level before the cut is the request's id.
  id_scanner scanner;
  scanner.feed(prefix);
  return scanner.id();
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
  // JSON-RPC 2.0: each invalid element is answered on its own; the valid ones are processed.
  for (std::size_t index = 0; index < scan.messages.size(); ++index) {
    auto part = classify_fields(scan.messages[index]);
    if (part.kind == message_kind::invalid) {
      out.refused.push_back({index, std::move(part.id), std::move(part.id_text), "batch element: " + part.problem});
      continue;
    }
    for (auto& id : part.request_ids) out.request_ids.push_back(std::move(id));
  }
  out.kind = message_kind::batch;
  return out;
}

std::string id_key(const json::value& id) { return json::serialize(id); }

std::string make_error_response(const json::value& id, int code, std::string_view message, json::object data) {
  // The message and data carry what a server sent (a reason phrase, a header, its error data):
  // the line must be standard JSON whatever those bytes were.
  json::value error = json::object{{"code", code}, {"message", message}};
  if (!data.empty()) error.as_object()["data"] = std::move(data);
  make_json_safe(error);
  json::object response{{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(error)}};
  return json::serialize(response);
}

std::string make_error_response(const json::value& id, std::string_view id_text, int code, std::string_view message,
                                json::object data) {
  if (id_text.empty()) return make_error_response(id, code, message, std::move(data));
  // The id text is a number token the parser read (classify): valid JSON as it stands.
  auto line = make_error_response(nullptr, code, message, std::move(data));
  static constexpr std::string_view null_id = R"("id":null)";
  line.replace(line.find(null_id) + null_id.size() - 4, 4, id_text);
  return line;
}

std::string make_error_response(const classified_message& invalid, int code, std::string_view message,
                                json::object data) {
  return make_error_response(invalid.id, invalid.id_text, code, message, std::move(data));
}

}  // namespace awork_mcp
