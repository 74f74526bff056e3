// The verdict of each step of `awork-mcp check` from its facts, as tables; secrets in, masks out.

#include "awork_mcp/check/steps.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <gtest/gtest.h>
#include <openssl/x509_vfy.h>

using namespace awork_mcp;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

bool has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

// Every failure and warning says what to do next.
void expect_hint_when_needed(const check_line& line) {
  if (line.verdict == check_verdict::fail || line.verdict == check_verdict::warn) {
    EXPECT_FALSE(line.hint.empty()) << line;
  }
}

}  // namespace

// ---- configuration ----------------------------------------------------------------------------

TEST(check_steps, secrets_are_masked) {
  struct row {
    std::string secret;
    std::string shown;
  };
  const row rows[] = {
      {"", "0 chars"},
      {"short", "5 chars"},
      {"fifteen-chars-x", "15 chars"},  // too short to show any of it
      {"sixteen-chars-ab", "16 chars, ends …s-ab"},
      {"0123456789abcdef0123456789aba1b2", "32 chars, ends …a1b2"},
      {std::string(20, 'k') + "\x01\x02\x03\x04", "24 chars"},  // an unprintable tail is not shown
  };
  for (const auto& r : rows) {
    EXPECT_EQ(mask_secret(r.secret), r.shown);
    if (r.secret.size() > 4) {
      EXPECT_FALSE(has(mask_secret(r.secret), r.secret));
    }
  }
}

TEST(check_steps, origins_read_as_their_option_or_variable) {
  EXPECT_EQ(origin_text(setting_origin::command_line, "--url", "AWORK_MCP_URL"), "--url");
  EXPECT_EQ(origin_text(setting_origin::environment, "--url", "AWORK_MCP_URL"), "AWORK_MCP_URL");
  EXPECT_EQ(origin_text(setting_origin::config_file, "--url", "AWORK_MCP_URL"), "the config file");
  EXPECT_EQ(origin_text(setting_origin::built_in, "--url", "AWORK_MCP_URL"), "default");
}

TEST(check_steps, proxies_show_the_user_never_the_password) {
  EXPECT_EQ(proxy_display(parse_proxy("http://proxy.corp:3128")), "http://proxy.corp:3128");
  EXPECT_EQ(proxy_display(parse_proxy("http://alice:s3cret@proxy.corp:3128")), "http://alice:***@proxy.corp:3128");
  EXPECT_EQ(proxy_display(parse_proxy("http://[::1]:8080")), "http://[::1]:8080");
  proxy_settings odd{"p", "1", "Negotiate abc"};
  EXPECT_EQ(proxy_display(odd), "http://***@p:1");
}

TEST(check_steps, credentials_are_described_without_their_value) {
  credential_facts key;
  key.kind = credential_kind::api_key;
  key.via = "AWORK_API_KEY_FILE";
  key.file = "/home/me/.awork-key";
  key.key = "0123456789abcdef0123456789aba1b2";
  EXPECT_EQ(describe_credential(key), "API key from AWORK_API_KEY_FILE (/home/me/.awork-key), 32 chars, ends …a1b2");

  credential_facts signed_in;
  signed_in.kind = credential_kind::sign_in;
  signed_in.issuer = "https://api.awork.com";
  signed_in.expires_in = seconds(3600);
  signed_in.expires_text = "2026-12-01 14:00 CET";
  EXPECT_EQ(describe_credential(signed_in),
            "signed in at https://api.awork.com, access token valid until 2026-12-01 14:00 CET");
  signed_in.expires_in = seconds(-60);
  signed_in.refreshable = true;
  EXPECT_TRUE(has(describe_credential(signed_in), "expired 2026-12-01 14:00 CET (renewed at the next request)"));
  EXPECT_EQ(describe_credential({}), "no credential (no API key, no stored sign-in)");
}

TEST(check_steps, configuration_table) {
  struct row {
    const char* name;
    credential_kind kind;
    std::string via;
    bool awork;
    bool refreshable;
    std::optional<seconds> expires_in;
    bool plain_http_remote;
    check_verdict verdict;
    std::string hint_part;
  };
  const row rows[] = {
      {"key from a file", credential_kind::api_key, "AWORK_API_KEY_FILE", true, false, {}, false, check_verdict::ok, ""},
      {"key on the command line", credential_kind::api_key, "--api-key", true, false, {}, false, check_verdict::warn,
       "visible to other users"},
      {"awork without a credential", credential_kind::none, "", true, false, {}, false, check_verdict::warn,
       "set AWORK_API_KEY (or --api-key-file), or run `awork-mcp login`"},
      {"another server without a credential", credential_kind::none, "", false, false, {}, false, check_verdict::ok, ""},
      {"a live sign-in", credential_kind::sign_in, "", true, true, seconds(60), false, check_verdict::ok, ""},
      {"an expired sign-in that renews", credential_kind::sign_in, "", true, true, seconds(-60), false,
       check_verdict::ok, ""},
      {"an expired sign-in without renewal", credential_kind::sign_in, "", true, false, seconds(-60), false,
       check_verdict::warn, "run `awork-mcp login`"},
      {"plain http to another host", credential_kind::api_key, "AWORK_API_KEY", false, false, {}, true,
       check_verdict::warn, "use https://"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.name);
    configuration_facts f;
    f.url = "https://api.awork.com/api/v1/mcp";
    f.url_origin = "default";
    f.awork = r.awork;
    f.plain_http_remote = r.plain_http_remote;
    f.protocol = "auto";
    f.protocol_origin = "default";
    f.credential.kind = r.kind;
    f.credential.via = r.via;
    f.credential.key = "the-secret-key-value-123456";
    f.credential.expires_in = r.expires_in;
    f.credential.refreshable = r.refreshable;
    f.header_names = {"X-Team"};
    const auto line = judge_configuration(f);
    EXPECT_EQ(line.step, check_step::configuration);
    EXPECT_EQ(line.verdict, r.verdict) << line;
    EXPECT_TRUE(has(line.hint, r.hint_part)) << line;
    EXPECT_TRUE(has(line.detail, "https://api.awork.com/api/v1/mcp (default)")) << line;
    EXPECT_TRUE(has(line.detail, "protocol auto (default)")) << line;
    EXPECT_TRUE(has(line.detail, "headers X-Team (values not shown)")) << line;
    EXPECT_FALSE(has(line.detail + line.hint, "the-secret-key-value-123456")) << line;
    expect_hint_when_needed(line);
  }
}

// ---- proxy and DNS ----------------------------------------------------------------------------

TEST(check_steps, proxy_table) {
  proxy_facts none{"api.awork.com", std::nullopt, "", "", false};
  EXPECT_EQ(judge_proxy(none).detail, "none");
  proxy_facts bypassed{"api.awork.com", std::nullopt, "", "NO_PROXY", false};
  EXPECT_EQ(judge_proxy(bypassed).detail, "none: NO_PROXY exempts api.awork.com");
  proxy_facts disabled{"api.awork.com", std::nullopt, "", "", true};
  EXPECT_EQ(judge_proxy(disabled).detail, "none: --proxy '' ignores the environment");
  proxy_facts used{"api.awork.com", parse_proxy("http://bob:hunter22@proxy:3128"), "HTTPS_PROXY", "", false};
  const auto line = judge_proxy(used);
  EXPECT_EQ(line.verdict, check_verdict::ok);
  EXPECT_EQ(line.detail, "http://bob:***@proxy:3128 (from HTTPS_PROXY), a CONNECT tunnel to api.awork.com");
  EXPECT_FALSE(has(line.detail, "hunter22"));
}

TEST(check_steps, dns_table) {
  struct row {
    const char* name;
    dns_facts facts;
    check_verdict verdict;
    std::string detail_part;
    std::string hint_part;
  };
  const row rows[] = {
      {"resolved", {"api.awork.com", "", false, {"1.2.3.4", "2a05::1"}, milliseconds(12), "", false, {}},
       check_verdict::ok, "api.awork.com → 1.2.3.4, 2a05::1", ""},
      {"many addresses", {"h", "", false, {"1.0.0.1", "1.0.0.2", "1.0.0.3", "1.0.0.4", "1.0.0.5", "1.0.0.6"}, {}, "", false, {}},
       check_verdict::ok, "h → 1.0.0.1, 1.0.0.2, 1.0.0.3, 1.0.0.4 and 2 more", ""},
      {"an address", {"127.0.0.1", "", true, {"127.0.0.1"}, {}, "", false, {}}, check_verdict::ok,
       "127.0.0.1 is an IP address: nothing to look up", ""},
      {"a proxy's name", {"proxy.corp", "api.awork.com", false, {"10.0.0.1"}, {}, "", false, {}}, check_verdict::ok,
       "the proxy's host proxy.corp → 10.0.0.1; the proxy resolves api.awork.com", ""},
      {"a proxy's address", {"10.0.0.1", "api.awork.com", true, {"10.0.0.1"}, {}, "", false, {}}, check_verdict::skip,
       "the proxy 10.0.0.1 is an IP address, and it resolves api.awork.com itself", ""},
      {"unknown name", {"api.awrok.com", "", false, {}, {}, "Host not found (authoritative)", false, {}},
       check_verdict::fail, "cannot resolve api.awrok.com: Host not found", "check the host name in --url"},
      {"silent resolver", {"api.awork.com", "", false, {}, {}, "Operation canceled", true, milliseconds(10000)},
       check_verdict::fail, "no answer within 10 s", "DNS resolver does not answer"},
      {"unknown proxy", {"proxy.corp", "api.awork.com", false, {}, {}, "Host not found", false, {}},
       check_verdict::fail, "cannot resolve the proxy's host proxy.corp", "--proxy or HTTPS_PROXY"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.name);
    const auto line = judge_dns(r.facts);
    EXPECT_EQ(line.step, check_step::dns);
    EXPECT_EQ(line.verdict, r.verdict) << line;
    EXPECT_TRUE(has(line.detail, r.detail_part)) << line;
    EXPECT_TRUE(has(line.hint, r.hint_part)) << line;
    expect_hint_when_needed(line);
  }
}

// ---- TCP --------------------------------------------------------------------------------------

TEST(check_steps, connect_errors_are_classified) {
  namespace error = boost::asio::error;
  EXPECT_EQ(classify_connect_error({}), connect_problem::none);
  EXPECT_EQ(classify_connect_error(error::connection_refused), connect_problem::refused);
  EXPECT_EQ(classify_connect_error(boost::beast::error::timeout), connect_problem::timed_out);
  EXPECT_EQ(classify_connect_error(error::timed_out), connect_problem::timed_out);
  EXPECT_EQ(classify_connect_error(error::network_unreachable), connect_problem::unreachable);
  EXPECT_EQ(classify_connect_error(error::host_unreachable), connect_problem::unreachable);
  EXPECT_EQ(classify_connect_error(error::access_denied), connect_problem::other);
}

TEST(check_steps, tcp_table) {
  const auto facts = [](connect_problem problem, bool via_proxy, unsigned tunnel_status = 200, bool credentials = false,
                        std::string tunnel_error = {}) {
    tcp_facts f;
    f.target = via_proxy ? "proxy:3128" : "api.awork.com:443";
    f.via_proxy = via_proxy;
    f.address = "10.0.0.1:443";
    f.elapsed = milliseconds(5);
    f.problem = problem;
    f.error = problem == connect_problem::none ? "" : "Connection refused";
    f.timeout = milliseconds(10000);
    f.tunnel_to = "api.awork.com:443";
    f.tunnel_status = tunnel_status;
    f.tunnel_reason = tunnel_status == 407 ? "Proxy Authentication Required" : "";
    f.tunnel_error = std::move(tunnel_error);
    f.proxy_credentials = credentials;
    f.tunnel_elapsed = milliseconds(7);
    return f;
  };
  struct row {
    const char* name;
    tcp_facts facts;
    check_verdict verdict;
    std::string detail_part;
    std::string hint_part;
  };
  const row rows[] = {
      {"connected", facts(connect_problem::none, false), check_verdict::ok, "10.0.0.1:443", ""},
      {"refused", facts(connect_problem::refused, false), check_verdict::fail,
       "cannot connect to api.awork.com:443: Connection refused", "nothing listens at api.awork.com:443"},
      {"silent", facts(connect_problem::timed_out, false), check_verdict::fail, "no answer within 10 s",
       "a firewall may drop the connection"},
      {"no route", facts(connect_problem::unreachable, false), check_verdict::fail, "cannot connect",
       "no route to api.awork.com:443"},
      {"proxy refused", facts(connect_problem::refused, true), check_verdict::fail,
       "cannot connect to the proxy at proxy:3128", "check --proxy or HTTPS_PROXY"},
      {"tunnel open", facts(connect_problem::none, true), check_verdict::ok,
       "the proxy at 10.0.0.1:443; the proxy's tunnel to api.awork.com:443 is open", ""},
      {"proxy wants a password", facts(connect_problem::none, true, 407), check_verdict::fail,
       "was refused: HTTP 407 Proxy Authentication Required", "http://user:password@host:port"},
      {"proxy refuses the password", facts(connect_problem::none, true, 407, true), check_verdict::fail,
       "HTTP 407", "refused the user name or password"},
      {"proxy forbids the host", facts(connect_problem::none, true, 403), check_verdict::fail, "HTTP 403",
       "NO_PROXY"},
      {"proxy cannot reach", facts(connect_problem::none, true, 502), check_verdict::fail, "HTTP 502",
       "could not reach api.awork.com:443"},
      {"not a proxy", facts(connect_problem::none, true, 0, false, "end of stream"), check_verdict::fail,
       "failed: end of stream", "names an HTTP proxy"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.name);
    const auto line = judge_tcp(r.facts);
    EXPECT_EQ(line.step, check_step::tcp_connect);
    EXPECT_EQ(line.verdict, r.verdict) << line;
    EXPECT_TRUE(has(line.detail, r.detail_part)) << line;
    EXPECT_TRUE(has(line.hint, r.hint_part)) << line;
    expect_hint_when_needed(line);
  }
  EXPECT_EQ(judge_tcp(facts(connect_problem::none, true)).ms, milliseconds(12)) << "connect and tunnel together";
}

// ---- TLS --------------------------------------------------------------------------------------

TEST(check_steps, certificate_expiry_rule) {
  const std::pair<long, check_verdict> rows[] = {
      {-30, check_verdict::fail}, {-1, check_verdict::fail}, {0, check_verdict::warn},  {1, check_verdict::warn},
      {13, check_verdict::warn},  {14, check_verdict::ok},   {15, check_verdict::ok},   {400, check_verdict::ok},
  };
  for (const auto& [days, verdict] : rows) EXPECT_EQ(expiry_verdict(days), verdict) << days << " days";
}

TEST(check_steps, verification_results_are_classified) {
  const std::pair<long, tls_problem> rows[] = {
      {X509_V_OK, tls_problem::none},
      {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, tls_problem::unknown_ca},
      {X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, tls_problem::unknown_ca},
      {X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, tls_problem::unknown_ca},
      {X509_V_ERR_CERT_HAS_EXPIRED, tls_problem::expired},
      {X509_V_ERR_CERT_NOT_YET_VALID, tls_problem::not_yet_valid},
      {X509_V_ERR_HOSTNAME_MISMATCH, tls_problem::wrong_host},
      {X509_V_ERR_IP_ADDRESS_MISMATCH, tls_problem::wrong_host},
      {X509_V_ERR_CERT_REVOKED, tls_problem::other},
  };
  for (const auto& [code, problem] : rows) EXPECT_EQ(classify_verify_result(code), problem) << code;
}

TEST(check_steps, tls_table) {
  const auto facts = [] {
    tls_facts f;
    f.host = "api.awork.com";
    f.version = "TLSv1.3";
    f.subject = "CN=api.awork.com";
    f.issuer = "CN=R11,O=Let's Encrypt,C=US";
    f.not_after = "2027-01-31";
    f.days_left = 60;
    f.elapsed = milliseconds(30);
    return f;
  };
  struct row {
    const char* name;
    tls_facts facts;
    check_verdict verdict;
    std::string detail_part;
    std::string hint_part;
  };
  std::vector<row> rows;
  rows.push_back({"verified", facts(), check_verdict::ok,
                  "TLSv1.3; certificate CN=api.awork.com, issued by CN=R11,O=Let's Encrypt,C=US, valid until 2027-01-31 "
                  "(60 days left); verified for api.awork.com",
                  ""});
  auto soon = facts();
  soon.days_left = 5;
  rows.push_back({"expiring", soon, check_verdict::warn, "(5 days left)", "expires in 5 days"});
  auto plain = facts();
  plain.plain_http = true;
  plain.loopback = true;
  rows.push_back({"http to loopback", plain, check_verdict::skip, "plain http:// to a loopback address: no TLS", ""});
  auto plain_remote = plain;
  plain_remote.loopback = false;
  rows.push_back({"http elsewhere", plain_remote, check_verdict::warn, "nothing is encrypted", "use https://"});
  auto unknown = facts();
  unknown.verify_code = X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
  unknown.verify_text = "unable to get local issuer certificate";
  rows.push_back({"unknown CA", unknown, check_verdict::fail,
                  "the certificate is not trusted: unable to get local issuer certificate; certificate CN=api.awork.com",
                  "use --ca-file or SSL_CERT_FILE"});
  auto unknown_with_file = unknown;
  unknown_with_file.ca_file = "/etc/corp.pem";
  rows.push_back({"unknown CA despite --ca-file", unknown_with_file, check_verdict::fail, "not trusted",
                  "--ca-file /etc/corp.pem does not hold the CA"});
  auto expired = facts();
  expired.verify_code = X509_V_ERR_CERT_HAS_EXPIRED;
  expired.verify_text = "certificate has expired";
  expired.days_left = -3;
  rows.push_back({"expired", expired, check_verdict::fail, "(3 days ago)", "has expired: tell its operators"});
  auto early = facts();
  early.verify_code = X509_V_ERR_CERT_NOT_YET_VALID;
  rows.push_back({"not yet valid", early, check_verdict::fail, "not trusted", "date and time"});
  auto wrong = facts();
  wrong.verify_code = X509_V_ERR_HOSTNAME_MISMATCH;
  wrong.verify_text = "hostname mismatch";
  rows.push_back({"another host's", wrong, check_verdict::fail, "hostname mismatch", "not for api.awork.com"});
  auto not_tls = tls_facts{};
  not_tls.host = "api.awork.com";
  not_tls.handshake_error = "wrong version number (SSL routines)";
  rows.push_back({"not TLS", not_tls, check_verdict::fail, "handshake with api.awork.com failed: wrong version number",
                  "the port does not speak TLS"});
  auto old = not_tls;
  old.handshake_error = "unsupported protocol (SSL routines)";
  rows.push_back({"old TLS", old, check_verdict::fail, "unsupported protocol", "older than 1.2"});
  auto silent = not_tls;
  silent.handshake_error = "The socket was closed due to a timeout";
  silent.timed_out = true;
  silent.timeout = milliseconds(2500);
  rows.push_back({"silent", silent, check_verdict::fail, "no answer within 2.5 s", "did not complete TLS"});
  auto cut = not_tls;
  cut.handshake_error = "stream truncated";
  rows.push_back({"cut", cut, check_verdict::fail, "stream truncated", "firewall or proxy"});
  auto setup = tls_facts{};
  setup.ca_file = "/tmp/not-pem";
  setup.setup_error = "no certificate or crl found";
  rows.push_back({"unreadable --ca-file", setup, check_verdict::fail, "could not be loaded", "check --ca-file /tmp/not-pem"});

  for (const auto& r : rows) {
    SCOPED_TRACE(r.name);
    const auto line = judge_tls(r.facts);
    EXPECT_EQ(line.step, check_step::tls);
    EXPECT_EQ(line.verdict, r.verdict) << line;
    EXPECT_TRUE(has(line.detail, r.detail_part)) << line;
    EXPECT_TRUE(has(line.hint, r.hint_part)) << line;
    expect_hint_when_needed(line);
  }
}

// ---- authentication ---------------------------------------------------------------------------

TEST(check_steps, authentication_table) {
  struct row {
    unsigned status;
    credential_kind credential;
    bool awork;
    std::string challenge_error;
    check_verdict verdict;
    std::string detail_part;
    std::string hint_part;
  };
  const row rows[] = {
      {200, credential_kind::api_key, true, "", check_verdict::ok, "HTTP 200 OK to initialize with the API key", ""},
      {202, credential_kind::none, false, "", check_verdict::ok, "with no credential", ""},
      {401, credential_kind::api_key, true, "", check_verdict::fail, "the API key was rejected",
       "the key was rejected: check AWORK_API_KEY / --api-key-file (awork: Settings → Integrations → API), or run "
       "`awork-mcp login`"},
      {401, credential_kind::api_key, false, "invalid_token", check_verdict::fail, "was rejected (invalid_token)",
       "the key was rejected: check AWORK_API_KEY"},
      {401, credential_kind::sign_in, true, "", check_verdict::fail, "the stored sign-in was rejected",
       "run `awork-mcp login`"},
      {401, credential_kind::none, true, "", check_verdict::fail, "the server wants a credential",
       "set AWORK_API_KEY (or --api-key-file), or run `awork-mcp login`"},
      {401, credential_kind::header, false, "", check_verdict::fail, "the Authorization --header was rejected",
       "value of the Authorization --header"},
      {403, credential_kind::api_key, true, "", check_verdict::fail, "permission denied", "check its permissions"},
      {403, credential_kind::sign_in, true, "insufficient_scope", check_verdict::fail, "insufficient_scope",
       "run `awork-mcp login` again"},
      {404, credential_kind::api_key, true, "", check_verdict::fail, "no MCP endpoint at https://x/mcp",
       "check the path in --url"},
      {405, credential_kind::api_key, true, "", check_verdict::fail, "refused", "Streamable HTTP MCP endpoint"},
      {429, credential_kind::api_key, true, "", check_verdict::warn, "rate limited, retry after 30 s", "wait"},
      {308, credential_kind::api_key, true, "", check_verdict::warn, "redirected to https://y/mcp",
       "put the new URL in --url"},
      {302, credential_kind::api_key, true, "", check_verdict::fail, "redirected", "does not follow"},
      {503, credential_kind::api_key, true, "", check_verdict::fail, "the server failed", "try again later"},
      {0, credential_kind::api_key, true, "", check_verdict::fail, "no answer to initialize with the API key: connection reset",
       "try again"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::to_string(r.status) + " " + r.challenge_error);
    auth_facts f;
    f.method = "initialize";
    f.credential = r.credential;
    f.awork = r.awork;
    f.url = "https://x/mcp";
    f.status = r.status;
    f.reason = r.status == 200 ? "OK" : "";
    f.error = r.status == 0 ? "connection reset" : "";
    f.challenge_error = r.challenge_error;
    f.location = r.status / 100 == 3 ? "https://y/mcp" : "";
    f.retry_after = r.status == 429 ? std::optional(seconds(30)) : std::nullopt;
    f.elapsed = milliseconds(40);
    const auto line = judge_auth(f);
    EXPECT_EQ(line.step, check_step::auth);
    EXPECT_EQ(line.verdict, r.verdict) << line;
    EXPECT_TRUE(has(line.detail, r.detail_part)) << line;
    EXPECT_TRUE(has(line.hint, r.hint_part)) << line;
    expect_hint_when_needed(line);
    EXPECT_EQ(auth_lets_through(r.status), r.status >= 200 && r.status < 300);
  }
}

// ---- the server -------------------------------------------------------------------------------

TEST(check_steps, server_table) {
  server_facts legacy;
  legacy.name = "awork";
  legacy.version = "1.4.0";
  legacy.protocol_version = "2025-06-18";
  legacy.tools = 42;
  legacy.round_trip = milliseconds(35);
  legacy.round_trip_method = "ping";
  auto line = judge_server(legacy);
  EXPECT_EQ(line.verdict, check_verdict::ok);
  EXPECT_EQ(line.detail, "awork 1.4.0; MCP 2025-06-18 (legacy: initialize and a session); 42 tools; ping round trip");
  EXPECT_EQ(line.ms, milliseconds(35));

  server_facts modern = legacy;
  modern.modern = true;
  modern.protocol_version = "2026-07-28";
  modern.tools = 1;
  modern.round_trip_method = "tools/list";
  EXPECT_EQ(judge_server(modern).detail,
            "awork 1.4.0; MCP 2026-07-28 (modern: stateless, server/discover); 1 tool; tools/list round trip");

  server_facts no_tools = legacy;
  no_tools.tools.reset();
  no_tools.tools_error = "Forbidden (-32003)";
  line = judge_server(no_tools);
  EXPECT_EQ(line.verdict, check_verdict::warn);
  EXPECT_TRUE(has(line.detail, "tools/list failed: Forbidden (-32003)"));
  expect_hint_when_needed(line);

  server_facts refused;
  refused.handshake_error = "Unsupported protocol version (-32602)";
  line = judge_server(refused);
  EXPECT_EQ(line.verdict, check_verdict::fail);
  EXPECT_EQ(line.detail, "initialize failed: Unsupported protocol version (-32602)");
  expect_hint_when_needed(line);

  server_facts insisted;
  insisted.modern_required = true;
  line = judge_server(insisted);
  EXPECT_EQ(line.verdict, check_verdict::fail);
  EXPECT_TRUE(has(line.hint, "--protocol auto"));

  server_facts unnamed;
  unnamed.protocol_version = "2025-03-26";
  unnamed.round_trip_method = "ping";
  unnamed.round_trip_error = "HTTP 500";
  line = judge_server(unnamed);
  EXPECT_TRUE(has(line.detail, "a server without a name; MCP 2025-03-26")) << line;
  EXPECT_TRUE(has(line.detail, "ping failed: HTTP 500")) << line;
  EXPECT_EQ(line.verdict, check_verdict::warn);
}

// ---- rate limits ------------------------------------------------------------------------------

TEST(check_steps, rate_limit_headers_table) {
  const std::pair<const char*, bool> rows[] = {
      {"X-RateLimit-Limit", true}, {"x-ratelimit-remaining", true}, {"X-Rate-Limit-Reset", true},
      {"RateLimit", true},         {"RateLimit-Policy", true},      {"ratelimit-reset", true},
      {"Retry-After", true},       {"X-RateLimit-", false},         {"RateLimiter", false},
      {"Content-Type", false},     {"x-request-id", false},
  };
  for (const auto& [name, wanted] : rows) EXPECT_EQ(is_rate_limit_header(name), wanted) << name;

  header_list seen;
  note_rate_limit_headers(seen, {{"Content-Type", "application/json"}, {"X-RateLimit-Remaining", "99"}});
  note_rate_limit_headers(seen, {{"x-ratelimit-remaining", "98"}, {"Retry-After", "5"}});
  EXPECT_EQ(seen, (header_list{{"X-RateLimit-Remaining", "98"}, {"Retry-After", "5"}}));
}

TEST(check_steps, rate_limits_table) {
  EXPECT_EQ(judge_rate_limits({}).detail, "none on the server's replies");
  EXPECT_EQ(judge_rate_limits({}).verdict, check_verdict::ok);
  const auto shown = judge_rate_limits({{{"X-RateLimit-Limit", "100"}, {"X-RateLimit-Remaining", "97"}}, false});
  EXPECT_EQ(shown.verdict, check_verdict::ok);
  EXPECT_EQ(shown.detail, "x-ratelimit-limit: 100, x-ratelimit-remaining: 97");
  const auto spent = judge_rate_limits({{{"RateLimit-Remaining", "0"}}, false});
  EXPECT_EQ(spent.verdict, check_verdict::warn);
  expect_hint_when_needed(spent);
  EXPECT_EQ(judge_rate_limits({{{"Retry-After", "30"}}, true}).verdict, check_verdict::warn);
  EXPECT_EQ(judge_rate_limits({{{"X-Note", "a\r\nb"}}, false}).detail, "x-note: a  b") << "control characters never pass";
}
