// libFuzzer target: what the bridge does with a server's reply. The first byte picks the part
// ('0', '1', '2': the byte modulo 3); the rest is its input.
//   0  a JSON body: a batch split into its elements (array_elements), each put on one line
//      (fold_onto_one_line), as upstream::deliver_text does.
//   1  an HTTP error: status, headers and body read into a failure (describe_http_status,
//      parse_service_error) and written as the JSON-RPC error line the editor gets.
//   2  the reply policy (decide_reply) for the same facts, repeated with the retries it asks for
//      until it settles, and the error line of a failure.
// For 1 and 2 the input is '\n'-separated: flags (letters: s had a session, a awaits an answer,
// r can renew the session, w the server is awork's, z no retry wait allowed, l an hour allowed),
// "<status> <reason>", Content-Type, Retry-After, ratelimit-reset, WWW-Authenticate, Trace-Id,
// X-Edge-Ref, and the body (the rest, newlines and all).
#include "awork_mcp/core/endpoint.hpp"
#include "awork_mcp/core/json_text.hpp"
#include "awork_mcp/core/jsonrpc.hpp"
#include "awork_mcp/core/redirect_rules.hpp"
#include "awork_mcp/core/reply_policy.hpp"
#include "awork_mcp/core/request_builder.hpp"
#include "awork_mcp/core/text.hpp"
#include "awork_mcp/core/upstream_error.hpp"
#include "fuzz_support.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace json = boost::json;

namespace {

using namespace awork_mcp;

std::string_view next_line(std::string_view& rest, bool last = false) {
  auto end = last ? std::string_view::npos : rest.find('\n');
  auto line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  return line;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// What Beast hands over of a header field: no control characters but HTAB (it refuses a reply
// with any; here they become spaces), without the whitespace around it.
std::string field_value(std::string_view raw) {
  std::string out(raw);
  std::replace_if(out.begin(), out.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && u != '\t') || u == 0x7f;
  }, ' ');
  const auto first = out.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return out.substr(first, out.find_last_not_of(" \t") - first + 1);
}

bool printable_text(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// RFC 3629 UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF.
bool is_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    // How many continuation bytes follow the lead byte (4: not a lead byte).
    const std::size_t n = c < 0x80 ? 0 : c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : 4;
    if (n == 4 || i + n >= s.size()) return false;
    std::uint32_t cp = n == 0 ? c : c & (0x3Fu >> n);
    for (std::size_t k = 1; k <= n; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = cp << 6 | (d & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

// Boost.JSON (1.81) reads a long number by another path, with another rounding, when fewer than
// 33 bytes follow it in the buffer: the same text parsed alone and inside an array can give two
// doubles. Values are compared as parsed with whitespace after them, so that every number is read
// the same way. (The bridge never rewrites a number: it passes the bytes on.)
json::value parse_padded(std::string_view text, boost::system::error_code& ec) {
  return awork_mcp::parse_json(std::string(text) + std::string(64, ' '), ec);
}

// Boost.JSON (1.81) reads a number past a double's range as infinity (1e400), and a zero with a
// large exponent (0e400) as NaN, which is not equal to itself: such values are compared by whether
// they are there, not by equality.
bool has_non_finite(const json::value& v) {
  if (v.is_double()) return !std::isfinite(v.get_double());
  if (const auto* array = v.if_array())
    return std::any_of(array->begin(), array->end(), [](const json::value& e) { return has_non_finite(e); });
  if (const auto* object = v.if_object())
    return std::any_of(object->begin(), object->end(), [](const auto& member) { return has_non_finite(member.value()); });
  return false;
}

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// --- 0: splitting and folding ------------------------------------------------------------------

void split_and_fold(std::string_view text) {
  // Folding: no line end left, the same length, every other byte kept.
  std::string folded(text);
  fold_onto_one_line(folded);
  FUZZ_CHECK(folded.size() == text.size());
  FUZZ_CHECK(folded.find_first_of("\r\n") == std::string::npos);
  for (std::size_t i = 0; i < text.size(); ++i)
    FUZZ_CHECK(folded[i] == text[i] || ((text[i] == '\r' || text[i] == '\n') && folded[i] == ' '));

  // The elements are pieces of the text, in order, without the whitespace around them.
  const auto elements = array_elements(text);
  const char* previous_end = text.data();
  for (const auto element : elements) {
    FUZZ_CHECK(!element.empty());
    FUZZ_CHECK(element.data() >= previous_end && element.data() + element.size() <= text.data() + text.size());
    FUZZ_CHECK(!is_space(element.front()) && !is_space(element.back()));
    previous_end = element.data() + element.size();
  }

  boost::system::error_code ec;
  const json::value parsed = parse_padded(text, ec);
  if (ec) return;  // the bridge drops a reply that is not JSON before it splits or folds anything
  {
    boost::system::error_code folded_ec;
    const json::value again = parse_padded(folded, folded_ec);
    FUZZ_CHECK(!folded_ec);
    FUZZ_CHECK(again == parsed || has_non_finite(parsed));
  }
  if (!parsed.is_array()) return;

  // A valid array: exactly Boost.JSON's elements, each one the same value.
  const auto& array = parsed.get_array();
  FUZZ_CHECK(elements.size() == array.size());
  std::string joined = "[";
  for (std::size_t i = 0; i < elements.size() && i < array.size(); ++i) {
    boost::system::error_code element_ec;
    const json::value element = parse_padded(elements[i], element_ec);
    FUZZ_CHECK(!element_ec);
    FUZZ_CHECK(element == array[i] || has_non_finite(array[i]));
    if (i > 0) joined += ',';
    joined += elements[i];
  }
  joined += ']';
  {
    boost::system::error_code joined_ec;
    const json::value rejoined = parse_padded(joined, joined_ec);
    FUZZ_CHECK(!joined_ec && (rejoined == parsed || has_non_finite(parsed)));
  }

  // As upstream::deliver_text: a batch goes out element by element, each on one line, and the
  // requests the batch holds are the requests of its lines.
  const auto batch = classify(text);
  if (batch.kind != message_kind::batch) return;
  std::vector<std::string> ids_of_lines;
  for (const auto element : elements) {
    std::string part(element);
    fold_onto_one_line(part);
    FUZZ_CHECK(part.find_first_of("\r\n") == std::string::npos);
    const auto line = classify(part);
    FUZZ_CHECK(!line.parse_error);
    // (An array inside the batch is an invalid element of it, though a batch on its own line.)
    if (line.kind == message_kind::batch) continue;
    for (const auto& id : line.request_ids) ids_of_lines.push_back(id_key(id));
  }
  std::vector<std::string> ids_of_batch;
  for (const auto& id : batch.request_ids) ids_of_batch.push_back(id_key(id));
  FUZZ_CHECK(ids_of_lines == ids_of_batch);
}

// --- 1 and 2: an error reply ------------------------------------------------------------------

struct reply_input {
  bool had_session = false, awaits_answer = false, can_renew = false, awork = false;
  std::chrono::milliseconds max_retry_wait{std::chrono::seconds(10)};
  unsigned status = 0;
  std::string reason, content_type, retry_after, ratelimit_reset, www_authenticate, trace_id, edge_ref;
  std::string_view body;
};

bool read_reply(std::string_view rest, reply_input& in) {
  const auto flags = next_line(rest);
  in.had_session = contains(flags, "s");
  in.awaits_answer = contains(flags, "a");
  in.can_renew = contains(flags, "r");
  in.awork = contains(flags, "w");
  if (contains(flags, "z")) in.max_retry_wait = std::chrono::milliseconds(0);
  if (contains(flags, "l")) in.max_retry_wait = std::chrono::hours(1);
  const auto status_line = next_line(rest);
  // A status is three digits, as Beast reads it.
  if (status_line.size() < 3 || !std::all_of(status_line.begin(), status_line.begin() + 3, [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  in.status = static_cast<unsigned>((status_line[0] - '0') * 100 + (status_line[1] - '0') * 10 + (status_line[2] - '0'));
  in.reason = field_value(status_line.substr(std::min<std::size_t>(4, status_line.size())));
  in.content_type = field_value(next_line(rest));
  in.retry_after = field_value(next_line(rest));
  in.ratelimit_reset = field_value(next_line(rest));
  in.www_authenticate = field_value(next_line(rest));
  in.trace_id = field_value(next_line(rest));
  in.edge_ref = field_value(next_line(rest));
  in.body = next_line(rest, true);
  return true;
}

const endpoint& server_of(bool awork) {
  static const endpoint awork_server = parse_endpoint(awork_default_url);
  static const endpoint other_server = parse_endpoint("https://mcp.example.com:8443/mcp?tenant=t-1");
  return awork ? awork_server : other_server;
}

// The error line the editor reads for a failure: one line of valid JSON, a JSON-RPC error with an
// integer code and a message, and what the bridge knows in data.
void check_error_line(const upstream_failure& f, const reply_input& in) {
  // The bridge's own UTF-8 repair (json_text's valid_utf8) against this file's reference reader.
  for (std::string_view text : {std::string_view(in.reason), std::string_view(in.content_type), std::string_view(in.trace_id)}) {
    const auto repaired = awork_mcp::valid_utf8(text);
    FUZZ_CHECK(is_utf8(repaired));
    if (is_utf8(text)) FUZZ_CHECK(repaired == text);
  }
  const rpc_error e = to_rpc_error(f, server_of(in.awork));
  const json::value id = "r-1";
  const std::string line = make_error_response(id, e.code, e.message, e.data);
  FUZZ_CHECK(line.find_first_of("\r\n") == std::string::npos);

  // The server's own error data nests a few levels deeper in the line than in its body.
  json::parse_options options;
  options.max_depth = max_json_depth + 8;
  boost::system::error_code ec;
  const json::value parsed = json::parse(line, ec, {}, options);
  // Valid JSON whatever the server sent: a reason phrase, Content-Type or trace header that is not
  // UTF-8, error data with 1e400 (read as infinity) or 0e400 (NaN); make_error_response makes
  // them safe (json_text's make_json_safe).
  FUZZ_CHECK(!ec);
  if (ec) return;
  FUZZ_CHECK(parsed.is_object());
  const auto& response = parsed.get_object();
  const auto* version = response.if_contains("jsonrpc");
  FUZZ_CHECK(version && version->is_string() && version->get_string() == "2.0");
  FUZZ_CHECK(response.if_contains("id") && *response.if_contains("id") == id);
  const auto* error = object_at(response, "error");
  FUZZ_CHECK(error != nullptr);
  const auto* code = error->if_contains("code");
  FUZZ_CHECK(code && code->is_int64() && code->get_int64() == e.code);
  const auto* message = error->if_contains("message");
  FUZZ_CHECK(message && message->is_string() && !message->get_string().empty());
  const auto* data = object_at(*error, "data");
  FUZZ_CHECK(data && data->if_contains("reason") && data->if_contains("reason")->is_string());
  if (f.kind != failure_kind::http_status) return;

  const auto* http_status = data->if_contains("httpStatus");
  FUZZ_CHECK(http_status && http_status->is_int64() && http_status->get_int64() == f.http_status);
  FUZZ_CHECK(contains(message->get_string(), "(HTTP " + std::to_string(f.http_status)));
  if (f.retry_after) {
    const auto* seconds = data->if_contains("retryAfterSeconds");
    FUZZ_CHECK(seconds && seconds->is_int64() && seconds->get_int64() == f.retry_after->count());
  }
  // The code is the server's own JSON-RPC code when it sent one, else the bridge's: never a
  // number nobody sent (an int64 code outside int's range is not wrapped into another).
  const auto* server_code = f.server_error.is_object() ? f.server_error.get_object().if_contains("code") : nullptr;
  if (server_code && server_code->is_int64()) {
    const auto sent = server_code->get_int64();
    if (sent >= INT_MIN && sent <= INT_MAX)
      FUZZ_CHECK(e.code == sent);
    else
      FUZZ_CHECK(e.code == rpc_code::http_error);
  } else {
    FUZZ_CHECK(e.code == rpc_code::http_error);
  }
}

// awork's error object: every text printable, UTF-8 and bounded, and only so many of them.
void check_service_error(const service_error& s) {
  constexpr std::size_t ellipsis = 3;  // "…"
  for (const auto* text : {&s.code, &s.description, &s.link, &s.trace_id}) {
    FUZZ_CHECK(printable_text(*text) && is_utf8(*text));
  }
  FUZZ_CHECK(s.code.size() <= 128 + ellipsis && s.trace_id.size() <= 128 + ellipsis);
  FUZZ_CHECK(s.description.size() <= 600 + ellipsis && s.link.size() <= 300 + ellipsis);
  FUZZ_CHECK(s.details.size() <= 50 && s.validation_errors.size() <= 50);
  for (const auto& d : s.details) FUZZ_CHECK(!d.empty() && d.size() <= 300 + ellipsis && printable_text(d) && is_utf8(d));
  for (const auto& v : s.validation_errors) {
    FUZZ_CHECK(!v.property.empty() || !v.message.empty());
    FUZZ_CHECK(v.property.size() <= 128 + ellipsis && v.message.size() <= 300 + ellipsis);
    FUZZ_CHECK(printable_text(v.property) && printable_text(v.message) && is_utf8(v.property) && is_utf8(v.message));
  }
}

std::optional<long long> digits_value(std::string_view text) {
  if (text.empty() || text.size() > 18 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::stoll(std::string(text));
}

void error_body(const reply_input& in) {
  const request_trace trace = make_request_trace(in.trace_id, in.edge_ref);
  FUZZ_CHECK(printable_text(trace.trace_id) && printable_text(trace.edge_ref));
  std::optional<std::chrono::seconds> retry_after;
  if (auto delta = digits_value(in.retry_after)) retry_after = std::chrono::seconds(*delta);

  const upstream_failure f = describe_http_status(in.status, in.reason, in.content_type, in.body, retry_after, trace);
  FUZZ_CHECK(f.kind == failure_kind::http_status && f.http_status == in.status);
  FUZZ_CHECK(f.retry_after == retry_after);
  // Either the server's JSON-RPC error or awork's error object, never both.
  FUZZ_CHECK(f.server_error.is_null() || !f.service);
  if (f.server_error.is_object()) {
    FUZZ_CHECK(f.server_error.get_object().contains("code") && f.server_error.get_object().contains("message"));
    FUZZ_CHECK(media_type(in.content_type) == "application/json");
  }
  if (f.service) check_service_error(*f.service);

  const auto service = parse_service_error(in.content_type, in.body);
  if (service) check_service_error(*service);
  check_error_line(f, in);
}

// --- 2: the reply policy -----------------------------------------------------------------------

void reply_policy(const reply_input& in) {
  using std::chrono::milliseconds;
  // Now: 2026-05-01 12:00:00.5 UTC (a half second, for the rounding up of a wait).
  constexpr std::chrono::seconds now_s(1777636800);
  const auto now = std::chrono::system_clock::time_point(now_s) + milliseconds(500);

  reply_facts facts;
  facts.status = in.status;
  const std::string type = media_type(in.content_type);
  facts.media_type = type;
  facts.reason = in.reason;
  facts.content_type = in.content_type;
  facts.body = needs_error_body(in.status) ? in.body : std::string_view{};  // as upstream reads it
  facts.retry_after = in.retry_after;
  facts.ratelimit_reset = in.ratelimit_reset;
  facts.www_authenticate = in.www_authenticate;
  facts.trace = make_request_trace(in.trace_id, in.edge_ref);
  facts.had_session = in.had_session;
  facts.awaits_answer = in.awaits_answer;
  facts.now = now;
  reply_limits limits;
  limits.can_renew_session = in.can_renew;
  limits.max_retry_wait = in.max_retry_wait;

  if (!in.had_session) FUZZ_CHECK(!is_session_expiry(in.status, false, facts.body));
  // Whatever the server asks for (2^63 seconds, a date in 9999), a wait is bounded.
  const auto delay = retry_delay(in.ratelimit_reset, in.retry_after, now);
  if (delay) FUZZ_CHECK(delay->count() >= 0 && *delay <= longest_retry_wait);

  // Every way out is taken a bounded number of times: the exchange always settles.
  constexpr int most_steps = reply_limits::max_renewals + reply_limits::max_refreshes + reply_limits::max_step_ups +
                             reply_limits::max_rate_limit_waits + max_redirect_hops + 1;
  const bool success = in.status >= 200 && in.status < 300;
  retries_used used;
  for (int step = 0;; ++step) {
    FUZZ_CHECK(step < most_steps);
    const reply_decision d = decide_reply(facts, used, limits);
    FUZZ_CHECK(d.wait.count() >= 0);
    switch (d.action) {
      case reply_action::read_json:
        FUZZ_CHECK(success && type == "application/json");
        return;
      case reply_action::read_stream:
        FUZZ_CHECK(success && type == "text/event-stream");
        return;
      case reply_action::accepted:
        FUZZ_CHECK(success && (in.status == 202 || !in.awaits_answer));
        return;
      case reply_action::renew_session:
        FUZZ_CHECK(in.had_session && in.can_renew && (in.status == 404 || in.status == 400));
        FUZZ_CHECK(used.renewals < reply_limits::max_renewals);
        ++used.renewals;
        break;
      case reply_action::refresh_credential:
        FUZZ_CHECK(in.status == 401 || (in.status == 403 && asks_for_more_scope(in.www_authenticate)));
        if (in.status == 403) {
          FUZZ_CHECK(used.step_ups < reply_limits::max_step_ups);
          ++used.step_ups;
        } else {
          FUZZ_CHECK(used.refreshes < reply_limits::max_refreshes);
          ++used.refreshes;
        }
        break;
      case reply_action::wait_and_retry:
        FUZZ_CHECK(in.status == 429 || in.status == 503);
        // What the server asked for (a second when it did not say), at least 100 ms.
        FUZZ_CHECK(d.wait == std::max<milliseconds>(delay.value_or(std::chrono::seconds(1)), milliseconds(100)));
        FUZZ_CHECK(d.wait <= std::max(limits.max_retry_wait, milliseconds(100)));
        FUZZ_CHECK(used.rate_limit_waits < reply_limits::max_rate_limit_waits);
        ++used.rate_limit_waits;
        break;
      case reply_action::follow_redirect:
        FUZZ_CHECK(in.status == 307 || in.status == 308);
        FUZZ_CHECK(used.redirects < max_redirect_hops);
        ++used.redirects;
        break;
      case reply_action::fail:
        if (success)
          FUZZ_CHECK(d.failure.kind == failure_kind::bad_body && in.awaits_answer && in.status != 202);
        else if (in.status == 307 || in.status == 308)
          FUZZ_CHECK(d.failure.kind == failure_kind::redirect);
        else
          FUZZ_CHECK(d.failure.kind == failure_kind::http_status && d.failure.http_status == in.status);
        check_error_line(d.failure, in);
        return;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  reply_input reply;
  switch (data[0] % 3) {
    case 0:
      split_and_fold(input);
      break;
    case 1:
      if (read_reply(input, reply)) error_body(reply);
      break;
    case 2:
      if (read_reply(input, reply)) reply_policy(reply);
      break;
  }
  return 0;
}
