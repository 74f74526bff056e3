#include "awork_mcp/app/config.hpp"

#include "awork_mcp/core/header_options.hpp"
#include "awork_mcp/core/text.hpp"
#include "awork_mcp/install/clients.hpp"
#include "awork_mcp/platform/files.hpp"
#include "awork_mcp/platform/platform.hpp"
#include "awork_mcp/build_info.hpp"
#include "awork_mcp/version.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

namespace awork_mcp {

namespace {

std::chrono::milliseconds to_ms(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0));
}

std::string read_secret_file(const std::string& path, const char* option) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(std::string("cannot read ") + option + " " + path);
  std::stringstream content;
  content << in.rdbuf();
  auto key = trimmed(content.str());
  if (key.empty()) throw std::runtime_error(std::string(option) + " " + path + " is empty");
  if (platform::readable_by_others(path))
    std::cerr << "awork-mcp: warning: " << path << " is readable by other users; chmod 600 it\n";
  return key;
}

// Whether an option was given on the command line, as "--name value" or "--name=value".
bool on_command_line(int argc, const char* const* argv, std::string_view name) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg == name || (arg.size() > name.size() && arg.starts_with(name) && arg[name.size()] == '=')) return true;
  }
  return false;
}

// Where an option's value came from, in CLI11's order: the command line, the --config file (which
// CLI11 reads before the environment, and only for options the command line left empty), the
// environment (CLI11 reads it with getenv, so this does too), the default.
setting_origin origin_of(const CLI::Option& option, int argc, const char* const* argv,
                         const std::vector<CLI::ConfigItem>& config_items) {
  for (const auto& name : option.get_lnames())
    if (on_command_line(argc, argv, "--" + name)) return setting_origin::command_line;
  for (const auto& item : config_items)
    if (item.parents.empty() && (option.check_name("--" + item.name) || option.check_name(item.name)))
      return setting_origin::config_file;
  const auto& variable = option.get_envname();
  if (const char* value = variable.empty() ? nullptr : std::getenv(variable.c_str()); value && *value)
    return setting_origin::environment;
  return setting_origin::built_in;
}

}  // namespace

command_line_result parse_command_line(int argc, const char* const* argv, const env_lookup& env) {
  command_line_result result;
  auto& cfg = result.config;
  CLI::App app{"awork-mcp: a stdio MCP server that relays to awork's remote MCP server (or any Streamable HTTP "
               "MCP server).\nReads JSON-RPC lines on stdin, writes them on stdout, logs to stderr.",
               "awork-mcp"};
  app.set_version_flag("--version", std::string("awork-mcp ") + version + " (commit " + build_commit + ")");
  app.set_config("--config", "", "Read options from a TOML/INI file (see config/awork-mcp.toml)");

  std::string api_key_file, api_key_arg, log_level = "warn";
  std::vector<std::string> headers;
  double connect_timeout = 10, request_timeout = 300, drain_timeout = 10, max_retry_wait = 10;
  bool no_get_stream = false;

  app.add_option("--url", cfg.url, "MCP endpoint (Streamable HTTP)")->envname("AWORK_MCP_URL")->capture_default_str();
  app.add_option("--api-key-file", api_key_file, "File holding the API key or access token (safest)")
      ->envname("AWORK_API_KEY_FILE");
  app.add_option("--api-key", api_key_arg,
                 "API key on the command line (least safe: other users can see it in the process list); "
                 "prefer AWORK_API_KEY or --api-key-file");
  app.add_option("--header", headers,
                 "Extra request header 'Name: value' or --header=Name:value (repeatable); ${VAR} is taken from the environment");
  std::string header_file;
  app.add_option("--header-file", header_file, "File of extra headers, one 'Name: value' per line (# comments)")
      ->check(CLI::ExistingFile);
  app.add_option("--ca-file", cfg.ca_file, "PEM file of extra trusted CA certificates")->check(CLI::ExistingFile);
  std::optional<std::string> proxy_arg;
  app.add_option("--proxy", proxy_arg,
                 "HTTP proxy for CONNECT tunnels, http://[user:pass@]host:port ('' for none); "
                 "default: HTTPS_PROXY / HTTP_PROXY unless NO_PROXY exempts the host");
  app.add_flag("--allow-http", cfg.allow_http, "Allow plain http:// to hosts other than loopback");
  app.add_option("--allow-tool", cfg.tools.allow,
                 "Only tools whose names match this glob (* and ?) are listed and callable (repeatable)");
  app.add_option("--deny-tool", cfg.tools.deny, "Tools whose names match this glob are hidden and refused (repeatable)");
  app.add_flag("--read-only", cfg.tools.read_only, "Only tools the server annotates readOnlyHint: true");
  app.add_flag("--no-get-stream", no_get_stream, "Do not open the GET stream for server-initiated messages");
  app.add_option("--protocol", cfg.protocol,
                 "MCP era toward the server: auto (try 2026-07-28, else the initialize handshake), legacy or modern")
      ->envname("AWORK_MCP_PROTOCOL")
      ->check(CLI::IsMember({"auto", "legacy", "modern"}))
      ->capture_default_str();
  app.add_option("--connect-timeout", connect_timeout, "Seconds to resolve, connect and handshake")
      ->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--request-timeout", request_timeout,
                 "Seconds a request may go without any byte from the server (0: no limit)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  app.add_option("--drain-timeout", drain_timeout, "Seconds to let in-flight requests finish at exit")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  app.add_option("--max-retry-wait", max_retry_wait,
                 "Longest rate-limit wait in seconds: a 429 waited out and retried instead of reported, or a request held while the budget is spent")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  app.add_option("--max-line-bytes", cfg.max_line_bytes, "Longest accepted stdin line")
      ->check(CLI::Range(std::size_t{64}, std::size_t{1} << 31))->capture_default_str();
  app.add_option("--max-message-bytes", cfg.max_message_bytes,
                 "Largest message accepted from the server; a larger reply is answered with an error")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 32))->capture_default_str();
  app.add_option("--max-in-flight", cfg.max_in_flight, "Requests forwarded at once; more wait their turn (answers and notifications never wait)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{4096}))->capture_default_str();
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error, critical or off")
      ->envname("AWORK_MCP_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  app.add_option("--log-file", cfg.log_file, "Append logs to this file instead of stderr")->envname("AWORK_MCP_LOG_FILE");

  // Signing in with OAuth (when no API key is given).
  auto& sign_in = cfg.sign_in;
  std::string client_secret_file, client_secret_arg;
  double sign_in_timeout = 180;
  bool no_auto_login = false, no_browser = false;
  app.add_option("--client-id", sign_in.client_id, "OAuth client registered for this program (default: register one)")
      ->envname("AWORK_MCP_CLIENT_ID");
  app.add_option("--client-secret-file", client_secret_file, "File holding that client's secret, if it has one")
      ->envname("AWORK_MCP_CLIENT_SECRET_FILE");
  app.add_option("--client-secret", client_secret_arg,
                 "The client's secret on the command line (visible in the process list); prefer "
                 "AWORK_MCP_CLIENT_SECRET or --client-secret-file");
  app.add_option("--scope", sign_in.scope, "OAuth scopes to ask for, space separated (default: what the server asks)");
  app.add_option("--client-metadata-url", sign_in.client_metadata_url,
                 "https URL of a Client ID Metadata Document to use as client id where the server supports it");
  app.add_option("--redirect-port", sign_in.redirect_port, "Loopback port for the browser's answer (default: any free one)");
  app.add_option("--redirect-uri", sign_in.redirect_uri,
                 "Redirect URI exactly as registered, http://127.0.0.1:PORT/path or http://localhost:PORT/path");
  app.add_flag("--no-auto-login", no_auto_login,
               "Never open a browser from the bridge: without a stored sign-in, requests fail with advice to run "
               "`awork-mcp login`");
  app.add_flag("--no-browser", no_browser, "Print the sign-in URL instead of opening a browser (for SSH sessions)");
  app.add_option("--sign-in-timeout", sign_in_timeout, "Seconds to wait for the browser sign-in")
      ->check(CLI::PositiveNumber)->capture_default_str();

  auto* login = app.add_subcommand("login", "Sign in with the browser (OAuth) and store the tokens");
  auto* logout = app.add_subcommand("logout", "Forget the stored sign-in and revoke it where the server allows");
  auto* status = app.add_subcommand("status", "Show the stored sign-in: server, issuer, client, scopes, expiry");
  // `awork-mcp login --no-browser`: the options of a run may follow these commands too.
  for (auto* command : {login, logout, status}) command->fallthrough();

  // Putting this bridge into an editor's MCP configuration, and taking it out again.
  auto& request = result.install;
  std::string install_key_file;
  std::vector<std::string> client_names;
  for (const auto& layout : install::all_clients()) client_names.emplace_back(layout.name);
  auto* install_cmd = app.add_subcommand(
      "install", "Add this bridge to an editor's MCP configuration (claude-desktop, claude-code, cursor, vscode, "
                 "windsurf); bridge options for the entry go after --");
  auto* uninstall_cmd =
      app.add_subcommand("uninstall", "Remove this bridge's entry from an editor's MCP configuration");
  for (auto* command : {install_cmd, uninstall_cmd}) {
    command->add_option("client", request.client, "The editor: " + [&] {
      std::string list;
      for (const auto& n : client_names) list += (list.empty() ? "" : ", ") + n;
      return list;
    }())->required()->check(CLI::IsMember(client_names));
    command->add_option("--name", request.name, "Name of the entry")->capture_default_str();
    command->add_flag("--dry-run", request.dry_run, "Show what would change, write nothing");
  }
  install_cmd->add_option("--api-key-file", install_key_file,
                          "File holding the API key, named in the entry (default: AWORK_API_KEY_FILE)");
  install_cmd->add_option("bridge-options", request.bridge_args,
                          "Options for the installed bridge, after -- (e.g. -- --url https://example.com/mcp)");
  install_cmd->footer("Examples:\n  awork-mcp install claude-desktop\n  awork-mcp install vscode --dry-run\n"
                      "  awork-mcp install cursor --api-key-file ~/.config/awork-mcp/key -- --log-level info");
  auto* check = app.add_subcommand("check", "Check the setup step by step (configuration, proxy, DNS, TCP, TLS, "
                                            "authentication, the server, rate limits); exit status 1 if a step fails");
  check->add_flag("--json", result.check_json, "Print the report as one JSON object");
  check->fallthrough();  // `awork-mcp check --url …`: the options of a run may follow the command
  app.require_subcommand(0, 1);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    result.what = command_line_result::action::exit;
    result.exit_code = app.exit(e, std::cout, std::cerr);
    return result;
  }

  auto fail = [&](const std::string& message) {
    std::cerr << "awork-mcp: " << message << "\n";
    result.what = command_line_result::action::exit;
    result.exit_code = 2;
    return result;
  };

  // Where the settings came from, for `awork-mcp check`.
  std::vector<CLI::ConfigItem> config_items;
  if (const auto* config_option = app.get_config_ptr(); config_option && config_option->count() > 0) {
    try {
      config_items = app.get_config_formatter_base()->from_file(config_option->as<std::string>());
    } catch (const CLI::Error&) {
      // CLI11 read it a moment ago; if it cannot now, the origins fall back to the environment.
    }
  }
  const auto origin = [&](const char* name) { return origin_of(*app.get_option(name), argc, argv, config_items); };
  auto& provenance = cfg.provenance;
  provenance.url = origin("--url");
  if (unfilled_setting(cfg.url)) {
    // A bundle's server URL the user cleared: awork's, as if none had been given.
    cfg.url = bridge_config{}.url;
    provenance.url = setting_origin::built_in;
  }
  provenance.protocol = origin("--protocol");
  provenance.proxy = origin("--proxy");

  try {
    cfg.server = parse_endpoint(cfg.url);
    std::vector<std::string> header_args;
    if (!header_file.empty()) {
      const auto text = platform::read_file(header_file);
      if (!text) throw std::invalid_argument("--header-file " + header_file + " cannot be read");
      header_args = header_file_lines(*text);
    }
    header_args.insert(header_args.end(), headers.begin(), headers.end());
    for (const auto& h : header_args) {
      auto expanded = expand_env(h, env);
      if (!expanded.problem.empty()) throw std::invalid_argument(expanded.problem);
      cfg.extra_headers.push_back(parse_header_arg(expanded.text));
    }
    cfg.proxy = proxy_for(cfg.server, proxy_arg, env);
    if (!api_key_file.empty()) {
      cfg.api_key = read_secret_file(api_key_file, "--api-key-file");
      const auto from = origin("--api-key-file");
      provenance.api_key_via = from == setting_origin::config_file ? std::string("api-key-file in the config file")
                                                                   : origin_text(from, "--api-key-file", "AWORK_API_KEY_FILE");
      provenance.api_key_file = api_key_file;
    } else if (!api_key_arg.empty()) {
      cfg.api_key = trimmed(api_key_arg);
      provenance.api_key_via =
          origin("--api-key") == setting_origin::config_file ? "api-key in the config file" : "--api-key";
    } else if (const char* key = env("AWORK_API_KEY"); key && !unfilled_setting(key)) {
      cfg.api_key = trimmed(key);
      provenance.api_key_via = "AWORK_API_KEY";
    }
    if (!client_secret_file.empty())
      sign_in.client_secret = read_secret_file(client_secret_file, "--client-secret-file");
    else if (!client_secret_arg.empty())
      sign_in.client_secret = trimmed(client_secret_arg);
    else if (const char* secret = env("AWORK_MCP_CLIENT_SECRET"); secret && *secret)
      sign_in.client_secret = trimmed(secret);
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  if (!sign_in.client_secret.empty() && sign_in.client_id.empty())
    return fail("a client secret needs its --client-id");
  cfg.proxy_option = proxy_arg;
  sign_in.open_browser = !no_browser;
  sign_in.sign_in_when_needed = !no_auto_login;
  sign_in.timeout = to_ms(sign_in_timeout);
  if (login->parsed()) result.what = command_line_result::action::login;
  if (logout->parsed()) result.what = command_line_result::action::logout;
  if (status->parsed()) result.what = command_line_result::action::status;
  if (install_cmd->parsed() || uninstall_cmd->parsed()) {
    result.what = install_cmd->parsed() ? command_line_result::action::install : command_line_result::action::uninstall;
    try {
      if (!install_key_file.empty()) read_secret_file(install_key_file, "--api-key-file");  // it must hold a key
    } catch (const std::exception& e) {
      return fail(e.what());
    }
    request.api_key_file = install_key_file.empty() ? api_key_file : install_key_file;
  }
  if (check->parsed()) result.what = command_line_result::action::check;
  if (!cfg.server.tls && !cfg.server.is_loopback() && !cfg.allow_http)
    return fail("refusing plain http:// to " + cfg.server.host +
                ": the API key would cross the network unencrypted (use https://, or --allow-http)");

  cfg.get_stream = !no_get_stream;
  cfg.connect_timeout = to_ms(connect_timeout);
  cfg.request_timeout = to_ms(request_timeout);
  cfg.drain_timeout = to_ms(drain_timeout);
  cfg.max_retry_wait = to_ms(max_retry_wait);
  cfg.log_level = spdlog::level::from_str(log_level);
  return result;
}

}  // namespace awork_mcp
