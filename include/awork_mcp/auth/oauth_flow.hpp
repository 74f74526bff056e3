#pragma once
// The OAuth 2.1 steps an MCP client takes, as I/O around the pure rules of oauth/: discovery,
// client registration, the browser sign-in with PKCE, refresh, and sign-out.

#include "awork_mcp/auth/oauth_http.hpp"
#include "awork_mcp/auth/token_store.hpp"
#include "awork_mcp/core/endpoint.hpp"
#include "awork_mcp/core/outcome.hpp"
#include "awork_mcp/oauth/discovery.hpp"
#include "awork_mcp/oauth/sign_in_record.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace awork_mcp {

struct oauth_settings {
  std::string client_id;           ///< a client registered by hand (--client-id); empty: register
  std::string client_secret;       ///< its secret, if confidential; never logged
  std::string scope;               ///< --scope: overrides the scope selection
  std::string client_metadata_url; ///< --client-metadata-url: a Client ID Metadata Document
  unsigned short redirect_port = 0;  ///< 0: the registered client's port, else any free one
  std::string redirect_uri;        ///< --redirect-uri: exactly as registered (loopback http only)
  bool open_browser = true;        ///< false: only print the URL (--no-browser)
  std::chrono::milliseconds sign_in_timeout{std::chrono::minutes(3)};
};

/// Where a server's sign-in happens, as discovered.
struct oauth_servers {
  authorization_server_metadata server;
  std::string resource;  ///< the `resource` parameter (RFC 8707): the metadata's resource, verbatim
  std::vector<std::string> resource_scopes;
};

class oauth_flow {
 public:
  /// `show_url` tells the user where to sign in (stderr in the bridge, the terminal for login).
  oauth_flow(oauth_http& http, const token_store& store, endpoint server, oauth_settings settings,
             std::function<void(const std::string&)> show_url);

  /// Discovery, starting from the WWW-Authenticate of a 401 (may be empty).
  awaitable<outcome<oauth_servers>> discover(std::string_view www_authenticate);

  /// A whole browser sign-in. `www_authenticate` is the challenge that asked for it (its scope
  /// is requested); `granted_scope` the scope of the previous sign-in, for a step-up.
  awaitable<outcome<sign_in_record>> sign_in(std::string_view www_authenticate, std::string_view granted_scope);

  /// The refresh-token grant for a record; failure_kind::sign_in when the grant is refused
  /// (the refresh token expired or was revoked: only a new sign-in helps).
  awaitable<outcome<token_set>> refresh(const sign_in_record& record);

  /// Revokes the grant where the server offers a way; a sentence on what happened.
  awaitable<std::string> revoke(const sign_in_record& record);

  /// The store key of this server (its canonical URI).
  const std::string& resource_key() const { return resource_key_; }
  const endpoint& server() const { return server_; }
  std::chrono::milliseconds sign_in_timeout() const { return settings_.sign_in_timeout; }
  /// The longest another process may hold the store's lock: a browser sign-in, then its save.
  std::chrono::milliseconds longest_lock_hold() const { return sign_in_timeout() + std::chrono::seconds(30); }

 private:
  awaitable<outcome<client_identity>> register_client(const oauth_servers& servers, const std::string& redirect_uri,
                                                      const std::optional<std::string>& scope);
  awaitable<outcome<oauth_reply>> post_token(const std::string& endpoint_url, const token_request& request);

  oauth_http& http_;
  const token_store& store_;
  endpoint server_;
  oauth_settings settings_;
  std::function<void(const std::string&)> show_url_;
  std::string resource_key_;
};

}  // namespace awork_mcp
