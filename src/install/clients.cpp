#include "awork_mcp/install/clients.hpp"

#include <array>
#include <initializer_list>
#include <ostream>

namespace awork_mcp::install {

namespace {

constexpr std::array<client_layout, 5> layouts{{
    {client::claude_desktop, "claude-desktop", "Claude Desktop", "mcpServers", false, false},
    {client::claude_code, "claude-code", "Claude Code", "mcpServers", true, false},
    {client::cursor, "cursor", "Cursor", "mcpServers", false, false},
    {client::vscode, "vscode", "VS Code", "servers", true, true},
    {client::windsurf, "windsurf", "Windsurf", "mcpServers", false, false},
}};

/// `base` followed by each part, with the system's separator; a separator that ends `base` is not
/// doubled. Empty if `base` is.
std::string joined(std::string base, os_family os, std::initializer_list<std::string_view> parts) {
  if (base.empty()) return base;
  const char separator = os == os_family::windows ? '\\' : '/';
  auto is_separator = [&](char c) { return c == '/' || (os == os_family::windows && c == '\\'); };
  while (base.size() > 1 && is_separator(base.back())) base.pop_back();
  for (auto part : parts) {
    if (!is_separator(base.back())) base += separator;
    base += part;
  }
  return base;
}

/// The home directory as Node's os.homedir() sees it, where Claude Code, Cursor and Windsurf
/// put their dot-directories: USERPROFILE on Windows, HOME elsewhere.
std::string home_of(os_family os, const client_environment& env) {
  return os == os_family::windows ? env.user_profile : env.home;
}

/// The directory Electron apps (Claude Desktop, VS Code) keep their data under: %APPDATA% on
/// Windows, ~/Library/Application Support on macOS, $XDG_CONFIG_HOME or ~/.config on Linux.
std::string app_data_of(os_family os, const client_environment& env) {
  switch (os) {
    case os_family::windows:
      if (!env.app_data.empty()) return env.app_data;
      return joined(env.user_profile, os, {"AppData", "Roaming"});
    case os_family::macos:
      return joined(env.home, os, {"Library", "Application Support"});
    case os_family::linux_like:
      // The XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored (as platform::config_dir does).
      if (!env.xdg_config_home.empty() && env.xdg_config_home.front() == '/') return env.xdg_config_home;
      return joined(env.home, os, {".config"});
  }
  return {};
}

/// What is missing when a location cannot be told.
std::string_view missing(os_family os, bool under_app_data) {
  switch (os) {
    case os_family::windows: return under_app_data ? "neither APPDATA nor USERPROFILE is set" : "USERPROFILE is not set";
    case os_family::macos: return "HOME is not set";
    case os_family::linux_like: return under_app_data ? "neither XDG_CONFIG_HOME nor HOME is set" : "HOME is not set";
  }
  return "?";
}

}  // namespace

std::span<const client_layout> all_clients() { return layouts; }

const client_layout& layout_of(client c) {
  for (const auto& layout : layouts)
    if (layout.id == c) return layout;
  return layouts.front();  // unreachable: every client has its layout
}

std::optional<client> client_named(std::string_view name) {
  for (const auto& layout : layouts)
    if (layout.name == name) return layout.id;
  return std::nullopt;
}

os_family host_os() {
#if defined(_WIN32)
  return os_family::windows;
#elif defined(__APPLE__)
  return os_family::macos;
#else
  return os_family::linux_like;
#endif
}

std::string_view os_name(os_family os) {
  switch (os) {
    case os_family::windows: return "Windows";
    case os_family::macos: return "macOS";
    case os_family::linux_like: return "Linux";
  }
  return "?";
}

std::ostream& operator<<(std::ostream& out, client c) { return out << layout_of(c).name; }

config_location config_path(client c, os_family os, const client_environment& env) {
  std::string path;
  switch (c) {
    case client::claude_desktop:
      // Anthropic ships Claude Desktop for macOS and Windows; Linux builds (unofficial) use the
      // same Electron directory as on the other two.
      path = joined(app_data_of(os, env), os, {"Claude", "claude_desktop_config.json"});
      break;
    case client::claude_code:
      // User scope: the top-level "mcpServers" of ~/.claude.json, which moves with CLAUDE_CONFIG_DIR.
      path = !env.claude_config_dir.empty() ? joined(env.claude_config_dir, os, {".claude.json"})
                                            : joined(home_of(os, env), os, {".claude.json"});
      break;
    case client::cursor:
      path = joined(home_of(os, env), os, {".cursor", "mcp.json"});
      break;
    case client::vscode:
      // The default profile's user mcp.json ("MCP: Open User Configuration").
      path = !env.vscode_appdata.empty() ? joined(env.vscode_appdata, os, {"Code", "User", "mcp.json"})
                                         : joined(app_data_of(os, env), os, {"Code", "User", "mcp.json"});
      break;
    case client::windsurf:
      path = joined(home_of(os, env), os, {".codeium", "windsurf", "mcp_config.json"});
      break;
  }
  if (path.empty()) {
    const bool under_app_data = c == client::claude_desktop || c == client::vscode;
    return {{}, "cannot tell where " + std::string(layout_of(c).display_name) + " keeps its configuration on " +
                    std::string(os_name(os)) + ": " + std::string(missing(os, under_app_data))};
  }
  return {path, {}};
}

}  // namespace awork_mcp::install
