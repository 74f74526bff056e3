#include "awork_mcp/core/tool_filter.hpp"

#include "awork_mcp/core/json_text.hpp"
#include "awork_mcp/core/json_splice.hpp"
#include "awork_mcp/core/jsonrpc.hpp"

#include <boost/json.hpp>

namespace awork_mcp {

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative matching with one backtrack point: linear in practice, no recursion to exhaust.
  std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    // The pattern's '*' first: a '*' in the name is a character, and matching it literally would
    // leave no backtrack point ("delete_*" must match "delete_*all").
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::string tool_filter::refusal(std::string_view tool) const {
  const std::string quoted = "tool \"" + std::string(tool) + "\"";
  for (const auto& pattern : config_.deny)
    if (glob_match(pattern, tool)) return quoted + " is blocked by --deny-tool '" + pattern + "'";
  if (!config_.allow.empty()) {
    bool allowed = false;
    for (const auto& pattern : config_.allow) allowed = allowed || glob_match(pattern, tool);
    if (!allowed) return quoted + " is not among the tools --allow-tool lets through";
  }
  if (config_.read_only) {
    const auto hint = read_only_hints_.find(tool);
    if (hint == read_only_hints_.end())
      return quoted + " is not in the server's tool list, so --read-only cannot tell that it only reads";
    if (!hint->second) return quoted + " is not annotated readOnlyHint: true, and --read-only is set";
  }
  return {};
}

std::string tool_filter::refusal_for(std::string_view text, const classified_message& message) const {
  const auto is_call = [](const classified_message& m) {
    return (m.kind == message_kind::request || m.kind == message_kind::notification) && m.method == "tools/call";
  };
  if (message.kind != message_kind::batch)
    return is_call(message) ? refusal(nested_string(text, "params", "name")) : std::string();
  for (const auto element : array_elements(text)) {
    const auto part = classify(element);
    if (!is_call(part)) continue;
    if (auto refused = refusal(nested_string(element, "params", "name")); !refused.empty())
      return "a batch is refused whole when one of its tool calls is: " + refused;
  }
  return {};
}

std::string tool_filter::filter_list(std::string_view response_line, const boost::json::value& id) {
  const auto unreadable = [&](std::string_view why) {
    if (!active()) return std::string(response_line);
    return make_error_response(id, rpc_code::internal_error,
                               "the server's tool list could not be read (" + std::string(why) +
                                   "), so --allow-tool, --deny-tool and --read-only could not apply to it: it was not "
                                   "passed on. Try again; if it persists, report it to the server's maintainers");
  };
  boost::system::error_code ec;
  const auto parsed = parse_json(response_line, ec);
  if (ec) return unreadable(ec.message());
  const auto* result = !ec && parsed.is_object() ? parsed.get_object().if_contains("result") : nullptr;
  const auto* tools = result && result->is_object() ? result->get_object().if_contains("tools") : nullptr;
  if (!tools || !tools->is_array()) return std::string(response_line);

  for (const auto& tool : tools->get_array()) {
    const auto* object = tool.if_object();
    const auto* name = object ? object->if_contains("name") : nullptr;
    if (!name || !name->is_string()) continue;
    const auto* annotations = object->if_contains("annotations");
    const auto* hint = annotations && annotations->is_object() ? annotations->get_object().if_contains("readOnlyHint") : nullptr;
    read_only_hints_[std::string(name->get_string())] = hint && hint->is_bool() && hint->get_bool();
  }
  if (!active()) return std::string(response_line);

  std::vector<bool> drop;
  bool any = false;
  for (const auto& tool : tools->get_array()) {
    const auto* object = tool.if_object();
    const auto* name = object ? object->if_contains("name") : nullptr;
    // Something that is not a tool with a name cannot be called by name: it is dropped too.
    const bool refused = !name || !name->is_string() || !refusal(name->get_string()).empty();
    drop.push_back(refused);
    any = any || refused;
  }
  if (!any) return std::string(response_line);
  if (auto cut = without_result_array_elements(response_line, "tools", drop)) return std::move(*cut);
  return unreadable("its tools array could not be cut");
}

}  // namespace awork_mcp
