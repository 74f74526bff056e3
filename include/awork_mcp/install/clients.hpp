#pragma once
// The editors `awork-mcp install` knows, how each one's MCP configuration is laid out, and where
// it keeps that file on each system: a pure rule, with the environment given, so that the macOS
// and Windows rules are tested on Linux too.

#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace awork_mcp::install {

enum class client { claude_desktop, claude_code, cursor, vscode, windsurf };
enum class os_family { linux_like, macos, windows };

/// How one client's file is laid out.
struct client_layout {
  client id;
  std::string_view name;          ///< on the command line: "claude-desktop"
  std::string_view display_name;  ///< in messages: "Claude Desktop"
  std::string_view servers_key;   ///< the object of servers: "mcpServers", VS Code's "servers"
  bool typed_entries;             ///< entries say "type": "stdio" (Claude Code, VS Code)
  bool prompts_for_secrets;       ///< an "inputs" array can ask for the key and keep it (VS Code)
};

/// Every client, in the order they are listed to the user.
std::span<const client_layout> all_clients();
const client_layout& layout_of(client c);
std::optional<client> client_named(std::string_view name);

/// The system this program was built for.
os_family host_os();
std::string_view os_name(os_family os);
std::ostream& operator<<(std::ostream& out, client c);

/// The environment variables the locations depend on (empty: unset).
struct client_environment {
  std::string home;               ///< HOME (Linux, macOS)
  std::string user_profile;       ///< USERPROFILE (Windows' home directory)
  std::string app_data;           ///< APPDATA (Windows' roaming application data)
  std::string xdg_config_home;    ///< XDG_CONFIG_HOME (Linux; only an absolute path counts)
  std::string claude_config_dir;  ///< CLAUDE_CONFIG_DIR: Claude Code keeps .claude.json there
  std::string vscode_appdata;     ///< VSCODE_APPDATA: VS Code's data directory instead of the system's
};

/// Where a client's user-wide MCP configuration is: a path in UTF-8 with the system's separators,
/// or, when it cannot be told (no home directory in the environment), why.
struct config_location {
  std::string path;
  std::string problem;
};
config_location config_path(client c, os_family os, const client_environment& env);

}  // namespace awork_mcp::install
