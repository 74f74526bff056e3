#pragma once
// Reading the fields of the JSON documents OAuth servers send (and the token store keeps), without
// exceptions: absent and wrongly typed fields are told apart where that matters.

#include "awork_mcp/core/json_text.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace awork_mcp::oauth_json {

/// The document if the text is a JSON object.
inline std::optional<boost::json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  auto value = parse_json(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.get_object());
}

/// The string at `key`, or nullptr when it is absent or not a string.
inline const boost::json::string* string_at(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value ? value->if_string() : nullptr;
}

/// The string at `key`, empty when it is absent or not a string.
inline std::string string_or_empty(const boost::json::object& object, std::string_view key) {
  const auto* s = string_at(object, key);
  return s ? std::string(*s) : std::string();
}

/// Whether `key` holds the boolean true.
inline bool is_true(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_bool() && value->get_bool();
}

/// The string elements of the array at `key` (other elements skipped); empty when it is absent or
/// not an array: lists such as scopes_supported are advice, and a bad one is no reason to fail.
inline std::vector<std::string> strings_at(const boost::json::object& object, std::string_view key) {
  std::vector<std::string> out;
  const auto* value = object.if_contains(key);
  if (!value || !value->is_array()) return out;
  for (const auto& element : value->get_array())
    if (element.is_string()) out.emplace_back(element.get_string());
  return out;
}

}  // namespace awork_mcp::oauth_json
