#pragma once
// JSON written for people. Boost.JSON 1.81 has no pretty printer (serialize() writes one line, and
// numbers as it holds them: 1.0 becomes 1E0, and an integer beyond 64 bits a rounded double), so
// this small one re-indents JSON *text*, token by token: two spaces per level, one member or
// element per line, `"key": value`, empty containers as {} and [], and every string and number
// copied exactly as it was written. That is the shape editors and `JSON.stringify(v, null, 2)`
// write their configuration files in, and a rewrite changes no value's spelling.

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace awork_mcp::install {

/// `json_text`, which must be valid JSON, pretty-printed with no newline after it. `indent` is the
/// indentation of the line it starts on: its members' lines and its closing bracket are indented
/// from there.
std::string reindent_json(std::string_view json_text, std::size_t indent = 0);

/// A value, pretty-printed the same way (its scalars as Boost.JSON serializes them).
std::string pretty_json(const boost::json::value& value, std::size_t indent = 0);

/// `"name": value`, pretty-printed, the line indented by `indent` (to show one entry of an object).
std::string pretty_member(std::string_view name, const boost::json::value& value, std::size_t indent = 0);

}  // namespace awork_mcp::install
