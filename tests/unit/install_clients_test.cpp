// Where each editor keeps its MCP configuration, per system and environment: the macOS and
// Windows rules run here on Linux, with the environment given.

#include "awork_mcp/install/clients.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace awork_mcp::install;

namespace {

const client_environment linux_home{.home = "/home/ann"};
const client_environment linux_xdg{.home = "/home/ann", .xdg_config_home = "/cfg"};
const client_environment mac_home{.home = "/Users/ann"};
const client_environment windows_home{.user_profile = "C:\\Users\\ann", .app_data = "C:\\Users\\ann\\AppData\\Roaming"};

}  // namespace

TEST(install_paths, per_client_system_and_environment) {
  struct row {
    const char* name;
    client who;
    os_family os;
    client_environment env;
    std::string expected;
  };
  const std::vector<row> rows = {
      // Claude Desktop: the Electron app-data directory.
      {"desktop, Linux", client::claude_desktop, os_family::linux_like, linux_home,
       "/home/ann/.config/Claude/claude_desktop_config.json"},
      {"desktop, Linux XDG", client::claude_desktop, os_family::linux_like, linux_xdg,
       "/cfg/Claude/claude_desktop_config.json"},
      {"desktop, Linux relative XDG is ignored", client::claude_desktop, os_family::linux_like,
       {.home = "/home/ann", .xdg_config_home = "cfg"}, "/home/ann/.config/Claude/claude_desktop_config.json"},
      {"desktop, Linux XDG without HOME", client::claude_desktop, os_family::linux_like, {.xdg_config_home = "/cfg/"},
       "/cfg/Claude/claude_desktop_config.json"},
      {"desktop, macOS", client::claude_desktop, os_family::macos, mac_home,
       "/Users/ann/Library/Application Support/Claude/claude_desktop_config.json"},
      {"desktop, macOS ignores XDG", client::claude_desktop, os_family::macos,
       {.home = "/Users/ann", .xdg_config_home = "/Users/ann/.config"},
       "/Users/ann/Library/Application Support/Claude/claude_desktop_config.json"},
      {"desktop, Windows", client::claude_desktop, os_family::windows, windows_home,
       "C:\\Users\\ann\\AppData\\Roaming\\Claude\\claude_desktop_config.json"},
      {"desktop, Windows without APPDATA", client::claude_desktop, os_family::windows,
       {.user_profile = "C:\\Users\\ann\\"}, "C:\\Users\\ann\\AppData\\Roaming\\Claude\\claude_desktop_config.json"},
      {"desktop, Windows ignores HOME", client::claude_desktop, os_family::windows,
       {.home = "/home/ann", .app_data = "D:\\Roaming"}, "D:\\Roaming\\Claude\\claude_desktop_config.json"},
      // Claude Code: ~/.claude.json, or in CLAUDE_CONFIG_DIR.
      {"code, Linux", client::claude_code, os_family::linux_like, linux_xdg, "/home/ann/.claude.json"},
      {"code, macOS", client::claude_code, os_family::macos, mac_home, "/Users/ann/.claude.json"},
      {"code, Windows", client::claude_code, os_family::windows, windows_home, "C:\\Users\\ann\\.claude.json"},
      {"code, CLAUDE_CONFIG_DIR", client::claude_code, os_family::linux_like,
       {.home = "/home/ann", .claude_config_dir = "/work/claude/"}, "/work/claude/.claude.json"},
      {"code, CLAUDE_CONFIG_DIR on Windows", client::claude_code, os_family::windows,
       {.user_profile = "C:\\Users\\ann", .claude_config_dir = "D:\\claude"}, "D:\\claude\\.claude.json"},
      // Cursor and Windsurf: dot-directories in the home directory, on every system.
      {"cursor, Linux", client::cursor, os_family::linux_like, linux_xdg, "/home/ann/.cursor/mcp.json"},
      {"cursor, macOS", client::cursor, os_family::macos, mac_home, "/Users/ann/.cursor/mcp.json"},
      {"cursor, Windows", client::cursor, os_family::windows, windows_home, "C:\\Users\\ann\\.cursor\\mcp.json"},
      {"windsurf, Linux", client::windsurf, os_family::linux_like, linux_home,
       "/home/ann/.codeium/windsurf/mcp_config.json"},
      {"windsurf, macOS", client::windsurf, os_family::macos, mac_home, "/Users/ann/.codeium/windsurf/mcp_config.json"},
      {"windsurf, Windows", client::windsurf, os_family::windows, windows_home,
       "C:\\Users\\ann\\.codeium\\windsurf\\mcp_config.json"},
      // VS Code: the user mcp.json of the default profile.
      {"vscode, Linux", client::vscode, os_family::linux_like, linux_home, "/home/ann/.config/Code/User/mcp.json"},
      {"vscode, Linux XDG", client::vscode, os_family::linux_like, linux_xdg, "/cfg/Code/User/mcp.json"},
      {"vscode, macOS", client::vscode, os_family::macos, mac_home,
       "/Users/ann/Library/Application Support/Code/User/mcp.json"},
      {"vscode, Windows", client::vscode, os_family::windows, windows_home,
       "C:\\Users\\ann\\AppData\\Roaming\\Code\\User\\mcp.json"},
      {"vscode, VSCODE_APPDATA", client::vscode, os_family::macos, {.home = "/Users/ann", .vscode_appdata = "/data"},
       "/data/Code/User/mcp.json"},
  };
  for (const auto& r : rows) {
    const auto where = config_path(r.who, r.os, r.env);
    EXPECT_EQ(where.path, r.expected) << r.name;
    EXPECT_EQ(where.problem, "") << r.name;
  }
}

TEST(install_paths, no_home_directory_is_said_not_guessed) {
  struct row {
    client who;
    os_family os;
    client_environment env;
    const char* problem;
  };
  const std::vector<row> rows = {
      {client::cursor, os_family::linux_like, {.xdg_config_home = "/cfg"}, "HOME is not set"},
      {client::claude_desktop, os_family::linux_like, {}, "neither XDG_CONFIG_HOME nor HOME is set"},
      {client::claude_desktop, os_family::linux_like, {.xdg_config_home = "relative"},
       "neither XDG_CONFIG_HOME nor HOME is set"},
      {client::vscode, os_family::macos, {}, "HOME is not set"},
      {client::claude_code, os_family::windows, {.home = "/home/ann", .app_data = "C:\\AppData"},
       "USERPROFILE is not set"},
      {client::vscode, os_family::windows, {.home = "/home/ann"}, "neither APPDATA nor USERPROFILE is set"},
  };
  for (const auto& r : rows) {
    const auto where = config_path(r.who, r.os, r.env);
    EXPECT_EQ(where.path, "") << layout_of(r.who).name << " on " << os_name(r.os);
    EXPECT_NE(where.problem.find(r.problem), std::string::npos) << where.problem;
    EXPECT_NE(where.problem.find(layout_of(r.who).display_name), std::string::npos) << where.problem;
  }
}

TEST(install_paths, clients_by_name_and_their_layouts) {
  struct row {
    const char* name;
    client who;
    const char* servers_key;
    bool typed;
    bool prompts;
  };
  const std::vector<row> rows = {
      {"claude-desktop", client::claude_desktop, "mcpServers", false, false},
      {"claude-code", client::claude_code, "mcpServers", true, false},
      {"cursor", client::cursor, "mcpServers", false, false},
      {"vscode", client::vscode, "servers", true, true},
      {"windsurf", client::windsurf, "mcpServers", false, false},
  };
  ASSERT_EQ(all_clients().size(), rows.size());
  for (const auto& r : rows) {
    ASSERT_EQ(client_named(r.name), r.who) << r.name;
    const auto& layout = layout_of(r.who);
    EXPECT_EQ(layout.name, r.name);
    EXPECT_EQ(layout.servers_key, r.servers_key) << r.name;
    EXPECT_EQ(layout.typed_entries, r.typed) << r.name;
    EXPECT_EQ(layout.prompts_for_secrets, r.prompts) << r.name;
  }
  for (const char* unknown : {"", "Cursor", "code", "claude", "vs-code", "claude-desktop "})
    EXPECT_EQ(client_named(unknown), std::nullopt) << unknown;
  EXPECT_EQ(host_os(), os_family::linux_like);  // these tests run on Linux
}
