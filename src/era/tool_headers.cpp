#include "awork_mcp/era/tool_headers.hpp"

#include "awork_mcp/core/json_text.hpp"
#include "awork_mcp/core/json_splice.hpp"
#include "awork_mcp/era/modern_wire.hpp"

#include <boost/json/value.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>

namespace awork_mcp {

namespace {

constexpr std::string_view annotation_key = "x-mcp-header";

namespace json = boost::json;

// RFC 9110 §5.6.2 tchar.
bool is_token(std::string_view s) {
  constexpr std::string_view specials = "!#$%&'*+-.^_`|~";
  return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           specials.find(c) != std::string_view::npos;
  });
}

bool same_ignoring_case(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == lower(y); });
}

std::string joined(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& p : path) {
    if (!out.empty()) out += '.';
    out += p;
  }
  return out;
}

// The annotations reachable from the root through `properties` alone, with the first problem
// found among them.
struct properties_walk {
  std::vector<param_header> found;
  std::size_t seen = 0;  // annotations met, valid or not
  std::string problem;

  void walk(const json::object& schema, std::vector<std::string>& path) {
    const auto* properties = schema.if_contains("properties");
    if (!properties || !properties->is_object()) return;
    for (const auto& [name, property] : properties->get_object()) {
      if (!property.is_object()) continue;
      path.emplace_back(name);
      const auto& property_schema = property.get_object();
      if (const auto* annotation = property_schema.if_contains(annotation_key)) {
        ++seen;
        check(*annotation, property_schema, path);
      }
      walk(property_schema, path);
      path.pop_back();
    }
  }

  void check(const json::value& annotation, const json::object& property, const std::vector<std::string>& path) {
    if (!problem.empty()) return;
    const auto where = " on " + joined(path);
    const auto* name = annotation.if_string();
    if (!name) {
      problem = "x-mcp-header" + where + " is not a string";
      return;
    }
    const std::string header(*name);
    if (!is_token(header)) {
      problem = "x-mcp-header " + json_quote(header) + where + " is not an HTTP token";
      return;
    }
    for (const auto& other : found)
      if (same_ignoring_case(other.name, header)) {
        problem = "x-mcp-header " + json_quote(header) + where + " repeats " + json_quote(other.name);
        return;
      }
    const auto* type = property.if_contains("type");
    const auto* type_name = type ? type->if_string() : nullptr;
    if (!type_name || (*type_name != "string" && *type_name != "integer" && *type_name != "boolean")) {
      problem = "x-mcp-header " + json_quote(header) + where + " is on a property that is not of type string, integer or boolean";
      return;
    }
    found.push_back({header, path});
  }
};

// Keywords whose values are data, not schemas: an "x-mcp-header" key in a default value is no
// annotation.
bool is_data_keyword(std::string_view key) {
  return key == "default" || key == "const" || key == "enum" || key == "examples";
}

// Keywords whose values map names (of properties, definitions, patterns) to schemas.
bool is_schema_map(std::string_view key) {
  return key == "properties" || key == "patternProperties" || key == "$defs" || key == "definitions" ||
         key == "dependentSchemas" || key == "dependencies";
}

// Every annotation anywhere in the schema, whatever leads to it (items, anyOf, $defs, ...).
std::size_t count_annotations(const json::object& schema);

std::size_t count_annotations(const json::value& value) {
  std::size_t n = 0;
  if (const auto* array = value.if_array())
    for (const auto& element : *array) n += count_annotations(element);
  else if (const auto* object = value.if_object())
    n += count_annotations(*object);
  return n;
}

std::size_t count_annotations(const json::object& schema) {
  std::size_t n = 0;
  for (const auto& [key, value] : schema) {
    if (key == annotation_key) {
      ++n;
    } else if (is_schema_map(key)) {
      if (const auto* map = value.if_object())
        for (const auto& entry : *map) n += count_annotations(entry.value());
    } else if (!is_data_keyword(key)) {
      n += count_annotations(value);
    }
  }
  return n;
}

// Why the tool's annotations are invalid (empty if they are not), and the valid ones.
std::string check_tool(const json::object& input_schema, std::vector<param_header>& annotations) {
  properties_walk walk;
  std::vector<std::string> path;
  walk.walk(input_schema, path);
  if (!walk.problem.empty()) return walk.problem;
  if (count_annotations(input_schema) > walk.seen) return "x-mcp-header not reachable through properties";
  annotations = std::move(walk.found);
  return {};
}

// `array_text` without the elements whose flag is set; the rest as it was, the separator before
// each kept element being the one that stood before it.

}  // namespace

tools_scan scan_tools_list(std::string_view response_line) {
  tools_scan scan;
  scan.filtered_line = std::string(response_line);
  boost::system::error_code ec;
  const auto parsed = parse_json(response_line, ec);
  if (ec || !parsed.is_object()) return scan;
  const auto* result = parsed.get_object().if_contains("result");
  const auto* tools = result && result->is_object() ? result->get_object().if_contains("tools") : nullptr;
  if (!tools || !tools->is_array()) return scan;

  std::vector<bool> drop(tools->get_array().size(), false);
  for (std::size_t i = 0; i < drop.size(); ++i) {
    const auto* tool = tools->get_array()[i].if_object();
    if (!tool) continue;
    const auto* name = tool->if_contains("name");
    const auto* schema = tool->if_contains("inputSchema");
    if (!name || !name->is_string() || !schema || !schema->is_object()) continue;
    const std::string tool_name(name->get_string());
    std::vector<param_header> annotations;
    if (auto problem = check_tool(schema->get_object(), annotations); !problem.empty()) {
      drop[i] = true;
      scan.invalid.push_back(tool_name);
      scan.reasons.push_back(tool_name + ": " + problem);
    } else if (!annotations.empty()) {
      scan.headers[tool_name] = std::move(annotations);
    }
  }
  if (scan.invalid.empty()) return scan;

  if (auto cut = without_result_array_elements(response_line, "tools", drop)) scan.filtered_line = std::move(*cut);
  return scan;
}

header_list param_headers(const std::vector<param_header>& annotations, std::string_view arguments_json) {
  header_list headers;
  if (annotations.empty()) return headers;
  boost::system::error_code ec;
  const auto arguments = parse_json(arguments_json, ec);
  if (ec || !arguments.is_object()) return headers;
  // Integers beyond ±(2^53 − 1) do not survive a JavaScript server's number: no header for them.
  constexpr std::int64_t max_safe = (std::int64_t{1} << 53) - 1;
  for (const auto& annotation : annotations) {
    const json::value* value = &arguments;
    for (const auto& step : annotation.path) {
      const auto* object = value->if_object();
      value = object ? object->if_contains(step) : nullptr;
      if (!value) break;
    }
    if (!value) continue;
    // Integers as written without fraction or exponent: 5.0 has no one decimal form the server
    // would expect.
    std::optional<std::string> text;
    if (const auto* s = value->if_string())
      text = encode_header_value(*s);
    else if (value->is_bool())
      text = value->get_bool() ? "true" : "false";
    else if (value->is_int64() && value->get_int64() >= -max_safe && value->get_int64() <= max_safe)
      text = std::to_string(value->get_int64());
    else if (value->is_uint64() && value->get_uint64() <= static_cast<std::uint64_t>(max_safe))
      text = std::to_string(value->get_uint64());
    if (text) headers.emplace_back("Mcp-Param-" + annotation.name, std::move(*text));
  }
  return headers;
}

}  // namespace awork_mcp
