#pragma once
// Where a setting came from, for `awork-mcp check` (the configuration reads it, the check shows it).

#include <string>
#include <string_view>

namespace awork_mcp {

/// The order is CLI11's precedence: the command line, then the --config file, then the
/// environment, then the built-in default.
enum class setting_origin { built_in, command_line, config_file, environment };

/// For people: the option ("--url"), "the config file", the variable ("AWORK_MCP_URL"), "default".
std::string origin_text(setting_origin origin, std::string_view option, std::string_view variable);

}  // namespace awork_mcp
