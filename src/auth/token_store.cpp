#include "awork_mcp/auth/token_store.hpp"

#include <spdlog/spdlog.h>

namespace awork_mcp {

namespace {

constexpr auto lock_poll = std::chrono::milliseconds(100);

}  // namespace

token_store::token_store(std::filesystem::path dir, std::string client_id)
    : dir_(std::move(dir)), client_id_(std::move(client_id)) {}

std::filesystem::path token_store::record_path(std::string_view resource) const {
  return dir_ / (store_file_name(resource) + ".json");
}

std::filesystem::path token_store::client_path(std::string_view issuer) const {
  return dir_ / "clients" / (store_file_name(issuer) + ".json");
}

std::optional<sign_in_record> token_store::load(std::string_view resource) const {
  auto record = load_any(resource);
  if (record && !sign_in_serves_client(*record, client_id_)) return std::nullopt;
  return record;
}

std::optional<sign_in_record> token_store::load_any(std::string_view resource) const {
  if (dir_.empty()) return std::nullopt;
  auto text = platform::read_file(record_path(resource));
  if (!text) return std::nullopt;
  auto record = sign_in_record_from_json(*text);
  // Two servers can never share a file name by accident, but a hand-copied file could lie.
  if (!record || record->resource != resource) return std::nullopt;
  return record;
}

std::string token_store::save(const sign_in_record& record) const {
  if (dir_.empty()) return "no configuration directory (set HOME or XDG_CONFIG_HOME)";
  return platform::write_private_file(record_path(record.resource), to_json(record));
}

bool token_store::forget(std::string_view resource) const {
  if (dir_.empty()) return false;
  std::error_code ec;
  return std::filesystem::remove(record_path(resource), ec);
}

std::optional<registered_client> token_store::load_client(std::string_view issuer) const {
  if (dir_.empty()) return std::nullopt;
  auto text = platform::read_file(client_path(issuer));
  if (!text) return std::nullopt;
  auto client = registered_client_from_json(*text);
  if (!client || client->issuer != issuer) return std::nullopt;
  return client;
}

std::string token_store::save_client(const registered_client& client) const {
  if (dir_.empty()) return "no configuration directory (set HOME or XDG_CONFIG_HOME)";
  return platform::write_private_file(client_path(client.issuer), to_json(client));
}

bool token_store::forget_client(std::string_view issuer) const {
  if (dir_.empty()) return false;
  std::error_code ec;
  return std::filesystem::remove(client_path(issuer), ec);
}

platform::file_lock::attempt token_store::try_lock(std::string_view resource) const {
  if (dir_.empty()) return {nullptr, "no configuration directory (set HOME or XDG_CONFIG_HOME)"};
  return platform::file_lock::try_acquire(dir_ / (store_file_name(resource) + ".lock"));
}

awaitable<platform::file_lock::attempt> token_store::lock(net::any_io_executor ex, std::string_view resource,
                                                          std::chrono::steady_clock::time_point deadline) const {
  const std::string key(resource);  // the caller's view need not outlive a suspension
  net::steady_timer pause(ex);
  for (bool told = false;; told = true) {
    auto attempt = try_lock(key);
    if (attempt.lock || !attempt.error.empty()) co_return attempt;
    // Another process is renewing or signing in: its result lands in the store; wait for it.
    if (std::chrono::steady_clock::now() >= deadline) co_return attempt;
    if (!told) spdlog::debug("OAuth: another awork-mcp holds the sign-in store's lock; waiting for it");
    pause.expires_after(lock_poll);
    co_await pause.async_wait(net::as_tuple(net::use_awaitable));
  }
}

}  // namespace awork_mcp
