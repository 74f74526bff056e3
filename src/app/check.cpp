// The I/O of `awork-mcp check`: each step opens one more layer of the way to the server and
// writes down what it found; the verdicts come from check/steps.hpp. The connection it builds
// (TCP, the proxy's tunnel, TLS) is the one the MCP requests then use, through http_client.

#include "awork_mcp/app/check.hpp"

#include "awork_mcp/app/sign_in.hpp"
#include "awork_mcp/auth/credential.hpp"
#include "awork_mcp/auth/oauth_credential.hpp"
#include "awork_mcp/check/mcp_probe.hpp"
#include "awork_mcp/check/steps.hpp"
#include "awork_mcp/core/header_rules.hpp"
#include "awork_mcp/core/reply_policy.hpp"
#include "awork_mcp/core/text.hpp"
#include "awork_mcp/era/modern_wire.hpp"
#include "awork_mcp/net/http_client.hpp"
#include "awork_mcp/oauth/discovery.hpp"
#include "awork_mcp/oauth/www_authenticate.hpp"
#include "awork_mcp/platform/platform.hpp"

#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <cstdlib>
#include <ctime>
#include <iostream>

namespace awork_mcp {

namespace {

using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

/// A check's request waits at most this long for the server (or --request-timeout, if shorter).
constexpr milliseconds longest_request_wait{std::chrono::seconds(30)};
constexpr std::size_t largest_reply = 16 * 1024 * 1024;
constexpr int most_tool_pages = 50;

milliseconds since(clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(clock::now() - start);
}

std::string host_port(const std::string& host, const std::string& port) {
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port;
}

std::string address_text(const tcp::endpoint& endpoint) {
  return host_port(endpoint.address().to_string(), std::to_string(endpoint.port()));
}

const char* real_env(const char* name) { return std::getenv(name); }

// ---- certificates -----------------------------------------------------------------------------

std::string name_text(const X509_NAME* name) {
  if (!name) return {};
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio) return {};
  // RFC 2253 order (CN first), UTF-8 kept as it is.
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? printable(std::string_view(data, static_cast<std::size_t>(size)), 200) : std::string();
}

// The leaf certificate's names and expiry, into the TLS facts.
void read_certificate(SSL* ssl, tls_facts& facts) {
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
  std::unique_ptr<X509, decltype(&X509_free)> cert(SSL_get1_peer_certificate(ssl), &X509_free);
#else
  std::unique_ptr<X509, decltype(&X509_free)> cert(SSL_get_peer_certificate(ssl), &X509_free);
#endif
  if (!cert) return;
  facts.subject = name_text(X509_get_subject_name(cert.get()));
  facts.issuer = name_text(X509_get_issuer_name(cert.get()));
  const ASN1_TIME* not_after = X509_get0_notAfter(cert.get());
  int days = 0, seconds = 0;
  if (not_after && ASN1_TIME_diff(&days, &seconds, nullptr, not_after)) {
    const long long left = static_cast<long long>(days) * 86400 + seconds;
    // Whole days left, rounded down: an hour left is 0 days, an hour ago -1.
    facts.days_left = static_cast<long>(left >= 0 ? left / 86400 : -((-left + 86399) / 86400));
  }
  std::tm parts{};
  if (not_after && ASN1_TIME_to_tm(not_after, &parts)) {
    char text[16];
    if (std::strftime(text, sizeof text, "%Y-%m-%d", &parts)) facts.not_after = text;
  }
}

// The first verification problem OpenSSL met, kept while the handshake goes on to its end so that
// the certificate can be described; the check then closes the connection without sending a byte.
struct verification {
  long code = X509_V_OK;
};

// Keeps the first verification error and lets the handshake finish, so that the report can say
// why. A named type, not a lambda: clang spells a lambda's type with its source file's absolute
// path in Asio's __PRETTY_FUNCTION__ strings, which -ffile-prefix-map does not reach (the macOS
// build would then differ between two clones).
struct first_verification_error {
  std::shared_ptr<verification> verified;
  bool operator()(bool preverified, ssl::verify_context& context) const {
    if (!preverified && verified->code == X509_V_OK) verified->code = X509_STORE_CTX_get_error(context.native_handle());
    return true;
  }
};

// ---- one HTTP exchange ------------------------------------------------------------------------

struct reply {
  unsigned status = 0;  ///< 0: no answer (see failure)
  std::string reason, media_type, body, session_id, www_authenticate, location;
  std::optional<std::chrono::seconds> retry_after;
  std::optional<upstream_failure> failure;
  milliseconds elapsed{0};
};

class checker {
 public:
  checker(net::any_io_executor ex, const bridge_config& config, check_report& report)
      : executor_(std::move(ex)), config_(config), report_(report) {}

  awaitable<void> run();

 private:
  void configuration_step();
  void proxy_step();
  awaitable<std::optional<tcp::resolver::results_type>> dns_step();
  awaitable<std::unique_ptr<http_connection>> tcp_step(const tcp::resolver::results_type& endpoints);
  awaitable<bool> open_tunnel(http_connection& connection, tcp_facts& facts);
  awaitable<bool> tls_step(http_connection& connection);
  awaitable<void> mcp_steps();
  awaitable<void> legacy_server(const reply& answer, server_facts& server);
  awaitable<void> modern_server(const std::string& discover_line, server_facts& server);
  awaitable<void> count_tools(const session_headers& session, bool modern, server_facts& server);

  awaitable<reply> post(const std::string& body, const session_headers& session, const header_list& own);
  /// post, and once more after the stored sign-in was renewed, if a 401 refused it.
  awaitable<reply> post_signed(const std::string& body, const session_headers& session, const header_list& own);
  awaitable<reply> send(const http_request& request);

  net::any_io_executor executor_;
  const bridge_config& config_;
  check_report& report_;
  std::unique_ptr<ssl::context> tls_;
  std::string tls_setup_error_;
  std::unique_ptr<http_connection> connection_;  ///< built by the steps, then the MCP requests' first
  credential_kind credential_kind_ = credential_kind::none;
  std::unique_ptr<http_client> client_;
  std::unique_ptr<request_builder> builder_;
  std::unique_ptr<sign_in_kit> sign_in_;
  std::shared_ptr<credential_source> credential_;  // shared: an OAuth credential's renewals keep it alive
  std::optional<std::string> last_authorization_;
  bool renewed_ = false;
  rate_limit_evidence rate_limits_;
  client_context client_info_{"{}", check_client_info(), ""};
};

awaitable<void> checker::run() {
  configuration_step();
  proxy_step();
  if (config_.server.tls) {
    try {
      tls_ = std::make_unique<ssl::context>(make_tls_context(config_.ca_file));
    } catch (const std::exception& e) {
      tls_setup_error_ = e.what();
    }
  }
  auto endpoints = co_await dns_step();
  if (!endpoints) co_return;
  connection_ = co_await tcp_step(*endpoints);
  if (!connection_) co_return;
  const bool secure = co_await tls_step(*connection_);
  if (!secure) co_return;
  co_await mcp_steps();
}

void checker::configuration_step() {
  const auto& p = config_.provenance;
  configuration_facts f;
  f.url = config_.server.display();
  f.url_origin = origin_text(p.url, "--url", "AWORK_MCP_URL");
  f.awork = config_.server.is_awork();
  f.plain_http_remote = !config_.server.tls && !config_.server.is_loopback();
  f.protocol = config_.protocol;
  f.protocol_origin = origin_text(p.protocol, "--protocol", "AWORK_MCP_PROTOCOL");
  f.ca_file = config_.ca_file;
  std::string authorization_header;
  for (const auto& [name, value] : config_.extra_headers) {
    f.header_names.push_back(name);
    if (lower(name) == "authorization") authorization_header = name;
  }
  auto& c = f.credential;
  if (!authorization_header.empty()) {
    c.kind = credential_kind::header;  // sent last, so it wins over a key
    c.via = authorization_header;
  } else if (config_.api_key) {
    c.kind = credential_kind::api_key;
    c.via = p.api_key_via;
    c.file = p.api_key_file;
    c.key = *config_.api_key;
  } else if (const auto record = token_store(sign_in_store_dir(), config_.sign_in.client_id).load(canonical_resource(config_.server))) {
    c.kind = credential_kind::sign_in;
    c.issuer = record->issuer;
    c.refreshable = !record->tokens.refresh_token.empty();
    if (const auto& expiry = record->tokens.expires_at) {
      c.expires_in = std::chrono::duration_cast<std::chrono::seconds>(*expiry - std::chrono::system_clock::now());
      c.expires_text = local_time_text(*expiry);
    }
  }
  credential_kind_ = c.kind;
  report_.add(judge_configuration(f));
}

void checker::proxy_step() {
  proxy_facts f;
  f.host = config_.server.host;
  try {
    const auto choice = choose_proxy(config_.server, config_.proxy_option, real_env);
    f.proxy = choice.proxy;
    if (choice.proxy)
      f.origin = config_.proxy_option ? origin_text(config_.provenance.proxy, "--proxy", "") : choice.variable;
    else if (!choice.variable.empty())
      f.bypassed_by = choice.variable;
    f.disabled = !choice.proxy && choice.variable.empty() && config_.proxy_option && config_.proxy_option->empty();
  } catch (const std::exception&) {
    f.proxy = config_.proxy;  // the configuration took it; only its origin is unknown
    f.origin = "the configuration";
  }
  report_.add(judge_proxy(f));
}

awaitable<std::optional<tcp::resolver::results_type>> checker::dns_step() {
  const auto& proxy = config_.proxy;
  dns_facts f;
  f.host = proxy ? proxy->host : config_.server.host;
  f.server_host = proxy ? config_.server.host : std::string();
  f.literal = is_ip_literal(f.host);
  f.timeout = config_.connect_timeout;
  const std::string port = proxy ? proxy->port : config_.server.port;

  // getaddrinfo has no timeout of its own; a timer cancels a lookup that hangs.
  auto resolver = std::make_shared<tcp::resolver>(executor_);
  auto timed_out = std::make_shared<bool>(false);
  net::steady_timer timer(executor_);
  timer.expires_after(config_.connect_timeout);
  timer.async_wait([resolver, timed_out](boost::system::error_code ec) {
    if (!ec) {
      *timed_out = true;
      resolver->cancel();
    }
  });
  const auto start = clock::now();
  auto [ec, results] = co_await resolver->async_resolve(f.host, port, net::as_tuple(net::use_awaitable));
  f.elapsed = since(start);
  timer.cancel();
  f.timed_out = *timed_out;
  if (ec) f.error = ec.message();
  for (const auto& entry : results) {
    auto address = entry.endpoint().address().to_string();
    if (std::find(f.addresses.begin(), f.addresses.end(), address) == f.addresses.end()) f.addresses.push_back(address);
  }
  report_.add(judge_dns(f));
  if (!report_.proceed()) co_return std::nullopt;
  co_return results;
}

awaitable<std::unique_ptr<http_connection>> checker::tcp_step(const tcp::resolver::results_type& endpoints) {
  const auto& proxy = config_.proxy;
  tcp_facts f;
  f.via_proxy = proxy.has_value();
  f.target = proxy ? host_port(proxy->host, proxy->port) : host_port(config_.server.host, config_.server.port);
  f.timeout = config_.connect_timeout;
  auto connection = new_connection(executor_, tls_.get());

  auto& socket = connection->tcp();
  socket.expires_after(config_.connect_timeout);
  const auto start = clock::now();
  auto [ec, connected] = co_await socket.async_connect(endpoints, net::as_tuple(net::use_awaitable));
  f.elapsed = since(start);
  if (ec) {
    f.problem = classify_connect_error(ec);
    f.error = ec.message();
  } else {
    platform::not_inherited(socket.socket());
    f.address = address_text(connected);
    boost::system::error_code ignored;
    socket.socket().set_option(tcp::no_delay(true), ignored);
    if (proxy) {
      const bool open = co_await open_tunnel(*connection, f);
      if (!open) connection.reset();
    }
  }
  report_.add(judge_tcp(f));
  if (!report_.proceed()) co_return nullptr;
  co_return connection;
}

// Asks the proxy for a tunnel to the server (as http_client does), and times it.
awaitable<bool> checker::open_tunnel(http_connection& connection, tcp_facts& f) {
  const auto& proxy = *config_.proxy;
  auto& socket = connection.tcp();
  f.tunnel_to = host_port(config_.server.host, config_.server.port);
  f.proxy_credentials = !proxy.authorization.empty();
  std::string request = "CONNECT " + f.tunnel_to + " HTTP/1.1\r\nHost: " + f.tunnel_to + "\r\n";
  if (!proxy.authorization.empty()) request += "Proxy-Authorization: " + proxy.authorization + "\r\n";
  request += "\r\n";
  const auto start = clock::now();
  socket.expires_after(config_.connect_timeout);
  auto [wec, written] = co_await net::async_write(socket, net::buffer(request), net::as_tuple(net::use_awaitable));
  if (wec) {
    f.tunnel_error = wec.message();
    co_return false;
  }
  http::response_parser<http::empty_body> answer;
  answer.skip(true);  // a CONNECT answer has no body
  auto [rec, read] = co_await http::async_read_header(socket, connection.buffer, answer, net::as_tuple(net::use_awaitable));
  f.tunnel_elapsed = since(start);
  if (rec) {
    f.tunnel_error = rec == beast::error::timeout ? "no answer within the connect timeout" : rec.message();
    co_return false;
  }
  f.tunnel_status = answer.get().result_int();
  f.tunnel_reason = std::string(answer.get().reason());
  co_return f.tunnel_status == 200;
}

awaitable<bool> checker::tls_step(http_connection& connection) {
  tls_facts f;
  f.host = config_.server.host;
  f.loopback = config_.server.is_loopback();
  f.ca_file = config_.ca_file;
  f.timeout = config_.connect_timeout;
  f.plain_http = !config_.server.tls;
  f.setup_error = tls_setup_error_;
  auto* tls = std::get_if<http_connection::tls_stream>(&connection.stream);
  if (f.plain_http || !f.setup_error.empty() || !tls) {
    report_.add(judge_tls(f));
    co_return report_.proceed();
  }

  SSL* ssl = tls->native_handle();
  const bool literal = is_ip_literal(f.host);
  if (!literal) SSL_set_tlsext_host_name(ssl, f.host.c_str());
  // The host check as OpenSSL's own verification step, so that a mismatch has its own code.
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  if (literal)
    X509_VERIFY_PARAM_set1_ip_asc(param, f.host.c_str());
  else
    X509_VERIFY_PARAM_set1_host(param, f.host.c_str(), f.host.size());
  auto verified = std::make_shared<verification>();
  tls->set_verify_callback(first_verification_error{verified});

  auto& socket = connection.tcp();
  socket.expires_after(config_.connect_timeout);
  const auto start = clock::now();
  auto [ec] = co_await tls->async_handshake(ssl::stream_base::client, net::as_tuple(net::use_awaitable));
  f.elapsed = since(start);
  f.verify_code = verified->code;
  if (f.verify_code != X509_V_OK) f.verify_text = X509_verify_cert_error_string(f.verify_code);
  if (ec) {
    f.timed_out = ec == beast::error::timeout;
    f.handshake_error = ec.message();
  } else {
    f.version = SSL_get_version(ssl);
    read_certificate(ssl, f);
  }
  if (f.verify_code != X509_V_OK || ec) {
    boost::system::error_code ignored;
    socket.socket().close(ignored);  // not one byte of a request on a connection that failed
  }
  report_.add(judge_tls(f));
  co_return report_.proceed() && f.verify_code == X509_V_OK && !ec;
}

// ---- the MCP requests -------------------------------------------------------------------------

awaitable<reply> checker::send(const http_request& request) {
  reply r;
  send_options options;
  options.may_resend_after_write = true;  // every request of the check is safe to repeat
  options.body_limit = largest_reply;
  const auto start = clock::now();
  auto sent = co_await client_->send(request, options);
  if (!sent) {
    r.failure = std::move(sent.failure());
    r.elapsed = since(start);
    co_return r;
  }
  auto& response = **sent;
  r.status = response.status();
  r.reason = std::string(response.reason());
  r.media_type = response.media_type();
  r.session_id = std::string(response.header("Mcp-Session-Id"));
  r.www_authenticate = response.header_values("WWW-Authenticate");
  if (const auto location = response.header("Location"); !location.empty()) {
    try {
      r.location = parse_endpoint(location).display();
    } catch (const std::exception&) {
      r.location = "a relative or unreadable Location";
    }
  }
  r.retry_after = retry_delay(response.header("ratelimit-reset"), response.header("Retry-After"),
                              std::chrono::system_clock::now());
  note_rate_limit_headers(rate_limits_.seen, response.fields());
  if (r.status == 429) rate_limits_.limited = true;
  auto body = co_await response.read_all(largest_reply);
  if (body)
    r.body = std::move(*body);
  else if (r.status >= 200 && r.status < 300)
    r.failure = std::move(body.failure());
  r.elapsed = since(start);
  co_return r;
}

awaitable<reply> checker::post(const std::string& body, const session_headers& session, const header_list& own) {
  last_authorization_ = co_await credential_->authorization();
  const auto request = builder_->post(body, session, last_authorization_, own);
  co_return co_await send(request);
}

awaitable<reply> checker::post_signed(const std::string& body, const session_headers& session, const header_list& own) {
  auto r = co_await post(body, session, own);
  if (r.status != 401 || credential_kind_ != credential_kind::sign_in || renewed_) co_return r;
  const credential_rejection rejection{last_authorization_, 401, r.www_authenticate};
  const auto renewal = co_await credential_->renew_after_rejection(rejection);
  if (!renewal.retry) co_return r;
  renewed_ = true;
  co_return co_await post(body, session, own);
}

awaitable<void> checker::mcp_steps() {
  const auto request_wait = config_.request_timeout.count() > 0 ? std::min(config_.request_timeout, longest_request_wait)
                                                                : longest_request_wait;
  client_ = std::make_unique<http_client>(executor_, config_.server, made_tls_context(tls_.get()),
                                          http_timeouts{config_.connect_timeout, request_wait}, config_.proxy);
  client_->adopt(std::move(connection_));
  builder_ = std::make_unique<request_builder>(config_.server, config_.extra_headers);
  if (credential_kind_ == credential_kind::sign_in) {
    // The stored sign-in, renewed as the bridge would; never a browser from a check.
    bridge_config quiet = config_;
    quiet.sign_in.sign_in_when_needed = false;
    sign_in_ = std::make_unique<sign_in_kit>(executor_, quiet, [](const std::string&) {});
    credential_ = std::make_shared<oauth_credential>(executor_, sign_in_->flow, sign_in_->store, false);
  } else {
    credential_ = std::make_unique<static_bearer_credential>(config_.api_key);
  }

  // Authentication: the first request whose answer settles it. server/discover first (MCP
  // 2026-07-28) unless --protocol legacy, then initialize unless the server spoke 2026-07-28.
  reply decisive;
  std::string method;
  std::string discover_line;
  discover_next next = discover_next::initialize;
  const session_headers stateless{{}, std::string(modern_protocol_version)};
  if (config_.protocol != "legacy") {
    const std::string id = R"("awork-mcp/check/discover")";
    const std::string body = discover_request(id, client_info_);
    const header_list headers = standard_headers(body);
    for (int attempt = 0; attempt < 2; ++attempt) {
      decisive = co_await post_signed(body, stateless, headers);
      method = "server/discover";
      const auto line = response_in_reply(decisive.media_type, decisive.body, id);
      next = after_discover(decisive.failure ? 0 : decisive.status, line.value_or(decisive.body));
      if (next == discover_next::modern) discover_line = line.value_or(std::string());
      if (next != discover_next::ask_again) break;
    }
    if (next == discover_next::ask_again) next = discover_next::initialize;  // asked twice: not modern after all
  }
  server_facts server;
  const bool modern = next == discover_next::modern;
  const bool modern_refused = next == discover_next::initialize && config_.protocol == "modern";
  if (next == discover_next::initialize && !modern_refused) {
    const std::string id = R"("awork-mcp/check/initialize")";
    const std::string body = check_initialize_request(id);
    const session_headers none;
    const header_list no_headers;
    decisive = co_await post_signed(body, none, no_headers);
    method = "initialize";
  }

  auth_facts auth;
  auth.method = method;
  auth.credential = credential_kind_;
  auth.awork = config_.server.is_awork();
  auth.url = config_.server.display();
  auth.status = decisive.status;
  auth.reason = decisive.reason;
  if (decisive.failure) {
    auth.error = decisive.failure->detail;
    auth.timed_out = decisive.failure->kind == failure_kind::timeout;
  }
  if (const auto challenge = parse_bearer_challenge(decisive.www_authenticate)) auth.challenge_error = challenge->error;
  auth.location = decisive.location;
  auth.retry_after = decisive.retry_after;
  auth.renewed = renewed_;
  auth.elapsed = decisive.elapsed;
  if (modern_refused && !auth_lets_through(auth.status) && auth.status != 401 && auth.status != 403) {
    report_.add(check_line{check_step::auth, check_verdict::skip,
                           "server/discover was refused (HTTP " + std::to_string(auth.status) +
                               "), and --protocol modern allows no initialize to tell",
                           std::nullopt, {}});
  } else {
    report_.add(judge_auth(auth));
  }
  const bool answered = auth.status != 0;
  if (auth.status == 429) report_.stop("the server is limiting requests");
  if (auth.status >= 300 && auth.status < 400) report_.stop("the server redirects elsewhere");

  if (report_.proceed() && (auth_lets_through(auth.status) || modern_refused)) {
    if (modern_refused) {
      server.modern_required = true;
      report_.add(judge_server(server));
    } else if (modern) {
      co_await modern_server(discover_line, server);
      report_.add(judge_server(server));
    } else {
      co_await legacy_server(decisive, server);
      report_.add(judge_server(server));
    }
  }
  if (answered) report_.add(judge_rate_limits(rate_limits_));
  client_->close_idle();
}

awaitable<void> checker::modern_server(const std::string& discover_line, server_facts& server) {
  server.modern = true;
  const auto identity = identity_from_discover(discover_line);
  server.name = identity.name;
  server.version = identity.version;
  server.protocol_version = identity.protocol_version;
  server.handshake_error = identity.error;
  if (!server.handshake_error.empty()) co_return;
  const session_headers stateless{{}, std::string(modern_protocol_version)};
  co_await count_tools(stateless, true, server);
}

// The legacy handshake's answer, initialized, tools/list, ping, and the session's end.
awaitable<void> checker::legacy_server(const reply& answer, server_facts& server) {
  const std::string id = R"("awork-mcp/check/initialize")";
  const auto line = response_in_reply(answer.media_type, answer.body, id);
  if (!line) {
    server.handshake_error =
        "the answer (" + (answer.media_type.empty() ? std::string("no content type") : answer.media_type) +
        ") holds no response to initialize";
    co_return;
  }
  const auto identity = identity_from_initialize(*line);
  server.name = identity.name;
  server.version = identity.version;
  server.protocol_version = identity.protocol_version;
  server.handshake_error = identity.error;
  if (!server.handshake_error.empty()) co_return;

  session_headers session;
  if (is_session_id(answer.session_id)) session.session_id = answer.session_id;
  if (is_protocol_version(identity.protocol_version)) session.protocol_version = identity.protocol_version;
  const std::string notification = R"({"jsonrpc":"2.0","method":"notifications/initialized"})";
  const header_list no_headers;
  [[maybe_unused]] const auto acknowledged = co_await post(notification, session, no_headers);
  co_await count_tools(session, false, server);

  if (!session.session_id.empty()) {
    // The end of the session, as the bridge does at exit (a 405 means the server keeps none).
    last_authorization_ = co_await credential_->authorization();
    const auto request = builder_->end_session(session, last_authorization_);
    [[maybe_unused]] const auto ended = co_await send(request);
  }
}

// tools/list page by page, then one more request for the round trip: ping (legacy), or the first
// page of tools/list again (2026-07-28, where the bridge answers pings itself).
awaitable<void> checker::count_tools(const session_headers& session, bool modern, server_facts& server) {
  const auto request_body = [&](const std::string& bare) { return modern ? with_modern_meta(bare, client_info_).value_or(bare) : bare; };
  std::string cursor;
  std::size_t tools = 0;
  for (int page = 0; page < most_tool_pages; ++page) {
    const std::string id = "\"awork-mcp/check/tools/" + std::to_string(page + 1) + "\"";
    const std::string body = request_body(tools_list_request(id, cursor));
    const header_list headers = modern ? standard_headers(body) : header_list{};
    const auto r = co_await post(body, session, headers);
    const auto line = response_in_reply(r.media_type, r.body, id);
    if (!line) {
      server.tools_error = r.failure ? r.failure->detail
                                     : "HTTP " + std::to_string(r.status) + (r.reason.empty() ? "" : " " + r.reason);
      break;
    }
    const auto listed = read_tool_page(*line);
    if (!listed.error.empty()) {
      server.tools_error = listed.error;
      break;
    }
    tools += listed.count;
    cursor = listed.next_cursor;
    if (cursor.empty()) {
      server.tools = tools;
      break;
    }
  }
  if (!server.tools && server.tools_error.empty())
    server.tools_error = "more than " + std::to_string(most_tool_pages) + " pages";

  const std::string id = R"("awork-mcp/check/round-trip")";
  server.round_trip_method = modern ? "tools/list" : "ping";
  const std::string body =
      modern ? request_body(tools_list_request(id, "")) : R"({"jsonrpc":"2.0","id":)" + id + R"(,"method":"ping"})";
  const header_list headers = modern ? standard_headers(body) : header_list{};
  const auto r = co_await post(body, session, headers);
  const auto line = response_in_reply(r.media_type, r.body, id);
  if (line && line->find("\"result\"") != std::string::npos)
    server.round_trip = r.elapsed;
  else
    server.round_trip_error = r.failure ? r.failure->detail : line ? printable(*line, 200) : "HTTP " + std::to_string(r.status);
}

}  // namespace

int run_check(const bridge_config& config, bool json) {
  check_report report;
  {
    net::io_context io{1};
    checker check(io.get_executor(), config, report);
    net::co_spawn(io, check.run(), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    });
    io.run();
  }
  report.finish();
  const auto url = config.server.display();
  std::cout << (json ? render_json(report, url) : render_text(report, url)) << std::flush;
  return report.exit_code();
}

}  // namespace awork_mcp
