#pragma once
// Header options that survive an editor's command line: `${NAME}` in a value is taken from the
// environment (so a config file holds no secret and Claude Desktop on Windows, which splits
// arguments on spaces, gets `--header=Name:${VAR}`), and --header-file holds many of them.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace awork_mcp {

using env_lookup = std::function<const char*(const char*)>;

struct expansion {
  std::string text;
  std::string problem;  ///< non-empty when a variable is not set or a reference is malformed
};

/// `${NAME}` (letters, digits, `_`; not starting with a digit) replaced by the variable's value;
/// `$${` stands for a literal `${`; any other `$` is kept. An unset variable is a problem, not an
/// empty value: a header silently sent empty is harder to find than an error at start.
expansion expand_env(std::string_view value, const env_lookup& env);

/// The header arguments of a --header-file: one `Name: value` per line; blank lines and lines
/// starting with `#` are skipped; CR LF line ends are fine.
std::vector<std::string> header_file_lines(std::string_view file_text);

}  // namespace awork_mcp
