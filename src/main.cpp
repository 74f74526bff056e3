// awork-mcp: a stdio MCP server that relays to a Streamable HTTP MCP server.

#include "awork_mcp/app/check.hpp"
#include "awork_mcp/app/config.hpp"
#include "awork_mcp/app/install.hpp"
#include "awork_mcp/app/logging.hpp"
#include "awork_mcp/app/sign_in.hpp"
#include "awork_mcp/auth/credential.hpp"
#include "awork_mcp/auth/oauth_credential.hpp"
#include "awork_mcp/platform/platform.hpp"
#include "awork_mcp/platform/stdio.hpp"
#include "awork_mcp/relay/bridge.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <iostream>

int main(int argc, char** argv) {
  namespace platform = awork_mcp::platform;
  auto parsed = awork_mcp::parse_command_line(argc, argv, [](const char* name) { return std::getenv(name); });
  if (parsed.what == awork_mcp::command_line_result::action::exit) return parsed.exit_code;
  auto& config = parsed.config;

  try {
    awork_mcp::init_logging(config.log_level, config.log_file);
  } catch (const std::exception& e) {
    std::cerr << "awork-mcp: cannot open the log file: " << e.what() << "\n";
    return 2;
  }

  platform::ignore_broken_pipes();
  using action = awork_mcp::command_line_result::action;
  try {
    if (parsed.what == action::login) return awork_mcp::run_login(config);
    if (parsed.what == action::logout) return awork_mcp::run_logout(config);
    if (parsed.what == action::status) return awork_mcp::run_status(config);
    if (parsed.what == action::install) return awork_mcp::run_install(config, parsed.install);
    if (parsed.what == action::uninstall) return awork_mcp::run_uninstall(config, parsed.install);
    if (parsed.what == action::check) return awork_mcp::run_check(config, parsed.check_json);
  } catch (const std::exception& e) {
    std::cerr << "awork-mcp: " << e.what() << "\n";
    return 1;
  }

  platform::stdio_restorer restore;
  try {
    awork_mcp::net::io_context io{1};
    // Without an API key, the OAuth sign-in (stored, renewed, or started on the first 401). The
    // credential owns the kit: a renewal still held by the io_context at exit (cut short by the
    // hard stop) keeps both alive until the io_context destroys it.
    std::shared_ptr<awork_mcp::credential_source> credential;
    if (config.api_key) {
      credential = std::make_shared<awork_mcp::static_bearer_credential>(config.api_key);
    } else {
      auto sign_in = std::make_shared<awork_mcp::sign_in_kit>(io.get_executor(), config, [](const std::string& url) {
        spdlog::warn("sign-in needed: opening the browser; if it does not open, visit {}", url);
      });
      credential = std::make_shared<awork_mcp::oauth_credential>(io.get_executor(), sign_in->flow, sign_in->store,
                                                                 config.sign_in.sign_in_when_needed, sign_in);
    }
    auto bridge = std::make_shared<awork_mcp::bridge>(io.get_executor(), std::move(config), std::move(credential),
                                                      platform::open_stdin(io.get_executor()),
                                                      platform::open_stdout(io.get_executor()), [&io] { io.stop(); });
    // Never outlive the editor that started us: a parent that is gone already means exit now.
    if (!bridge->start()) return 0;
    bridge.reset();
    io.run();
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
  return 0;
}
