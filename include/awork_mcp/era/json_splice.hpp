#pragma once
// Edits of one member of a JSON object in its text, leaving every other byte as it was: the
// bridge adds `_meta` to a request or swaps a response's id without re-encoding the numbers,
// key order and escapes of the rest (a re-serialization would turn 1.0 into 1E0).
// The input must be valid JSON (the classifier has checked it).

#include <optional>
#include <string>
#include <string_view>

namespace awork_mcp {

/// Byte offsets of a member of the outermost object: the value runs [value_begin, value_end).
struct member_span {
  std::size_t value_begin = 0;
  std::size_t value_end = 0;
};

/// The member `key` of the object `object_text` (its own members only, not nested ones);
/// nullopt if absent or if the text is not an object. Keys are compared after unescaping.
std::optional<member_span> find_member(std::string_view object_text, std::string_view key);

/// The value text of that member, or nullopt.
std::optional<std::string_view> member_text(std::string_view object_text, std::string_view key);

/// `object_text` with member `key` set to `value_json`: replaced in place when present, else added
/// as the first member. nullopt if `object_text` is not an object.
std::optional<std::string> set_member(std::string_view object_text, std::string_view key, std::string_view value_json);

/// `object_text` without member `key` (unchanged if absent); nullopt if not an object.
std::optional<std::string> remove_member(std::string_view object_text, std::string_view key);

/// A JSON string literal for `text` (quoted and escaped).
std::string json_quote(std::string_view text);

}  // namespace awork_mcp
