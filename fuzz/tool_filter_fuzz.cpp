// libFuzzer target: the tool filter (--allow-tool, --deny-tool, --read-only) on a server's
// tools/list answer, and on an editor's tools/call (alone or in a batch).
// Input: the options on the first line, space-separated ("-glob" denies, "+glob" allows, "R" is
// --read-only); the rest is the message, used both as the tools/list answer and as the editor's
// line (a tools/list answer is filtered first, as it comes before the calls).
#include "awork_mcp/core/json_text.hpp"
#include "awork_mcp/core/jsonrpc.hpp"
#include "awork_mcp/core/tool_filter.hpp"
#include "fuzz_support.hpp"

#include <boost/json.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

namespace json = boost::json;
using awork_mcp::tool_filter;
using awork_mcp::tool_filter_config;

namespace {

// The glob rules of tool_filter.hpp, as a table of which prefixes match which (not the
// backtracking of glob_match).
bool reference_glob(std::string_view pattern, std::string_view text) {
  // row[j]: the pattern so far matches text[0, j).
  std::vector<char> row(text.size() + 1, 0);
  row[0] = 1;
  for (const char p : pattern) {
    std::vector<char> next(text.size() + 1, 0);
    if (p == '*') {
      next[0] = row[0];
      for (std::size_t j = 1; j <= text.size(); ++j) next[j] = row[j] || next[j - 1];
    } else {
      for (std::size_t j = 1; j <= text.size(); ++j) next[j] = row[j - 1] && (p == '?' || p == text[j - 1]);
    }
    row = std::move(next);
  }
  return row[text.size()] != 0;
}

tool_filter_config read_config(std::string_view line) {
  tool_filter_config config;
  while (!line.empty()) {
    const auto end = line.find(' ');
    const auto token = line.substr(0, end);
    line = end == std::string_view::npos ? std::string_view{} : line.substr(end + 1);
    if (token == "R")
      config.read_only = true;
    else if (token.starts_with('-'))
      config.deny.emplace_back(token.substr(1));
    else if (token.starts_with('+'))
      config.allow.emplace_back(token.substr(1));
  }
  return config;
}

// What the options say of a tool name, worked out here: readOnlyHint as the list said it.
struct oracle {
  const tool_filter_config& config;
  std::map<std::string, bool, std::less<>> read_only;

  bool denied(std::string_view name) const {
    for (const auto& pattern : config.deny)
      if (reference_glob(pattern, name)) return true;
    if (!config.allow.empty()) {
      bool allowed = false;
      for (const auto& pattern : config.allow) allowed = allowed || reference_glob(pattern, name);
      if (!allowed) return true;
    }
    if (config.read_only) {
      const auto hint = read_only.find(name);
      return hint == read_only.end() || !hint->second;
    }
    return false;
  }
};


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

json::array* tools_of(json::value& response) {
  auto* object = response.if_object();
  auto* result = object ? object->if_contains("result") : nullptr;
  auto* tools = result && result->is_object() ? result->get_object().if_contains("tools") : nullptr;
  return tools ? tools->if_array() : nullptr;
}

const json::string* name_of(const json::value& tool) {
  const auto* object = tool.if_object();
  const auto* name = object ? object->if_contains("name") : nullptr;
  return name ? name->if_string() : nullptr;
}

// The name of the tool a request calls, read here from the parsed request (null if none).
const json::string* called_tool(const json::value& request) {
  const auto* object = request.if_object();
  const auto* method = object ? object->if_contains("method") : nullptr;
  if (!method || !method->is_string() || method->get_string() != "tools/call") return nullptr;
  const auto* params = object->if_contains("params");
  const auto* name = params && params->is_object() ? params->get_object().if_contains("name") : nullptr;
  return name ? name->if_string() : nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  const auto end_of_options = rest.find('\n');
  if (end_of_options == std::string_view::npos) return 0;
  const tool_filter_config config = read_config(rest.substr(0, end_of_options));
  const std::string_view text = rest.substr(end_of_options + 1);
  if (config.deny.size() + config.allow.size() > 16) return 0;

  // As the bridge: the answer to a tools/list, filtered before it goes out, with its id for the
  // error that stands in for a list the filter cannot read.
  tool_filter filter(config);
  const json::value id = awork_mcp::classify(text).id;
  const std::string out = filter.filter_list(text, id);

  // How the editor reads the answer: any depth the bridge accepts (classify() takes 1000 levels,
  // and the filter reads as deep since the fix of Boost.JSON's default 32).
  boost::system::error_code ec;
  json::value sent = parse_padded(text, ec);
  const bool parses = !ec;

  oracle expected{config, {}};
  json::array* tools = parses ? tools_of(sent) : nullptr;
  if (tools) {
    // readOnlyHint as the list says it: the last word on a name counts.
    for (const auto& tool : *tools)
      if (const auto* name = name_of(tool)) {
        const auto* annotations = awork_mcp::object_at(tool.get_object(), "annotations");
        const auto* hint = annotations ? annotations->if_contains("readOnlyHint") : nullptr;
        expected.read_only[std::string(*name)] = hint && hint->is_bool() && hint->get_bool();
      }
  }

  if (!filter.active()) {
    FUZZ_CHECK(out == text);
  } else if (!parses) {
    // An answer it cannot read fails closed: a JSON-RPC error for its id, never the answer as sent.
    FUZZ_CHECK(out != text);
    boost::system::error_code out_ec;
    const json::value error = awork_mcp::parse_json(out, out_ec);
    FUZZ_CHECK(!out_ec && error.is_object() && out.find_first_of("\r\n") == std::string::npos);
    const auto* error_id = error.get_object().if_contains("id");
    FUZZ_CHECK(error_id && *error_id == id);
    const auto* body = awork_mcp::object_at(error.get_object(), "error");
    FUZZ_CHECK(body && body->if_contains("code") && body->if_contains("code")->is_int64());
    FUZZ_CHECK(!error.get_object().contains("result"));
  } else if (!tools) {
    FUZZ_CHECK(out == text);  // not a tools/list answer: nothing to filter
  } else {
    // The answer keeps exactly the tools that may be called, in order, and nothing else changes.
    json::array kept;
    for (const auto& tool : *tools)
      if (const auto* name = name_of(tool); name && !expected.denied(*name)) kept.push_back(tool);
    if (kept.size() == tools->size()) FUZZ_CHECK(out == text);  // byte for byte when nothing goes
    boost::system::error_code out_ec;
    json::value received = parse_padded(out, out_ec);
    FUZZ_CHECK(!out_ec);
    json::array* received_tools = tools_of(received);
    FUZZ_CHECK(received_tools != nullptr);  // a valid list is cut, not replaced by an error
    for (const auto& tool : *received_tools) {
      const auto* name = name_of(tool);
      FUZZ_CHECK(name != nullptr);
      FUZZ_CHECK(!expected.denied(*name));  // a denied tool is never shown
    }
    const bool non_finite = has_non_finite(sent);
    FUZZ_CHECK(*received_tools == kept || non_finite);
    *tools = kept;
    FUZZ_CHECK(received == sent || non_finite);
  }

  // Calls: refused exactly when the options (and the list's hints) deny the tool.
  for (const auto& [name, hint] : expected.read_only) {
    (void)hint;
    FUZZ_CHECK(filter.refusal(name).empty() == !expected.denied(name));
  }
  FUZZ_CHECK(filter.refusal("fuzz-unlisted").empty() == !expected.denied("fuzz-unlisted"));
  for (const auto& pattern : config.deny) FUZZ_CHECK(!filter.refusal(pattern).empty());  // a glob matches itself
  // The globs match as the reference does, tool names and the other globs alike.
  for (const auto* patterns : {&config.allow, &config.deny}) {
    for (const auto& pattern : *patterns) {
      for (const auto& [name, hint] : expected.read_only)
        FUZZ_CHECK(awork_mcp::glob_match(pattern, name) == reference_glob(pattern, name));
      for (const auto& other : config.deny)
        FUZZ_CHECK(awork_mcp::glob_match(pattern, other) == reference_glob(pattern, other));
    }
  }

  // The same text as an editor's line: a tools/call of a denied tool never goes to the server,
  // alone or in a batch (an invalid line, or a batch's invalid element, is refused before this).
  const auto message = awork_mcp::classify(text);
  const std::string refusal = filter.refusal_for(text, message);
  if (parses) {
    // Each message with what classify() makes of its text (a batch element's own text).
    std::vector<std::pair<awork_mcp::message_kind, const json::value*>> messages;
    if (message.kind == awork_mcp::message_kind::batch) {
      const auto elements = awork_mcp::array_elements(text);
      const auto& array = sent.get_array();
      FUZZ_CHECK(elements.size() == array.size());
      for (std::size_t i = 0; i < elements.size(); ++i) messages.emplace_back(awork_mcp::classify(elements[i]).kind, &array[i]);
    } else {
      messages.emplace_back(message.kind, &sent);
    }
    bool denied_request = false, denied_notification = false, unnamed = false;
    for (const auto& [kind, m] : messages) {
      if (kind != awork_mcp::message_kind::request && kind != awork_mcp::message_kind::notification) continue;
      if (const auto* name = called_tool(*m)) {
        const bool denied = expected.denied(*name);
        if (kind == awork_mcp::message_kind::request)
          denied_request = denied_request || denied;
        else
          denied_notification = denied_notification || denied;
      } else if (const auto* method = m->get_object().if_contains("method")) {
        unnamed = unnamed || (method->is_string() && method->get_string() == "tools/call");  // its name is read as ""
      }
    }
    if (denied_request) FUZZ_CHECK(!refusal.empty());
    // A tools/call without an id (a notification) is refused too: a server might run it.
    if (denied_notification) FUZZ_CHECK(!refusal.empty());
    if (!denied_request && !denied_notification && !unnamed) FUZZ_CHECK(refusal.empty());
  }
  return 0;
}
