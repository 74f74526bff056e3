#pragma once
// The sign-in store on disk, shared by every bridge of this user: one record per MCP server
// (oauth/<hash>.json), the clients registered with each authorization server
// (oauth/clients/<hash>.json), and a lock file per server that serializes refreshes and sign-ins
// across processes. Directory 0700, files 0600, every write atomic.

#include "awork_mcp/net/net.hpp"
#include "awork_mcp/oauth/sign_in_record.hpp"
#include "awork_mcp/platform/files.hpp"

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace awork_mcp {

class token_store {
 public:
  /// `dir` is the store's own directory (config_dir()/"oauth"); empty: nothing is ever stored.
  /// `client_id`, the configured --client-id if any: a sign-in made by another client is not
  /// loaded (sign_in_serves_client).
  explicit token_store(std::filesystem::path dir, std::string client_id = {});

  /// The sign-in for this server that this run may use.
  std::optional<sign_in_record> load(std::string_view resource) const;
  /// Whatever sign-in is stored for this server, whichever client made it (for `status`).
  std::optional<sign_in_record> load_any(std::string_view resource) const;
  /// An error text, or empty on success.
  std::string save(const sign_in_record& record) const;
  /// Deletes the record; true if there was one.
  bool forget(std::string_view resource) const;

  std::optional<registered_client> load_client(std::string_view issuer) const;
  std::string save_client(const registered_client& client) const;
  bool forget_client(std::string_view issuer) const;

  /// The lock for refreshing or signing in to this server: taken, held by another process
  /// (neither field set), or impossible (an error: no store directory, or one we cannot write).
  platform::file_lock::attempt try_lock(std::string_view resource) const;
  /// The same, waited for while another process holds it, until the deadline. Polled: a file
  /// lock held by another process cannot be awaited.
  awaitable<platform::file_lock::attempt> lock(net::any_io_executor ex, std::string_view resource,
                                               std::chrono::steady_clock::time_point deadline) const;

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path record_path(std::string_view resource) const;

 private:
  std::filesystem::path client_path(std::string_view issuer) const;
  std::filesystem::path dir_;
  std::string client_id_;
};

}  // namespace awork_mcp
