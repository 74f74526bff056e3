#include "awork_mcp/auth/oauth_flow.hpp"

#include "awork_mcp/auth/callback_listener.hpp"
#include "awork_mcp/oauth/authorization_request.hpp"
#include "awork_mcp/oauth/pkce.hpp"
#include "awork_mcp/oauth/revocation.hpp"
#include "awork_mcp/oauth/scopes.hpp"
#include "awork_mcp/oauth/token_exchange.hpp"
#include "awork_mcp/oauth/www_authenticate.hpp"
#include "awork_mcp/platform/files.hpp"

#include <spdlog/spdlog.h>

namespace awork_mcp {

namespace {

upstream_failure sign_in_failure(std::string detail) { return upstream_failure{failure_kind::sign_in, std::move(detail)}; }

bool is_ok(unsigned status) { return status >= 200 && status < 300; }

std::string default_redirect_uri(unsigned short port) { return "http://127.0.0.1:" + std::to_string(port) + "/callback"; }

}  // namespace

oauth_flow::oauth_flow(oauth_http& http, const token_store& store, endpoint server, oauth_settings settings,
                       std::function<void(const std::string&)> show_url)
    : http_(http), store_(store), server_(std::move(server)), settings_(std::move(settings)),
      show_url_(std::move(show_url)), resource_key_(canonical_resource(server_)) {}

awaitable<outcome<oauth_servers>> oauth_flow::discover(std::string_view www_authenticate) {
  const auto challenge = parse_bearer_challenge(www_authenticate);
  oauth_servers found;
  std::optional<protected_resource_metadata> resource;
  for (const auto& url : protected_resource_metadata_urls(server_, challenge ? challenge->resource_metadata : "")) {
    auto reply = co_await http_.get(url);
    if (!reply) {
      spdlog::debug("OAuth: protected-resource metadata: {}", reply.failure().detail);
      continue;
    }
    if (!is_ok(reply->status)) continue;
    auto parsed = parse_protected_resource_metadata(reply->body, server_);
    if (!parsed.metadata) co_return sign_in_failure("the server's protected-resource metadata is not usable: " + parsed.error);
    resource = std::move(parsed.metadata);
    break;
  }

  // 2025-03-26 servers have no protected-resource metadata: their origin is the authorization server.
  const std::string issuer = resource ? resource->authorization_servers.front() : legacy_issuer(server_);
  found.resource = resource ? resource->resource : canonical_resource(server_);
  if (resource) found.resource_scopes = resource->scopes_supported;

  for (const auto& url : authorization_server_metadata_urls(issuer)) {
    auto reply = co_await http_.get(url);
    if (!reply || !is_ok(reply->status)) continue;
    auto parsed = parse_authorization_server_metadata(reply->body, issuer);
    if (!parsed.metadata) co_return sign_in_failure("the authorization server's metadata is not usable: " + parsed.error);
    found.server = std::move(*parsed.metadata);
    spdlog::info("OAuth: {} signs in at {}", server_.display(), found.server.issuer);
    co_return found;
  }
  if (resource)
    co_return sign_in_failure("the authorization server " + issuer + " publishes no metadata (RFC 8414 or OpenID)");
  found.server = legacy_default_endpoints(server_);
  spdlog::info("OAuth: {} has no OAuth metadata; trying the default endpoints at {}", server_.display(), issuer);
  co_return found;
}

awaitable<outcome<client_identity>> oauth_flow::register_client(const oauth_servers& servers,
                                                               const std::string& redirect_uri,
                                                               const std::optional<std::string>& scope) {
  const auto& as = servers.server;
  if (!settings_.client_id.empty()) {
    client_identity client{settings_.client_id, settings_.client_secret, client_auth::none};
    client.auth = choose_client_auth("", !client.client_secret.empty(), as.token_endpoint_auth_methods_supported);
    co_return client;
  }
  if (!settings_.client_metadata_url.empty() && as.client_id_metadata_document_supported)
    co_return client_identity{settings_.client_metadata_url, {}, client_auth::none};
  if (auto stored = store_.load_client(as.issuer); stored && stored->redirect_uri == redirect_uri) co_return stored->client;
  if (as.registration_endpoint.empty())
    co_return sign_in_failure("the authorization server " + as.issuer +
                              " offers no client registration: register a client there and pass --client-id");

  const auto body = registration_request("awork-mcp", redirect_uri, scope);
  const std::string_view json_type = "application/json";
  auto reply = co_await http_.post(as.registration_endpoint, body, json_type);
  if (!reply) co_return sign_in_failure("client registration failed: " + reply.failure().detail);
  if (!is_ok(reply->status))
    co_return sign_in_failure("client registration was refused: " + describe_oauth_error(reply->status, reply->body));
  auto parsed = parse_registration_response(reply->body, as.token_endpoint_auth_methods_supported);
  if (!parsed.client) co_return sign_in_failure("client registration answered oddly: " + parsed.error);
  if (auto error = store_.save_client({as.issuer, redirect_uri, *parsed.client}); !error.empty())
    spdlog::warn("OAuth: the registered client could not be stored ({}); the next sign-in registers again", error);
  spdlog::info("OAuth: registered client {} with {}", parsed.client->client_id, as.issuer);
  co_return std::move(*parsed.client);
}

awaitable<outcome<oauth_reply>> oauth_flow::post_token(const std::string& endpoint_url, const token_request& request) {
  header_list headers;
  if (!request.authorization.empty()) headers.emplace_back("Authorization", request.authorization);
  const std::string_view form_type = "application/x-www-form-urlencoded";
  co_return co_await http_.post(endpoint_url, request.body, form_type, headers);
}

awaitable<outcome<sign_in_record>> oauth_flow::sign_in(std::string_view www_authenticate, std::string_view granted_scope) {
  auto discovered = co_await discover(www_authenticate);
  if (!discovered) co_return std::move(discovered.failure());
  const auto& as = discovered->server;

  // Where the browser comes back: the user's registered URI, the stored client's, or any free port.
  std::string redirect_uri = settings_.redirect_uri;
  unsigned short port = settings_.redirect_port;
  std::string callback_path = "/callback";
  if (!redirect_uri.empty()) {
    auto parts = split_redirect_uri(redirect_uri);
    if (!parts.error.empty()) co_return sign_in_failure(parts.error);
    port = parts.port;
    callback_path = parts.path;
  } else if (port == 0 && settings_.client_id.empty()) {
    if (auto stored = store_.load_client(as.issuer)) {
      if (auto parts = split_redirect_uri(stored->redirect_uri); parts.error.empty()) port = parts.port;
    }
  }
  auto listener = callback_listener::open(co_await net::this_coro::executor, port);
  if (!listener && port != 0 && settings_.redirect_uri.empty() && settings_.redirect_port == 0)
    listener = callback_listener::open(co_await net::this_coro::executor, 0);  // the stored port is taken: register anew
  if (!listener) co_return std::move(listener.failure());
  if (redirect_uri.empty()) redirect_uri = default_redirect_uri((*listener)->port());

  const auto challenge = parse_bearer_challenge(www_authenticate);
  scope_sources sources;
  sources.configured = settings_.scope;
  sources.challenge = challenge ? challenge->scope : "";
  if (!granted_scope.empty() && !sources.challenge.empty()) sources.challenge = union_scopes(granted_scope, sources.challenge);
  sources.resource_scopes = discovered->resource_scopes;
  sources.server_scopes = as.scopes_supported;
  const auto scope = choose_scope(sources);

  auto client = co_await register_client(*discovered, redirect_uri, scope);
  if (!client) co_return std::move(client.failure());

  const auto verifier = random_url_token(32);
  authorization_request request;
  request.authorization_endpoint = as.authorization_endpoint;
  request.client_id = client->client_id;
  request.redirect_uri = redirect_uri;
  request.code_challenge = s256_challenge(verifier);
  request.state = random_url_token(16);
  request.resource = discovered->resource;
  request.scope = scope;
  const auto url = authorization_url(request);
  if (url.empty()) co_return sign_in_failure("the authorization endpoint is not a URL: " + as.authorization_endpoint);
  if (auto refusal = http_.refuse_insecure(as.authorization_endpoint); !refusal.empty())
    co_return sign_in_failure(refusal);

  show_url_(url);
  if (settings_.open_browser && !platform::open_browser(url))
    spdlog::warn("sign-in: no browser could be started; open the URL above yourself");

  callback_expectation expected{request.state, as.issuer,
                                as.authorization_response_iss_parameter_supported && !as.from_defaults};
  auto answer = co_await (*listener)->wait(callback_path, expected, settings_.sign_in_timeout);
  if (!answer) co_return sign_in_failure(answer.failure().detail + "; run `awork-mcp login` to sign in");
  if (answer->what == callback_result::verdict::denied)
    co_return sign_in_failure("the authorization server said no: " + answer->message);
  if (answer->what != callback_result::verdict::code)
    co_return sign_in_failure("the sign-in's answer was refused: " + answer->message);

  const auto code_request = authorization_code_request(*client, answer->code, redirect_uri, verifier, discovered->resource);
  auto token_reply = co_await post_token(as.token_endpoint, code_request);
  if (!token_reply) co_return sign_in_failure("the token endpoint could not be reached: " + token_reply.failure().detail);
  if (!is_ok(token_reply->status))
    co_return sign_in_failure("the token endpoint refused the code: " +
                              describe_oauth_error(token_reply->status, token_reply->body));
  auto tokens = parse_token_response(token_reply->body, std::chrono::system_clock::now(), scope.value_or(""));
  if (!tokens.tokens) co_return sign_in_failure("the token endpoint answered oddly: " + tokens.error);

  sign_in_record record;
  record.resource = resource_key_;
  record.resource_indicator = discovered->resource;
  record.issuer = as.issuer;
  record.token_endpoint = as.token_endpoint;
  record.revocation_endpoint = as.revocation_endpoint;
  record.client = std::move(*client);
  record.redirect_uri = redirect_uri;
  record.tokens = std::move(*tokens.tokens);
  co_return record;
}

awaitable<outcome<token_set>> oauth_flow::refresh(const sign_in_record& record) {
  if (record.tokens.refresh_token.empty()) co_return sign_in_failure("the sign-in has no refresh token");
  const auto refresh_request =
      refresh_token_request(record.client, record.tokens.refresh_token, record.resource_indicator, std::nullopt);
  auto reply = co_await post_token(record.token_endpoint, refresh_request);
  if (!reply) co_return std::move(reply.failure());  // the network: the grant may still be good
  if (reply->status == 400 || reply->status == 401)
    co_return sign_in_failure("the sign-in could not be renewed (" + describe_oauth_error(reply->status, reply->body) + ")");
  if (!is_ok(reply->status))
    co_return upstream_failure{failure_kind::http_status, describe_oauth_error(reply->status, reply->body), reply->status};
  auto tokens = parse_token_response(reply->body, std::chrono::system_clock::now(), record.tokens.scope);
  if (!tokens.tokens) co_return upstream_failure{failure_kind::bad_body, "the token endpoint answered oddly: " + tokens.error};
  co_return merge_refreshed(record.tokens, std::move(*tokens.tokens));
}

awaitable<std::string> oauth_flow::revoke(const sign_in_record& record) {
  const auto plan = plan_revocation(record);
  if (plan.how == revocation_plan::kind::rfc7009) {
    // RFC 7009: revoking the refresh token ends the whole grant; the access token dies with it on
    // most servers, and expires soon on the others.
    const auto& token = record.tokens.refresh_token.empty() ? record.tokens.access_token : record.tokens.refresh_token;
    const char* hint = record.tokens.refresh_token.empty() ? "access_token" : "refresh_token";
    form_fields fields{{"token", token}, {"token_type_hint", hint}};
    header_list headers;
    if (record.client.auth == client_auth::basic) {
      auto basic = refresh_token_request(record.client, "", "", std::nullopt);
      headers.emplace_back("Authorization", basic.authorization);
    } else {
      fields.emplace_back("client_id", record.client.client_id);
      if (record.client.auth == client_auth::post) fields.emplace_back("client_secret", record.client.client_secret);
    }
    const auto body = form_encode(fields);
    const std::string_view form_type = "application/x-www-form-urlencoded";
    auto reply = co_await http_.post(plan.url, body, form_type, headers);
    if (!reply) co_return "the grant could not be revoked (" + reply.failure().detail + ")";
    if (!is_ok(reply->status)) co_return "the server refused to revoke the grant (" + describe_oauth_error(reply->status, reply->body) + ")";
    co_return "the grant was revoked at " + plan.url;
  }
  if (plan.how == revocation_plan::kind::awork_client) {
    // awork has no RFC 7009 endpoint; it removes a client's access for the signed-in user, which
    // takes a live access token. The stored one is often a day old, or was revoked, whatever its
    // expiry says: it is renewed first whenever it can be (the grant ends anyway).
    std::string access_token = record.tokens.access_token;
    if (!record.tokens.refresh_token.empty()) {
      auto renewed = co_await refresh(record);
      if (!renewed) co_return "the client's access could not be revoked (renewing the access token first: " +
                              renewed.failure().detail + ")";
      access_token = renewed->access_token;
    }
    const header_list bearer{{"Authorization", "Bearer " + access_token}};
    const std::string no_body;
    const std::string_view no_type;
    auto reply = co_await http_.send(http::verb::delete_, plan.url, no_body, no_type, bearer);
    if (!reply) co_return "the client's access could not be revoked (" + reply.failure().detail + ")";
    if (!is_ok(reply->status)) co_return "awork refused to revoke the client's access (HTTP " + std::to_string(reply->status) + ")";
    co_return std::string("awork revoked this client's access");
  }
  co_return std::string("the server offers no revocation; the tokens expire by themselves");
}

}  // namespace awork_mcp
