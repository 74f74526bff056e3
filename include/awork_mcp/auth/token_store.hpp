#pragma once
// The sign-in store on disk, shared by every bridge of this user: one record per MCP server
// (oauth/<hash>.json), the clients registered with each authorization server
// (oauth/clients/<hash>.json), and a lock file per server that serializes refreshes and sign-ins
// across processes. Directory 0700, files 0600, every write atomic.

#include "awork_mcp/oauth/sign_in_record.hpp"
#include "awork_mcp/platform/files.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace awork_mcp {

class token_store {
 public:
  /// `dir` is the store's own directory (config_dir()/"oauth"); empty: nothing is ever stored.
  explicit token_store(std::filesystem::path dir);

  std::optional<sign_in_record> load(std::string_view resource) const;
  /// An error text, or empty on success.
  std::string save(const sign_in_record& record) const;
  /// Deletes the record; true if there was one.
  bool forget(std::string_view resource) const;

  std::optional<registered_client> load_client(std::string_view issuer) const;
  std::string save_client(const registered_client& client) const;
  bool forget_client(std::string_view issuer) const;

  /// The lock for refreshing or signing in to this server, if no other process holds it.
  std::unique_ptr<platform::file_lock> try_lock(std::string_view resource) const;

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path record_path(std::string_view resource) const;

 private:
  std::filesystem::path client_path(std::string_view issuer) const;
  std::filesystem::path dir_;
};

}  // namespace awork_mcp
