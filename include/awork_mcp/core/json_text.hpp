#pragma once
// Byte-faithful handling of JSON text that passes through: nothing is parsed into a document and
// written again, so numbers, key order and escapes reach the editor exactly as the server sent them.

#include <boost/json/value.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace awork_mcp {

/// How deeply messages may nest, in both directions. Boost.JSON's default (32) rejects real tool
/// schemas; the scanner keeps one small frame per level, so this costs little.
inline constexpr std::size_t max_json_depth = 1000;

/// Parses a (small) JSON text into a document, allowing max_json_depth levels. For the few places
/// that read a value out of a message; messages that pass through are never parsed this way.
boost::json::value parse_json(std::string_view text, boost::system::error_code& ec);

/// The member `key` of a parsed object when it is an object, else null.
inline const boost::json::object* object_at(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value ? value->if_object() : nullptr;
}

/// The string at `outer`.`inner` of a JSON object text (such as error.message, or
/// result.protocolVersion), or empty when the text is not such an object.
std::string nested_string(std::string_view text, std::string_view outer, std::string_view inner);

/// The text as valid UTF-8: each byte that does not begin a well-formed sequence (RFC 3629: no
/// overlong forms, no surrogates, nothing past U+10FFFF) becomes U+FFFD. Boost.JSON writes a
/// string's bytes as they are, so what a server sent outside JSON (a reason phrase, a header) is
/// passed through this before it goes into a line of JSON.
std::string valid_utf8(std::string_view text);

/// Makes a document that the bridge writes safe to serialize as standard JSON: strings valid
/// UTF-8 (valid_utf8), and numbers that are not finite (a server's 1e400, read as infinity, which
/// Boost.JSON would write as Infinity) null.
void make_json_safe(boost::json::value& value);

/// Puts a valid JSON text on one line. Raw CR and LF cannot occur inside JSON strings, so in valid
/// JSON they are whitespace between tokens: each becomes a space, and no other byte changes.
void fold_onto_one_line(std::string& text);

/// The texts of the elements of a JSON array (the text must be valid JSON, as classify() checks),
/// each exactly as written, surrounding whitespace trimmed.
std::vector<std::string_view> array_elements(std::string_view array_text);

}  // namespace awork_mcp
