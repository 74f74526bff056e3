#pragma once
// Command line, environment and config file: everything a run is told.

#include "awork_mcp/check/setting_origin.hpp"
#include "awork_mcp/core/endpoint.hpp"
#include "awork_mcp/core/proxy.hpp"
#include "awork_mcp/core/request_builder.hpp"
#include "awork_mcp/core/tool_filter.hpp"

#include <spdlog/common.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace awork_mcp {

/// OAuth sign-in options (used when no API key is given).
struct sign_in_config {
  std::string client_id;
  std::string client_secret;  ///< never logged
  std::string scope;
  std::string client_metadata_url;
  unsigned short redirect_port = 0;
  std::string redirect_uri;
  bool open_browser = true;
  bool sign_in_when_needed = true;  ///< a 401 starts a browser sign-in (--no-auto-login turns it off)
  std::chrono::milliseconds timeout{std::chrono::minutes(3)};
};

/// Where the settings that `awork-mcp check` reports came from.
struct config_provenance {
  setting_origin url = setting_origin::built_in;
  setting_origin protocol = setting_origin::built_in;
  /// Of --proxy (the command line or the config file); a proxy from the environment is told
  /// apart by choose_proxy.
  setting_origin proxy = setting_origin::built_in;
  /// How the API key was given: "--api-key-file", "AWORK_API_KEY_FILE", "api-key-file in the
  /// config file", "--api-key", "api-key in the config file" or "AWORK_API_KEY"; empty: no key.
  std::string api_key_via;
  std::string api_key_file;  ///< the file the key was read from
};

struct bridge_config {
  std::string url{awork_default_url};
  endpoint server;
  header_list extra_headers;
  std::optional<std::string> api_key;  ///< never logged
  std::string ca_file;
  std::optional<proxy_settings> proxy;  ///< from --proxy or HTTPS_PROXY/HTTP_PROXY, minus NO_PROXY
  std::optional<std::string> proxy_option;  ///< --proxy as given, for the sign-in's other origins
  sign_in_config sign_in;
  bool allow_http = false;
  bool get_stream = true;
  /// Which protocol era to speak to the server: auto (probe 2026-07-28 first), legacy, modern.
  std::string protocol = "auto";
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds request_timeout{std::chrono::seconds(300)};  ///< 0: wait forever
  std::chrono::milliseconds drain_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds max_retry_wait{std::chrono::seconds(10)};
  std::size_t max_line_bytes = 16 * 1024 * 1024;
  std::size_t max_message_bytes = 64 * 1024 * 1024;  ///< largest message from the server
  std::size_t max_in_flight = 64;
  tool_filter_config tools;  ///< --allow-tool, --deny-tool, --read-only
  spdlog::level::level_enum log_level = spdlog::level::warn;
  std::string log_file;
  config_provenance provenance;
};

/// What `awork-mcp install CLIENT` and `awork-mcp uninstall CLIENT` are asked to do.
struct install_request {
  std::string client;                    ///< claude-desktop, claude-code, cursor, vscode or windsurf
  std::string name = "awork";            ///< the entry's name (--name)
  bool dry_run = false;                  ///< say what would change, write nothing (--dry-run)
  std::string api_key_file;              ///< --api-key-file (the command's or the bridge's) or AWORK_API_KEY_FILE
  std::vector<std::string> bridge_args;  ///< bridge options given after `--`, for the entry
};

/// What main should do after reading the command line.
struct command_line_result {
  enum class action { run, login, logout, status, install, uninstall, check, exit } what = action::run;
  int exit_code = 0;
  bool check_json = false;  ///< `check --json`
  bridge_config config;
  install_request install;
};

/// Looks up an environment variable; injectable so tests need not touch the real environment.
using env_lookup = std::function<const char*(const char*)>;

/// Parses arguments, environment (AWORK_API_KEY, AWORK_MCP_URL, ...) and an optional --config file.
/// Help and version go to stdout (the bridge is not running then); errors go to stderr.
command_line_result parse_command_line(int argc, const char* const* argv, const env_lookup& env);

}  // namespace awork_mcp
