#pragma once
// The OAuth pieces a run needs, built from the configuration, and the three sign-in commands:
// `awork-mcp login`, `logout` and `status`.

#include "awork_mcp/app/config.hpp"
#include "awork_mcp/auth/oauth_flow.hpp"
#include "awork_mcp/auth/oauth_http.hpp"
#include "awork_mcp/auth/token_store.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

namespace awork_mcp {

/// HTTP (with its TLS trust), the store and the flow for one server, alive as long as a run uses them.
struct sign_in_kit {
  sign_in_kit(net::any_io_executor ex, const bridge_config& config, std::function<void(const std::string&)> show_url);
  oauth_http http;
  token_store store;
  oauth_flow flow;
};

/// Where the stored sign-ins live: config_dir()/oauth (empty when there is no config directory).
std::filesystem::path sign_in_store_dir();
/// A moment as local time for people: "2026-12-01 14:00 CET".
std::string local_time_text(std::chrono::system_clock::time_point t);

int run_login(const bridge_config& config);
int run_logout(const bridge_config& config);
int run_status(const bridge_config& config);

}  // namespace awork_mcp
