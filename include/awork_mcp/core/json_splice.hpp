#pragma once
// Edits of one member of a JSON object in its text, leaving every other byte as it was: the
// bridge adds `_meta` to a request or swaps a response's id without re-encoding the numbers,
// key order and escapes of the rest (a re-serialization would turn 1.0 into 1E0).
// The input must be valid JSON (the classifier has checked it).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace awork_mcp {

/// Byte offsets of a member of the outermost object: the value runs [value_begin, value_end).
struct member_span {
  std::size_t value_begin = 0;
  std::size_t value_end = 0;
};

/// The member `key` of the object `object_text` (its own members only, not nested ones);
/// nullopt if absent or if the text is not an object. Keys are compared after unescaping; of
/// repeated keys the last counts, as for Boost.JSON and JSON.parse.
std::optional<member_span> find_member(std::string_view object_text, std::string_view key);

/// The value text of that member, or nullopt.
std::optional<std::string_view> member_text(std::string_view object_text, std::string_view key);

/// `object_text` with member `key` set to `value_json`: replaced in place when present (the last
/// of repeated keys), else added as the first member. nullopt if `object_text` is not an object.
std::optional<std::string> set_member(std::string_view object_text, std::string_view key, std::string_view value_json);

/// `object_text` without member `key` (every occurrence, and one comma next to each; unchanged if
/// absent); nullopt if not an object.
std::optional<std::string> remove_member(std::string_view object_text, std::string_view key);

/// The value text of an object-valued member, or nullopt (absent, or not an object).
std::optional<std::string_view> object_member(std::string_view object_text, std::string_view key);

/// The unescaped value of a string-valued member, or nullopt (absent, or not a string).
std::optional<std::string> string_member(std::string_view object_text, std::string_view key);

/// Whether the member is the literal `true`.
bool member_is_true(std::string_view object_text, std::string_view key);

/// A JSON string literal for `text` (quoted and escaped).
std::string json_quote(std::string_view text);

/// The text of a JSON string literal, unescaped; nullopt if `literal` is not one.
std::optional<std::string> json_unquote(std::string_view literal);

/// A response line with some elements of its `result.<array_key>` array cut out (`drop[i]` for
/// the i-th), every other byte as it was; nullopt if there is no such array or `drop` does not
/// have one flag per element. The text must be valid JSON.
std::optional<std::string> without_result_array_elements(std::string_view response_line, std::string_view array_key,
                                                         const std::vector<bool>& drop);

/// The members of the outermost object, in order: each key unescaped and its value text as
/// written. nullopt if the text is not an object.
std::optional<std::vector<std::pair<std::string, std::string_view>>> object_members(std::string_view object_text);

}  // namespace awork_mcp
