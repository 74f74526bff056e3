// Signing in with OAuth against a loopback stand-in for awork: one origin that is both the MCP
// server and the authorization server, shaped like awork's (OpenID configuration only, its
// endpoint paths, public clients by dynamic registration, full_access + offline_access, refresh
// tokens that rotate on every use and lock out a second use of an old one). The "browser" is the
// test: it reads the sign-in URL the bridge prints, and calls the loopback redirect itself.

#include "awork_mcp/auth/token_store.hpp"
#include "awork_mcp/core/endpoint.hpp"
#include "awork_mcp/oauth/discovery.hpp"
#include "awork_mcp/oauth/pkce.hpp"
#include "mcp_fixture.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url.hpp>

#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

using namespace std::chrono_literals;

namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;

/// The authorization side of the stand-in, behind the fake MCP server.
class awork_stand_in {
 private:
  template <class F>
  auto locked(F f) const -> decltype(f()) {
    std::lock_guard lock(mutex_);
    return f();
  }

 public:
  explicit awork_stand_in(fake_mcp& mcp) {
    mcp.on_request = [this](const test_support::request& req, server_reply& reply) { return handle(req, reply); };
  }
  void bind(const test_server& server) { base_ = server.url(""); }

  // What happened, for the assertions.
  int authorizations() const { return locked([&] { return authorizations_; }); }
  int code_grants() const { return locked([&] { return code_grants_; }); }
  int refresh_grants() const { return locked([&] { return refresh_grants_; }); }
  int lockouts() const { return locked([&] { return lockouts_; }); }
  int revocations() const { return locked([&] { return revocations_; }); }
  int client_revocations() const { return locked([&] { return client_revocations_; }); }
  std::vector<std::string> registered_redirects() const { return locked([&] { return redirects_; }); }
  int registrations() const { return locked([&] { return registrations_; }); }
  int rejected_calls() const { return locked([&] { return rejected_calls_; }); }
  std::set<std::string> issued_secrets() const { return locked([&] { return secrets_; }); }
  std::string last_access_token() const { return locked([&] { return last_access_; }); }

  /// Access tokens issued from now on say they live this long.
  void set_access_lifetime(int seconds) { locked([&] { access_lifetime_ = seconds; return 0; }); }
  /// Every access token issued so far stops working (as if a day had passed).
  void expire_access_tokens() { locked([&] { valid_access_.clear(); return 0; }); }
  /// Whether the metadata names an RFC 7009 revocation endpoint; without one, sign-out goes
  /// through awork's client revocation (DELETE .../authorizedclients/{clientId}).
  void advertise_revocation_endpoint(bool on) { locked([&] { rfc7009_ = on; return 0; }); }
  /// The metadata as awork's developer documentation describes it: the protected-resource
  /// metadata names no scope, and offline_access is the only scope the authorization server lists.
  void advertise_documented_scopes() { locked([&] { documented_scopes_ = true; return 0; }); }
  /// Refresh grants are carried out (the refresh token rotated) and then held until `release`
  /// opens: the moment when a bridge that gives up on the exchange loses the new pair.
  void hold_refreshes(gate* release) { locked([&] { hold_refreshes_ = release; return 0; }); }
  int refreshes_held() const { return locked([&] { return refreshes_held_; }); }

  /// Plays the browser: takes the authorization URL, checks it as awork would, and returns the
  /// redirect target (the loopback callback with code and state).
  std::string authorize(const std::string& url) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed) return {};
    std::map<std::string, std::string> q;
    for (auto p : parsed->params()) q[p.key] = p.value;
    std::lock_guard lock(mutex_);
    ++authorizations_;
    if (q["response_type"] != "code" || q["code_challenge_method"] != "S256" || q["state"].empty() ||
        !clients_.count(q["client_id"]))
      return {};
    const std::string code = "code-" + std::to_string(++serial_);
    codes_[code] = {q["code_challenge"], q["client_id"], q["redirect_uri"], q["scope"]};
    secrets_.insert(code);
    boost::urls::url back(q["redirect_uri"]);
    back.params().append({"code", code});
    back.params().append({"state", q["state"]});
    return std::string(back.buffer());
  }

 private:
  struct pending_code {
    std::string challenge, client_id, redirect_uri, scope;
  };

  static std::map<std::string, std::string> form(const std::string& body) {
    std::map<std::string, std::string> fields;
    auto params = boost::urls::parse_query(body);  // a std::string: see judge_callback on 1.81's parse_query
    boost::urls::encoding_opts form_decoding;
    form_decoding.space_as_plus = true;
    if (params)
      for (auto p : *params) fields[p.key.decode(form_decoding)] = p.value.decode(form_decoding);
    return fields;
  }

  std::string issue_tokens(const std::string& scope) {
    const std::string access = "at-" + std::to_string(++serial_);
    const std::string refresh = "rt-" + std::to_string(++serial_);
    valid_access_.insert(access);
    valid_refresh_.insert(refresh);
    secrets_.insert(access);
    secrets_.insert(refresh);
    last_access_ = access;
    json::object tokens{{"access_token", access}, {"token_type", "Bearer"}, {"expires_in", access_lifetime_},
                        {"scope", scope}};
    // As OpenID providers do: a refresh token only for a grant that asked for offline_access.
    if (scope.find("offline_access") != std::string::npos) tokens["refresh_token"] = refresh;
    return json::serialize(tokens);
  }

  bool handle(const test_support::request& req, server_reply& reply) {
    const std::string target(req.target());
    const auto oauth_error = [&](unsigned status, const char* error) {
      reply.json(status, std::string(R"({"error":")") + error + "\"}");
      return true;
    };
    const bool documented = locked([&] { return documented_scopes_; });
    if (target == "/.well-known/oauth-protected-resource/mcp") {
      json::object resource{{"resource", base_ + "/mcp"}, {"authorization_servers", json::array{base_}}};
      if (!documented) resource["scopes_supported"] = json::array{"full_access"};
      reply.json(200, json::serialize(resource));
      return true;
    }
    if (target == "/.well-known/openid-configuration") {
      json::object metadata{{"issuer", base_},
                            {"authorization_endpoint", base_ + "/api/v1/accounts/authorize"},
                            {"token_endpoint", base_ + "/api/v1/accounts/token"},
                            {"registration_endpoint", base_ + "/api/v1/clientapplications/register"},
                            {"scopes_supported", documented ? json::array{"offline_access"}
                                                            : json::array{"full_access", "offline_access"}},
                            {"code_challenge_methods_supported", json::array{"S256"}},
                            {"token_endpoint_auth_methods_supported", json::array{"none"}}};
      if (locked([&] { return rfc7009_; })) metadata["revocation_endpoint"] = base_ + "/api/v1/accounts/revoke";
      reply.json(200, json::serialize(metadata));
      return true;
    }
    if (target.starts_with("/.well-known/")) {
      reply.empty(404);
      return true;
    }
    std::unique_lock lock(mutex_);
    if (target == "/api/v1/clientapplications/register") {
      auto registration = json::parse(req.body()).as_object();
      if (registration["application_type"] != "native" || registration["token_endpoint_auth_method"] != "none")
        return oauth_error(400, "invalid_client_metadata");
      const std::string id = "client-" + std::to_string(++serial_);
      clients_.insert(id);
      ++registrations_;
      for (const auto& uri : registration["redirect_uris"].as_array()) redirects_.emplace_back(uri.as_string());
      reply.json(201, json::serialize(json::object{{"client_id", id},
                                                   {"redirect_uris", registration["redirect_uris"]},
                                                   {"token_endpoint_auth_method", "none"}}));
      return true;
    }
    if (target == "/api/v1/accounts/token") {
      auto fields = form(req.body());
      if (!clients_.count(fields["client_id"])) return oauth_error(401, "invalid_client");
      if (fields["grant_type"] == "authorization_code") {
        auto it = codes_.find(fields["code"]);
        if (it == codes_.end() || it->second.client_id != fields["client_id"] ||
            it->second.redirect_uri != fields["redirect_uri"] ||
            awork_mcp::s256_challenge(fields["code_verifier"]) != it->second.challenge || fields["resource"] != base_ + "/mcp")
          return oauth_error(400, "invalid_grant");
        const auto scope = it->second.scope;
        codes_.erase(it);  // a code works once
        ++code_grants_;
        reply.json(200, issue_tokens(scope));
        return true;
      }
      if (fields["grant_type"] == "refresh_token") {
        if (!valid_refresh_.erase(fields["refresh_token"])) {
          // awork's rotation: an old refresh token used again locks that grant out.
          if (secrets_.count(fields["refresh_token"])) ++lockouts_;
          return oauth_error(400, "invalid_grant");
        }
        ++refresh_grants_;
        const auto tokens = issue_tokens(documented_scopes_ ? "offline_access" : "full_access offline_access");
        if (auto* release = hold_refreshes_) {
          ++refreshes_held_;
          lock.unlock();
          release->wait_for(20s);
        }
        reply.json(200, tokens);
        return true;
      }
      return oauth_error(400, "unsupported_grant_type");
    }
    if (target.starts_with("/api/v1/accounts/me/authorizedclients/") && req.method() == http::verb::delete_) {
      // awork's client revocation: for the signed-in user (a live access token), every grant of
      // that client ends.
      const std::string authorization(req[http::field::authorization]);
      if (!authorization.starts_with("Bearer ") || !valid_access_.count(authorization.substr(7))) {
        reply.json(401, R"({"code":"unauthorized"})");
        return true;
      }
      if (!clients_.count(target.substr(target.rfind('/') + 1))) {
        reply.json(404, R"({"code":"not-found"})");
        return true;
      }
      valid_refresh_.clear();
      valid_access_.clear();
      ++client_revocations_;
      reply.empty(204);
      return true;
    }
    if (target == "/api/v1/accounts/revoke") {
      auto fields = form(req.body());
      if (valid_refresh_.erase(fields["token"])) ++revocations_;
      reply.empty(200);
      return true;
    }
    if (target == "/mcp" && req.method() == http::verb::post) {
      const std::string authorization(req[http::field::authorization]);
      if (!authorization.starts_with("Bearer ") || !valid_access_.count(authorization.substr(7))) {
        ++rejected_calls_;
        reply.json(401, R"({"code":"unauthorized"})",
                   {{"WWW-Authenticate", "Bearer resource_metadata=\"" + base_ +
                                             "/.well-known/oauth-protected-resource/mcp\", error=\"invalid_token\""}});
        return true;
      }
    }
    return false;  // the MCP side answers
  }

  mutable std::mutex mutex_;
  std::string base_;
  int serial_ = 0, authorizations_ = 0, code_grants_ = 0, refresh_grants_ = 0, lockouts_ = 0, revocations_ = 0,
      client_revocations_ = 0, registrations_ = 0, rejected_calls_ = 0, access_lifetime_ = 3600;
  bool rfc7009_ = true, documented_scopes_ = false;
  gate* hold_refreshes_ = nullptr;
  int refreshes_held_ = 0;
  std::vector<std::string> redirects_;
  std::set<std::string> clients_, valid_access_, valid_refresh_, secrets_;
  std::map<std::string, pending_code> codes_;
  std::string last_access_;
};

/// A GET to the loopback listener, as the browser makes it; the status, or 0 if no connection.
unsigned browser_get(const std::string& url, const std::string& host_header = {}) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return 0;
  net::io_context io;
  net::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  const std::string host = parsed->host() == "localhost" ? "127.0.0.1" : std::string(parsed->host());
  const auto address = net::ip::make_address(host, ec);
  if (ec) return 0;
  socket.connect({address, parsed->port_number()}, ec);
  if (ec) return 0;
  http::request<http::empty_body> request{http::verb::get, parsed->encoded_target(), 11};
  request.set(http::field::host, host_header.empty() ? std::string(parsed->encoded_host_and_port()) : host_header);
  http::write(socket, request, ec);
  if (ec) return 0;
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response, ec);
  return ec ? 0 : response.result_int();
}

/// Polls `condition` until it holds or the timeout passes.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 10s) {
  for (const auto deadline = std::chrono::steady_clock::now() + timeout; !condition();) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

/// The sign-in URL a bridge printed on stderr ("... visit <url>" or an indented line).
std::optional<std::string> printed_url(const bridge_process& process, const std::string& base,
                                       std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const std::string prefix = base + "/api/v1/accounts/authorize?";
  while (std::chrono::steady_clock::now() < deadline) {
    const auto text = process.stderr_text();
    if (auto at = text.find(prefix); at != std::string::npos) {
      auto end = text.find_first_of(" \r\n", at);  // Windows ends lines with CR LF
      return text.substr(at, end == std::string::npos ? std::string::npos : end - at);
    }
    std::this_thread::sleep_for(20ms);
  }
  return std::nullopt;
}

}  // namespace

class oauth_test : public bridge_test {
 protected:
  void SetUp() override {
    bridge_test::SetUp();
    auth.bind(*server);
    env = {{"XDG_CONFIG_HOME", config_home.path()}, {"AWORK_MCP_CONFIG_DIR", config_home.path() + "/awork-mcp"}};
  }

  std::string base() const { return server->url(""); }
  std::string store_dir() const { return config_home.path() + "/awork-mcp/oauth"; }

  /// Runs a sign-in command (login, logout, status) to its end; its exit code and output.
  struct command_result {
    std::optional<int> exit_code;
    std::string out, err;
  };
  command_result command(const std::string& name, bool complete_browser = false, std::vector<std::string> extra = {}) {
    bridge_process::options opts;
    opts.args = {"--url", server->url(), "--no-browser", "--log-level", "trace", name};
    opts.args.insert(opts.args.end(), extra.begin(), extra.end());
    opts.env = env;
    bridge_process process(opts);
    process.expect_any_exit();  // returned in command_result: the caller asserts it
    if (complete_browser) {
      auto url = printed_url(process, base());
      EXPECT_TRUE(url) << "no sign-in URL printed; stderr:\n" << process.stderr_text();
      if (url) {
        EXPECT_EQ(browser_get(auth.authorize(*url)), 200u);
      }
    }
    command_result result;
    while (auto line = process.read_line(2s)) result.out += *line + "\n";
    result.exit_code = process.wait(10s);
    result.err = process.stderr_text();
    return result;
  }

  void sign_in() {
    auto login = command("login", true);
    ASSERT_EQ(login.exit_code, 0) << login.out << login.err;
  }

  void expect_no_secret_in(const std::string& text) {
    for (const auto& secret : auth.issued_secrets()) EXPECT_EQ(text.find(secret), std::string::npos) << "leaked " << secret;
  }

  test_support::temp_dir config_home;
  awork_stand_in auth{mcp};
  std::map<std::string, std::string> env;
};

TEST_F(oauth_test, login_stores_a_private_sign_in_that_the_bridge_then_uses) {
  auto login = command("login", true);
  ASSERT_EQ(login.exit_code, 0) << login.out << login.err;
  EXPECT_NE(login.out.find("Signed in to"), std::string::npos) << login.out;
  EXPECT_NE(login.out.find("renewed automatically"), std::string::npos) << login.out;
  EXPECT_EQ(auth.registrations(), 1);
  EXPECT_EQ(auth.code_grants(), 1);
  expect_no_secret_in(login.out + login.err);

  auto status = command("status");
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find(base()), std::string::npos) << status.out;      // the issuer
  EXPECT_NE(status.out.find("client-"), std::string::npos) << status.out;   // the client
  EXPECT_NE(status.out.find("offline_access"), std::string::npos) << status.out;
  expect_no_secret_in(status.out + status.err);

  start_bridge({"--log-level", "trace"}, env);
  auto init = handshake();
  ASSERT_TRUE(init.as_object().contains("result")) << init << bridge->stderr_text();
  bridge->send(request_line(2, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "as me"}}}}));
  EXPECT_EQ(read_response(2).at("result").at("content").at(0).at("text"), "as me");
  EXPECT_EQ(posts_with_method("tools/call").at(0).header("Authorization"), "Bearer " + auth.last_access_token());
  EXPECT_EQ(auth.authorizations(), 1) << "the stored sign-in was not used";
  EXPECT_EQ(auth.rejected_calls(), 1) << "only login's probe goes without a token";
  expect_no_secret_in(bridge->stderr_text());
}

// POSIX modes (the Windows program relies on the ACLs of the user's profile instead).
TEST_F(oauth_test, the_store_is_private_to_the_user) {
  sign_in();
  struct stat dir {};
  ASSERT_EQ(::stat(store_dir().c_str(), &dir), 0);
  EXPECT_EQ(dir.st_mode & 0777, 0700u);
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(store_dir())) {
    if (!entry.is_regular_file()) continue;
    struct stat file {};
    ASSERT_EQ(::stat(entry.path().c_str(), &file), 0);
    EXPECT_EQ(file.st_mode & 0777, 0600u) << entry.path();
    ++files;
  }
  EXPECT_GE(files, 2u) << "the sign-in and the registered client";
}

TEST_F(oauth_test, an_expired_token_is_renewed_after_a_401_and_before_it_expires) {
  sign_in();
  start_bridge({}, env);
  ASSERT_TRUE(handshake().as_object().contains("result"));
  auth.expire_access_tokens();
  auth.set_access_lifetime(4);  // short-lived tokens: renewed in the second half of their life
  bridge->send(request_line(2, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "after expiry"}}}}));
  EXPECT_EQ(read_response(2).at("result").at("content").at(0).at("text"), "after expiry") << bridge->stderr_text();
  EXPECT_EQ(auth.refresh_grants(), 1);
  bridge->send(request_line(3, "ping"));
  read_response(3);
  EXPECT_EQ(auth.refresh_grants(), 1) << "a token in the first half of its life was renewed";
  const int rejected = auth.rejected_calls();
  std::this_thread::sleep_for(2500ms);  // 1.5 s of 4 left
  bridge->send(request_line(4, "ping"));
  read_response(4);
  EXPECT_EQ(auth.refresh_grants(), 2) << "a token about to expire was not renewed before use";
  EXPECT_EQ(auth.rejected_calls(), rejected) << "the early renewal still met a 401";
  EXPECT_EQ(auth.authorizations(), 1) << "a browser sign-in happened where a refresh was enough";
  EXPECT_EQ(auth.lockouts(), 0);
}

// awork's metadata as its developer documentation describes it: without asking for offline_access
// the sign-in gets no refresh token, and the user is sent to the browser again every day.
TEST_F(oauth_test, with_awork_documented_metadata_the_sign_in_asks_for_offline_access_and_renews_without_the_browser) {
  auth.advertise_documented_scopes();
  sign_in();
  auto status = command("status");
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("offline_access"), std::string::npos) << status.out;
  start_bridge({}, env);
  ASSERT_TRUE(handshake().as_object().contains("result")) << bridge->stderr_text();
  auth.expire_access_tokens();  // the next day
  bridge->send(request_line(2, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "next day"}}}}));
  EXPECT_EQ(read_response(2).at("result").at("content").at(0).at("text"), "next day") << bridge->stderr_text();
  EXPECT_EQ(auth.refresh_grants(), 1);
  EXPECT_EQ(auth.authorizations(), 1) << "the user was sent to the browser again";
}

// The race is forced: the first bridge's refresh is held at the stand-in (the refresh token
// already rotated) until the second bridge is seen waiting for the store's lock.
TEST_F(oauth_test, two_bridges_renewing_at_once_share_one_refresh_and_neither_is_locked_out) {
  sign_in();
  start_bridge({"--log-level", "debug"}, env);
  auto first = std::move(bridge);
  start_bridge({"--log-level", "debug"}, env);
  auto second = std::move(bridge);
  for (auto* b : {first.get(), second.get()}) {
    b->send(initialize_line(1));
    ASSERT_TRUE(b->read_line(10s)) << b->stderr_text();
    b->send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
    // Its answer comes after `initialized` was answered: nothing of the handshake is in flight.
    b->send(request_line(9, "ping"));
    ASSERT_TRUE(b->read_until([](const std::string& l) { return l.find("\"id\":9") != std::string::npos; })) << b->stderr_text();
  }
  gate release;
  auth.hold_refreshes(&release);
  auth.expire_access_tokens();
  const auto call = request_line(2, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "both"}}}});
  first->send(call);
  ASSERT_TRUE(eventually([&] { return auth.refreshes_held() == 1; })) << first->stderr_text();
  second->send(call);
  ASSERT_TRUE(eventually([&] { return second->stderr_text().find("holds the sign-in store's lock; waiting") != std::string::npos; }))
      << "the second bridge never waited for the lock:\n" << second->stderr_text();
  release.open();
  for (auto* b : {first.get(), second.get()}) {
    auto line = b->read_until([](const std::string& l) { return l.find("\"id\":2") != std::string::npos; }, 15s);
    ASSERT_TRUE(line) << b->stderr_text();
    EXPECT_NE(line->find("both"), std::string::npos) << *line << "\n" << b->stderr_text();
  }
  EXPECT_EQ(auth.lockouts(), 0) << "a rotated refresh token was used twice";
  EXPECT_EQ(auth.refresh_grants(), 1) << "the second bridge should take over the first one's new tokens";
  EXPECT_EQ(auth.authorizations(), 1);
}

// A refresh belongs to the credential, not to the request that needed it: the editor cancels that
// request while the exchange is in flight (the server has already rotated the refresh token),
// and the new pair is still stored and used. Otherwise the next refresh presents the spent token,
// awork revokes the whole grant and the user is sent to the browser.
TEST_F(oauth_test, a_refresh_outlives_the_request_the_editor_cancelled_and_its_rotated_token_is_kept) {
  sign_in();
  start_bridge({"--no-auto-login", "--log-level", "info"}, env);
  ASSERT_TRUE(handshake().as_object().contains("result")) << bridge->stderr_text();
  bridge->send(request_line(9, "ping"));  // answered after `initialized` was: nothing else in flight
  ASSERT_TRUE(read_response(9).as_object().contains("result"));
  gate release;
  auth.hold_refreshes(&release);
  auth.expire_access_tokens();
  bridge->send(request_line(2, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "cancelled"}}}}));
  ASSERT_TRUE(eventually([&] { return auth.refreshes_held() == 1; })) << bridge->stderr_text();
  bridge->send(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":2,"reason":"timeout"}})");
  ASSERT_TRUE(eventually([&] { return bridge->stderr_text().find("the editor cancelled request 2") != std::string::npos; }))
      << bridge->stderr_text();
  release.open();
  auth.hold_refreshes(nullptr);
  bridge->send(request_line(3, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "after"}}}}));
  const auto after = read_response(3);
  EXPECT_TRUE(after.as_object().contains("result")) << after << "\n" << bridge->stderr_text();
  EXPECT_EQ(auth.lockouts(), 0) << "the rotated refresh token was lost and the spent one presented";
  EXPECT_EQ(auth.refresh_grants(), 1);
  EXPECT_EQ(auth.authorizations(), 1);
  // What is stored is the new pair: another bridge uses it without a refresh of its own.
  bridge_process::options opts;
  opts.args = {"--url", server->url(), "status"};
  opts.env = env;
  bridge_process status(opts);
  EXPECT_EQ(status.wait(10s), 0) << status.stderr_text();
}

// An early renewal (the token still works for a while) does not wait behind another process that
// holds the store's lock (a browser sign-in can hold it for minutes): it keeps the valid token.
TEST_F(oauth_test, an_early_renewal_keeps_the_valid_token_while_another_process_holds_the_lock) {
  auth.set_access_lifetime(4);
  sign_in();
  start_bridge({"--sign-in-timeout", "20"}, env);  // a wait for the lock would last up to 50 s
  ASSERT_TRUE(handshake().as_object().contains("result")) << bridge->stderr_text();
  std::this_thread::sleep_for(2500ms);  // past the first half of the token's life: due for renewal
  const awork_mcp::token_store store(store_dir());
  auto held = store.try_lock(awork_mcp::canonical_resource(awork_mcp::parse_endpoint(server->url())));
  ASSERT_TRUE(held.lock) << held.error;
  const auto sent = std::chrono::steady_clock::now();
  bridge->send(request_line(2, "ping"));
  EXPECT_TRUE(read_response(2, 5s).as_object().contains("result"));
  EXPECT_LT(std::chrono::steady_clock::now() - sent, 1s) << "the request waited for another process's lock";
  EXPECT_EQ(auth.refresh_grants(), 0);
  held.lock.reset();
}

TEST_F(oauth_test, logout_revokes_the_grant_and_forgets_the_tokens) {
  sign_in();
  auto logout = command("logout");
  ASSERT_EQ(logout.exit_code, 0) << logout.err;
  EXPECT_NE(logout.out.find("revoked"), std::string::npos) << logout.out;
  EXPECT_EQ(auth.revocations(), 1);
  auto status = command("status");
  EXPECT_EQ(status.exit_code, 1) << status.out;
  EXPECT_NE(status.out.find("Not signed in"), std::string::npos) << status.out;
}

// awork offers no RFC 7009 endpoint: its client revocation takes a live access token, and the
// stored one is a day old by the time most people sign out.
TEST_F(oauth_test, logout_at_awork_renews_a_stale_token_then_revokes_the_client) {
  auth.advertise_revocation_endpoint(false);
  auth.set_access_lifetime(30);  // under a minute left: treated as due for renewal
  sign_in();
  auth.expire_access_tokens();
  auto logout = command("logout");
  ASSERT_EQ(logout.exit_code, 0) << logout.err;
  EXPECT_NE(logout.out.find("awork revoked this client's access"), std::string::npos) << logout.out << logout.err;
  EXPECT_EQ(auth.client_revocations(), 1);
  EXPECT_EQ(auth.refresh_grants(), 1) << "the stale access token was not renewed first";
  EXPECT_EQ(auth.lockouts(), 0);
  EXPECT_EQ(auth.revocations(), 0) << "an RFC 7009 request went to an endpoint nobody advertised";
  expect_no_secret_in(logout.out + logout.err);
  EXPECT_EQ(command("status").exit_code, 1);
}

// A client registered with a fixed redirect URI, as awork's own CLI registers
// http://localhost:8400/oauth/callback: the sign-in listens on that port and path.
TEST_F(oauth_test, login_with_a_registered_redirect_uri_listens_where_it_names) {
  unsigned short port = 0;
  {
    net::io_context io;
    net::ip::tcp::acceptor probe(io, {net::ip::make_address("127.0.0.1"), 0});
    port = probe.local_endpoint().port();
  }
  const std::string redirect = "http://localhost:" + std::to_string(port) + "/oauth/callback";
  bridge_process::options opts;
  opts.args = {"--url", server->url(), "--no-browser", "--redirect-uri", redirect, "login"};
  opts.env = env;
  bridge_process process(opts);
  auto url = printed_url(process, base());
  ASSERT_TRUE(url) << process.stderr_text();
  boost::urls::url_view parsed(*url);
  auto sent = parsed.params().find("redirect_uri");
  ASSERT_NE(sent, parsed.params().end());
  EXPECT_EQ((*sent).value, redirect);
  const auto callback = auth.authorize(*url);
  ASSERT_EQ(callback.rfind(redirect + "?", 0), 0u) << callback;
  // The same query on another path is not the callback.
  EXPECT_EQ(browser_get("http://127.0.0.1:" + std::to_string(port) + "/callback?" + callback.substr(redirect.size() + 1)), 404u);
  EXPECT_EQ(browser_get(callback), 200u);
  EXPECT_EQ(process.wait(10s), 0) << process.stderr_text();
  EXPECT_EQ(auth.registered_redirects(), std::vector<std::string>{redirect});
  EXPECT_EQ(auth.code_grants(), 1);
}

// A sign-in belongs to the client that made it: after --client-id changes, it is not used.
TEST_F(oauth_test, a_sign_in_made_by_another_client_is_not_used) {
  sign_in();
  auto status = command("status", false, {"--client-id", "another-client"});
  EXPECT_EQ(status.exit_code, 1) << status.out;
  EXPECT_NE(status.out.find("made by client client-"), std::string::npos) << status.out;
  start_bridge({"--client-id", "another-client", "--no-auto-login"}, env);
  bridge->send(initialize_line(1));
  auto response = read_response(1, 5s);
  EXPECT_NE(message_of(response).find("awork-mcp login"), std::string::npos) << response;
  const auto initializes = posts_with_method("initialize");
  ASSERT_FALSE(initializes.empty());
  EXPECT_EQ(initializes.back().header("Authorization"), "") << "another client's token was sent";
  EXPECT_EQ(command("status").exit_code, 0) << "without --client-id the sign-in is still there";
}

// A bridge renewing at that moment holds the store's lock: logout waits for it, so that the
// renewed tokens cannot be stored again after they were deleted.
TEST_F(oauth_test, logout_waits_for_a_renewal_in_progress) {
  sign_in();
  const awork_mcp::token_store store(store_dir());
  const auto resource = awork_mcp::canonical_resource(awork_mcp::parse_endpoint(server->url()));
  auto renewing = store.try_lock(resource);
  ASSERT_TRUE(renewing.lock) << renewing.error;

  bridge_process::options opts;
  opts.args = {"--url", server->url(), "logout"};
  opts.env = env;
  bridge_process logout(opts);
  EXPECT_FALSE(logout.wait(1500ms)) << "logout did not wait for the lock";
  EXPECT_TRUE(store.load(resource)) << "the sign-in was deleted while another process held the lock";
  renewing.lock.reset();
  EXPECT_EQ(logout.wait(5s), 0) << logout.stderr_text();
  EXPECT_FALSE(store.load(resource));
  EXPECT_EQ(auth.revocations(), 1);
}

TEST_F(oauth_test, without_a_sign_in_and_auto_login_off_a_request_is_told_to_log_in) {
  start_bridge({"--no-auto-login"}, env);
  const auto started = std::chrono::steady_clock::now();
  bridge->send(initialize_line(1));
  auto response = read_response(1, 5s);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  EXPECT_NE(message_of(response).find("awork-mcp login"), std::string::npos) << response;
  EXPECT_EQ(auth.authorizations(), 0);
}

#ifdef __linux__
// The browser the bridge starts outlives it (a browser runs for hours). It must hold nothing of
// the bridge's: not the editor's pipes (the editor would see no end of stdout after the bridge
// exits, so a dead bridge looks alive), not a socket (the callback port would stay taken).
TEST_F(oauth_test, a_browser_that_lingers_inherits_no_descriptor_and_the_editor_sees_the_end) {
  test_support::temp_dir browser_dir;
  const auto dir = browser_dir.path();
  // Records its URL, its pid and what each of its descriptors is, then lingers as `sleep`.
  const auto script = browser_dir.file("browser.sh", "echo \"$1\" > " + dir + "/url.tmp; mv " + dir + "/url.tmp " + dir +
                                                         "/url\n"
                                                         "ls -l /proc/$$/fd > " + dir + "/fds\necho $$ > " + dir + "/pid\nexec sleep 60\n");
  auto browser_env = env;
  browser_env["BROWSER"] = "/bin/sh " + script;
  start_bridge({"--log-level", "debug"}, browser_env);
  bridge->send(initialize_line(1));
  std::optional<std::string> url;
  for (auto deadline = std::chrono::steady_clock::now() + 10s; !url && std::chrono::steady_clock::now() < deadline;) {
    if (auto text = test_support::read_text_file(dir + "/url")) url = text->substr(0, text->find('\n'));
    else std::this_thread::sleep_for(20ms);
  }
  ASSERT_TRUE(url) << "the browser stand-in never ran; stderr:\n" << bridge->stderr_text();
  const auto callback = auth.authorize(*url);
  ASSERT_EQ(browser_get(callback), 200u);
  ASSERT_TRUE(read_response(1, 10s).as_object().contains("result")) << bridge->stderr_text();
  std::optional<std::string> pid;
  for (int i = 0; i < 100 && !pid; ++i) {
    pid = test_support::read_text_file(dir + "/pid");
    if (!pid) std::this_thread::sleep_for(20ms);
  }
  ASSERT_TRUE(pid);
  struct kill_at_end {
    int pid;
    ~kill_at_end() { ::kill(pid, SIGKILL); }
  } lingering{std::stoi(*pid)};

  const auto fds = test_support::read_text_file(dir + "/fds").value_or("");
  EXPECT_EQ(fds.find("pipe:"), std::string::npos) << "the browser holds the editor's pipes:\n" << fds;
  EXPECT_EQ(fds.find("socket:"), std::string::npos) << "the browser holds the bridge's sockets:\n" << fds;

  bridge->close_stdin();
  const auto closed = std::chrono::steady_clock::now();
  EXPECT_FALSE(bridge->read_line(5s)) << "a line after the end";
  EXPECT_LT(std::chrono::steady_clock::now() - closed, 3s) << "the editor saw no end of stdout while the browser ran";
  EXPECT_EQ(bridge->wait(5s), 0);
  EXPECT_EQ(::kill(lingering.pid, 0), 0) << "premise: the browser still runs";
}
#endif

TEST_F(oauth_test, the_first_401_starts_a_sign_in_and_the_request_then_succeeds) {
  start_bridge({"--no-browser", "--log-level", "trace"}, env);
  bridge->send(initialize_line(1));
  auto url = printed_url(*bridge, base());
  ASSERT_TRUE(url) << bridge->stderr_text();
  const auto callback = auth.authorize(*url);
  ASSERT_FALSE(callback.empty());

  // Someone else's answer (another state) is refused, and the sign-in keeps waiting for ours.
  boost::urls::url forged(callback);
  forged.params().set("state", "not-the-state");
  EXPECT_EQ(browser_get(std::string(forged.buffer())), 400u);
  // A page elsewhere that makes the browser call the listener names another Host.
  EXPECT_EQ(browser_get(callback, "evil.example:80"), 421u);
#ifdef __linux__
  // Bound to 127.0.0.1 alone: another address of this machine finds nobody (Linux routes all of
  // 127/8 to loopback, so a listener on every address would answer here).
  boost::urls::url other_address(callback);
  other_address.set_host_address("127.0.0.2");
  EXPECT_EQ(browser_get(std::string(other_address.buffer())), 0u);
#endif
  EXPECT_EQ(browser_get(callback), 200u);
  auto init = read_response(1, 10s);
  EXPECT_TRUE(init.as_object().contains("result")) << init << bridge->stderr_text();
  // The listener is gone once the answer is in: a second callback finds nobody.
  EXPECT_EQ(browser_get(callback), 0u);
  expect_no_secret_in(bridge->stderr_text());
  EXPECT_EQ(auth.code_grants(), 1);
}

TEST_F(oauth_test, requests_waiting_on_a_sign_in_that_times_out_all_get_the_error_and_one_browser_window) {
  start_bridge({"--no-browser", "--sign-in-timeout", "1"}, env);
  bridge->send(initialize_line(1));
  ASSERT_TRUE(printed_url(*bridge, base())) << bridge->stderr_text();
  const auto started = std::chrono::steady_clock::now();
  bridge->send(request_line(2, "tools/list"));
  bridge->send(request_line(3, "tools/list"));
  for (int id : {1, 2, 3}) {
    auto response = read_response(id, 5s);
    EXPECT_NE(message_of(response).find("no answer from the browser within 1 s"), std::string::npos) << response;
  }
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_GT(waited, 500ms) << "answered before the sign-in could time out";
  EXPECT_LT(waited, 2500ms) << "the waiting requests started sign-ins of their own";
  std::size_t windows = 0;
  const auto text = bridge->stderr_text();
  for (auto at = text.find("sign-in needed"); at != std::string::npos; at = text.find("sign-in needed", at + 1)) ++windows;
  EXPECT_EQ(windows, 1u) << text;
}

TEST_F(oauth_test, check_uses_the_stored_sign_in_and_renews_a_revoked_token) {
  sign_in();
  auto check = command("check");
  ASSERT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("signed in at " + base() + ", access token valid until"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("HTTP 200 OK to initialize with the stored sign-in ("), std::string::npos) << check.out;
  expect_no_secret_in(check.out + check.err);

  // A token the server no longer takes: renewed with the refresh token, as the bridge would.
  auth.expire_access_tokens();
  check = command("check");
  ASSERT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("with the stored sign-in (renewed after a first 401)"), std::string::npos) << check.out;
  EXPECT_EQ(auth.refresh_grants(), 1);
  EXPECT_EQ(auth.authorizations(), 1) << "a check never opens a browser";
  expect_no_secret_in(check.out + check.err);
}
