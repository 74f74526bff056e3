#include "awork_mcp/app/sign_in.hpp"

#include "awork_mcp/core/json_text.hpp"

#include "awork_mcp/platform/platform.hpp"

#include <boost/json/parse.hpp>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <ctime>
#include <iostream>

namespace awork_mcp {

namespace {

oauth_settings settings_from(const sign_in_config& c) {
  oauth_settings s;
  s.client_id = c.client_id;
  s.client_secret = c.client_secret;
  s.scope = c.scope;
  s.client_metadata_url = c.client_metadata_url;
  s.redirect_port = c.redirect_port;
  s.redirect_uri = c.redirect_uri;
  s.open_browser = c.open_browser;
  s.sign_in_timeout = c.timeout;
  return s;
}

std::string expiry_text(const token_set& tokens) {
  if (!tokens.expires_at) return "no expiry given";
  return "valid until " + local_time_text(*tokens.expires_at);
}

// How long logout waits for a bridge that is renewing the tokens at that moment.
constexpr auto store_lock_wait = std::chrono::seconds(30);

/// Runs one coroutine to its end on a fresh io_context; its result is the exit code.
int run_to_end(const std::function<awaitable<int>(net::any_io_executor)>& body) {
  net::io_context io{1};
  int exit_code = 1;
  net::co_spawn(io, [&]() -> awaitable<void> { exit_code = co_await body(io.get_executor()); },
                [](std::exception_ptr e) {
                  if (e) std::rethrow_exception(e);
                });
  io.run();
  return exit_code;
}

/// The name of the signed-in awork user, from awork's /me; empty when unknown.
awaitable<std::string> awork_user_name(oauth_http& http, const endpoint& server, const std::string& access_token) {
  const std::string url = endpoint{server.tls, server.host, server.port, "/"}.url() + "api/v1/me";
  const header_list bearer{{"Authorization", "Bearer " + access_token}};
  auto reply = co_await http.get(url, bearer);
  if (!reply || reply->status != 200) co_return std::string();
  boost::system::error_code ec;
  auto me = parse_json(reply->body, ec);
  if (ec || !me.is_object()) co_return std::string();
  std::string name;
  for (const char* key : {"firstName", "lastName"})
    if (const auto* part = me.get_object().if_contains(key); part && part->is_string())
      name += (name.empty() ? "" : " ") + std::string(part->get_string());
  co_return name;
}

}  // namespace

std::filesystem::path sign_in_store_dir() {
  auto dir = platform::config_dir();
  return dir.empty() ? dir : dir / "oauth";
}

std::string local_time_text(std::chrono::system_clock::time_point t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm parts{};
#ifdef _WIN32
  localtime_s(&parts, &seconds);
#else
  localtime_r(&seconds, &parts);
#endif
  char text[64];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M %Z", &parts);
  return text;
}

sign_in_kit::sign_in_kit(net::any_io_executor ex, const bridge_config& config,
                         std::function<void(const std::string&)> show_url)
    : http(ex, config.ca_file, http_timeouts{config.connect_timeout, std::chrono::seconds(60)}, config.proxy_option,
           [](const char* name) { return std::getenv(name); }, config.allow_http),
      store(sign_in_store_dir(), config.sign_in.client_id),
      flow(http, store, config.server, settings_from(config.sign_in), std::move(show_url)) {}

int run_login(const bridge_config& config) {
  return run_to_end([&](net::any_io_executor ex) -> awaitable<int> {
    sign_in_kit kit(ex, config, [&](const std::string& url) {
      std::cerr << (config.sign_in.open_browser ? "Opening your browser to sign in. If it does not open, visit:\n"
                                                : "To sign in, open this URL in a browser on this machine:\n")
                << "  " << url << "\n";
    });
    // An unauthenticated request shows the server's challenge: where its metadata is, which scope.
    const std::string probe_body =
        R"({"jsonrpc":"2.0","id":"awork-mcp/login","method":"initialize","params":{"protocolVersion":"2025-06-18",)"
        R"("capabilities":{},"clientInfo":{"name":"awork-mcp","version":"login"}}})";
    const std::string_view json_type = "application/json";
    const header_list accept{{"Accept", "application/json, text/event-stream"}};
    auto probe = co_await kit.http.post(config.server.url(), probe_body, json_type, accept);
    if (!probe) {
      std::cerr << "awork-mcp: cannot reach " << config.server.display() << ": " << probe.failure().detail << "\n";
      co_return 1;
    }
    const std::string challenge = probe->status == 401 ? probe->www_authenticate : std::string();
    const std::string nothing_granted;
    auto record = co_await kit.flow.sign_in(challenge, nothing_granted);
    if (!record) {
      std::cerr << "awork-mcp: sign-in failed: " << record.failure().detail << "\n";
      co_return 1;
    }
    // Saved under the store's lock, so that a bridge renewing the old sign-in right now cannot
    // write its tokens over the new ones. A bridge in a browser sign-in of its own holds it that
    // long at most. (A store that cannot be locked at all: the save says what is wrong.)
    const auto patience = kit.flow.longest_lock_hold();
    const auto held = co_await kit.store.lock(ex, kit.flow.resource_key(), std::chrono::steady_clock::now() + patience);
    if (!held.lock && held.error.empty()) {
      std::cerr << "awork-mcp: signed in, but another awork-mcp held the sign-in store for "
                << std::chrono::duration_cast<std::chrono::seconds>(patience).count()
                << " s; run `awork-mcp login` again\n";
      co_return 1;
    }
    if (auto error = kit.store.save(*record); !error.empty()) {
      std::cerr << "awork-mcp: signed in, but the tokens could not be stored: " << error << "\n";
      co_return 1;
    }
    std::string who;
    if (config.server.is_awork()) who = co_await awork_user_name(kit.http, config.server, record->tokens.access_token);
    std::cout << "Signed in to " << config.server.display() << (who.empty() ? "" : " as " + who) << ".\n"
              << "  authorization server: " << record->issuer << "\n"
              << "  access token: " << expiry_text(record->tokens)
              << (record->tokens.refresh_token.empty() ? "; no refresh token: sign in again when it expires"
                                                       : "; renewed automatically")
              << "\n";
    co_return 0;
  });
}

int run_logout(const bridge_config& config) {
  return run_to_end([&](net::any_io_executor ex) -> awaitable<int> {
    sign_in_kit kit(ex, config, [](const std::string&) {});
    // Under the store's lock: a bridge renewing at this moment must not store tokens again
    // after they are forgotten, nor redeem the refresh token this revokes.
    if (!kit.store.load_any(kit.flow.resource_key())) {
      std::cout << "Not signed in to " << config.server.display() << ".\n";
      co_return 0;
    }
    const auto held = co_await kit.store.lock(ex, kit.flow.resource_key(), std::chrono::steady_clock::now() + store_lock_wait);
    if (!held.lock && held.error.empty()) {
      std::cerr << "awork-mcp: another awork-mcp held the sign-in store for " << store_lock_wait.count()
                << " s; nothing was changed, run `awork-mcp logout` again\n";
      co_return 1;
    }
    if (!held.error.empty()) spdlog::warn("signing out without the sign-in store's lock ({})", held.error);
    auto record = kit.store.load_any(kit.flow.resource_key());  // whichever client signed in, read again under the lock
    if (!record) {
      std::cout << "Not signed in to " << config.server.display() << ".\n";
      co_return 0;
    }
    const auto revoked = co_await kit.flow.revoke(*record);
    kit.store.forget(kit.flow.resource_key());
    std::cout << "Signed out of " << config.server.display() << ": the stored tokens are deleted; " << revoked << ".\n";
    co_return 0;
  });
}

int run_status(const bridge_config& config) {
  token_store store(sign_in_store_dir());  // every record: status says whose it is
  const auto key = canonical_resource(config.server);
  auto record = store.load_any(key);
  if (!record) {
    std::cout << "Not signed in to " << config.server.display() << " (run `awork-mcp login`).\n";
    return 1;
  }
  if (!sign_in_serves_client(*record, config.sign_in.client_id)) {
    std::cout << "Not signed in to " << config.server.display() << " with client " << config.sign_in.client_id
              << ": the stored sign-in was made by client " << record->client.client_id
              << " (run `awork-mcp login` to sign in with the configured one).\n";
    return 1;
  }
  const auto& t = record->tokens;
  const bool expired = t.expires_at && *t.expires_at <= std::chrono::system_clock::now();
  std::cout << "Signed in to " << config.server.display() << "\n"
            << "  authorization server: " << record->issuer << "\n"
            << "  client: " << record->client.client_id << " (" << client_auth_name(record->client.auth) << ")\n"
            << "  scopes: " << (t.scope.empty() ? "(none named)" : t.scope) << "\n"
            << "  access token: " << (expired ? "expired" : expiry_text(t)) << "\n"
            << "  refresh token: " << (t.refresh_token.empty() ? "none" : "stored (renews the access token)") << "\n"
            << "  stored in: " << store.record_path(key).string() << "\n";
  return 0;
}

}  // namespace awork_mcp
