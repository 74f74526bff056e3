// `awork-mcp check` run as a user runs it, against the test server on loopback: a healthy TLS
// server, a rejected key, a closed port, untrusted and near-expiry certificates, a proxy, a
// 2026-07-28 server, and the JSON report.

#include "connect_proxy.hpp"
#include "mcp_fixture.hpp"
#include "test_pki.hpp"

#include <boost/asio.hpp>

#include <regex>
#include <sstream>

namespace {

using namespace std::chrono_literals;
using test_support::connect_proxy;

constexpr const char* api_key = "awork-test-key-0123456789abcdefXYZ9";  // 35 chars

struct check_result {
  std::optional<int> exit_code;
  std::string out;
  std::string err;
  std::chrono::milliseconds took{0};
};

check_result run_check(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  bridge_process::options opts;
  opts.args = std::move(args);
  opts.env = std::move(env);
  const auto start = std::chrono::steady_clock::now();
  bridge_process process(opts);
  process.expect_any_exit();  // returned in check_result: the caller asserts it
  check_result result;
  while (auto line = process.read_line(30s)) result.out += *line + "\n";
  result.exit_code = process.wait(30s);
  result.took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  result.err = process.stderr_text();
  return result;
}

// The report's line for a step (by its label, "TLS", "authentication"), or "" when it has none.
std::string line_of(const std::string& out, std::string_view label) {
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() < 22) continue;
    std::string_view column = std::string_view(line).substr(6, 16);
    while (!column.empty() && column.back() == ' ') column.remove_suffix(1);
    if (column == label) return line;
  }
  return {};
}

// The "→ what to do" line under a step's line.
std::string hint_of(const std::string& out, std::string_view label) {
  const auto line = line_of(out, label);
  if (line.empty()) return {};
  const auto at = out.find(line);
  const auto next = out.find('\n', at);
  if (next == std::string::npos) return {};
  const auto end = out.find('\n', next + 1);
  const std::string hint = out.substr(next + 1, end - next - 1);
  return hint.find("→ ") != std::string::npos ? hint : std::string();
}

std::vector<recorded_request> posts_with_method_of(const test_server& server, std::string_view method) {
  std::vector<recorded_request> out;
  for (auto& r : server.requests()) {
    boost::system::error_code ec;
    const auto body = json::parse(r.body, ec);
    if (r.method == "POST" && !ec && body.is_object() && has_method(body.as_object(), method)) out.push_back(r);
  }
  return out;
}

bool starts_with(const std::string& text, std::string_view prefix) { return text.rfind(prefix, 0) == 0; }

unsigned short closed_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();  // closed again when the acceptor goes
}

class check_test : public ::testing::Test {
 protected:
  void SetUp() override {
    // Three tools and rate-limit headers on every tools/list answer.
    mcp.on_post = [](const test_support::request&, server_reply& reply, const json::object& msg) {
      if (!has_method(msg, "tools/list")) return false;
      json::array tools;
      for (const char* name : {"a", "b", "c"}) tools.push_back(json::object{{"name", name}, {"inputSchema", json::object{}}});
      const auto text = json::serialize(
          json::object{{"jsonrpc", "2.0"}, {"id", msg.at("id")}, {"result", json::object{{"tools", tools}}}});
      reply.json(200, text, {{"X-RateLimit-Limit", "100"}, {"X-RateLimit-Remaining", "99"}});
      return true;
    };
  }
  test_support::test_pki pki;
  fake_mcp mcp;
};

}  // namespace

TEST_F(check_test, a_healthy_tls_server_is_ok_at_every_step) {
  test_server server([this](const auto& r, auto& w) { mcp.handle(r, w); },
                     test_server::tls_files{pki.good_chain, pki.good_key});
  const auto result = run_check({"check", "--url", server.url(), "--ca-file", pki.ca}, {{"AWORK_API_KEY", api_key}});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  for (const char* label : {"configuration", "proxy", "DNS", "TCP connect", "TLS", "authentication", "server", "rate limits"})
    EXPECT_TRUE(starts_with(line_of(result.out, label), "ok    ")) << label << " in\n" << result.out;

  const auto configuration = line_of(result.out, "configuration");
  EXPECT_NE(configuration.find(server.url() + " (--url)"), std::string::npos) << configuration;
  EXPECT_NE(configuration.find("API key from AWORK_API_KEY, 35 chars, ends …XYZ9"), std::string::npos) << configuration;
  EXPECT_EQ(result.out.find(api_key), std::string::npos) << "the key itself must never be shown";
  EXPECT_NE(line_of(result.out, "DNS").find("127.0.0.1 is an IP address"), std::string::npos);
  EXPECT_NE(line_of(result.out, "TCP connect").find("127.0.0.1:" + std::to_string(server.port())), std::string::npos);

  const auto tls = line_of(result.out, "TLS");
  EXPECT_NE(tls.find("TLSv1.3"), std::string::npos) << tls;
  EXPECT_NE(tls.find("certificate CN=good, issued by CN=awork-mcp test CA"), std::string::npos) << tls;
  EXPECT_NE(tls.find("days left"), std::string::npos) << tls;
  EXPECT_NE(tls.find("verified for 127.0.0.1"), std::string::npos) << tls;

  EXPECT_NE(line_of(result.out, "authentication").find("HTTP 200 OK to initialize with the API key"), std::string::npos)
      << result.out;
  const auto about_server = line_of(result.out, "server");
  EXPECT_NE(about_server.find("fake 1; MCP 2025-11-25 (legacy"), std::string::npos) << about_server;
  EXPECT_NE(about_server.find("3 tools"), std::string::npos) << about_server;
  EXPECT_NE(about_server.find("ping round trip ("), std::string::npos) << about_server;
  const auto limits = line_of(result.out, "rate limits");
  EXPECT_NE(limits.find("x-ratelimit-limit: 100, x-ratelimit-remaining: 99"), std::string::npos) << limits;
  EXPECT_NE(result.out.find("Result: ok; exit status 0"), std::string::npos) << result.out;

  // server/discover first (auto), then the handshake with the key, and the session ended.
  const auto discover = posts_with_method_of(server, "server/discover");
  ASSERT_EQ(discover.size(), 1u);
  EXPECT_EQ(discover.front().header("MCP-Protocol-Version"), "2026-07-28");
  for (const auto& request : server.requests())
    EXPECT_EQ(request.header("Authorization"), std::string("Bearer ") + api_key) << request.method << " " << request.body;
  EXPECT_TRUE(server.wait_for([&](const recorded_request& r) { return r.method == "DELETE" && r.header("Mcp-Session-Id") == "s1"; }, 1s));
  EXPECT_EQ(server.connections_accepted(), 1u) << "the requests reuse the connection the check opened";
}

TEST_F(check_test, json_has_every_step_in_order) {
  test_server server([this](const auto& r, auto& w) { mcp.handle(r, w); },
                     test_server::tls_files{pki.good_chain, pki.good_key});
  const auto result =
      run_check({"--url", server.url(), "--ca-file", pki.ca, "check", "--json"}, {{"AWORK_API_KEY", api_key}});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  boost::system::error_code ec;
  const auto report = json::parse(result.out, ec);
  ASSERT_FALSE(ec) << result.out;
  EXPECT_EQ(report.at("ok"), true);
  EXPECT_EQ(report.at("exitCode"), 0);
  EXPECT_EQ(report.at("url"), json::value(server.url()));
  const auto& steps = report.at("steps").as_array();
  const std::vector<std::string> ids{"configuration", "proxy", "dns", "tcp", "tls", "auth", "server", "rate_limits"};
  ASSERT_EQ(steps.size(), ids.size()) << result.out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(steps[i].at("step"), json::value(ids[i]));
    EXPECT_EQ(steps[i].at("verdict"), "ok") << steps[i];
    EXPECT_TRUE(steps[i].at("detail").is_string());
    EXPECT_FALSE(steps[i].as_object().contains("hint")) << steps[i];
  }
  // Timings where a step is timed: loopback steps take from 0 ms to well under the test's bound.
  for (std::size_t i : {3u, 4u, 5u, 6u}) {
    ASSERT_TRUE(steps[i].as_object().contains("ms")) << steps[i];
    const auto ms = steps[i].at("ms").as_int64();
    EXPECT_GE(ms, 0) << steps[i];
    EXPECT_LT(ms, 5000) << steps[i];
  }
  EXPECT_EQ(result.out.find(api_key), std::string::npos);
}

TEST_F(check_test, a_rejected_key_fails_authentication_with_what_to_do) {
  mcp.on_request = [](const test_support::request& request, server_reply& reply) {
    if (request.method() != test_support::http::verb::post) return false;
    reply.json(401, R"({"error":"unauthorized"})", {{"WWW-Authenticate", R"(Bearer error="invalid_token")"}, {"Retry-After", "7"}});
    return true;
  };
  test_server server([this](const auto& r, auto& w) { mcp.handle(r, w); });
  const auto result = run_check({"check", "--url", server.url()}, {{"AWORK_API_KEY", api_key}});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  const auto auth = line_of(result.out, "authentication");
  EXPECT_TRUE(starts_with(auth, "FAIL  ")) << result.out;
  EXPECT_NE(auth.find("HTTP 401"), std::string::npos) << auth;
  EXPECT_NE(auth.find("the API key was rejected (invalid_token)"), std::string::npos) << auth;
  const auto hint = hint_of(result.out, "authentication");
  EXPECT_NE(hint.find("the key was rejected: check AWORK_API_KEY"), std::string::npos) << result.out;
  EXPECT_TRUE(starts_with(line_of(result.out, "TLS"), "skip  ")) << "plain http:// to loopback has no TLS";
  EXPECT_NE(line_of(result.out, "server").find("not tried: authentication failed"), std::string::npos) << result.out;
  EXPECT_NE(line_of(result.out, "rate limits").find("retry-after: 7"), std::string::npos) << result.out;
  EXPECT_EQ(posts_with_method_of(server, "initialize").size(), 0u) << "a 401 to server/discover settles it";
  EXPECT_EQ(result.out.find(api_key), std::string::npos);
}

TEST_F(check_test, a_forbidden_user_fails_on_permission) {
  mcp.on_request = [](const test_support::request& request, server_reply& reply) {
    if (request.method() != test_support::http::verb::post) return false;
    reply.json(403, R"({"error":"forbidden"})");
    return true;
  };
  test_server server([this](const auto& r, auto& w) { mcp.handle(r, w); });
  const auto result = run_check({"check", "--url", server.url(), "--protocol", "legacy"}, {{"AWORK_API_KEY", api_key}});
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_NE(line_of(result.out, "authentication").find("HTTP 403 Forbidden to initialize with the API key: permission denied"),
            std::string::npos)
      << result.out;
  EXPECT_NE(hint_of(result.out, "authentication").find("check its permissions"), std::string::npos) << result.out;
  EXPECT_NE(line_of(result.out, "configuration").find("protocol legacy (--protocol)"), std::string::npos) << result.out;
  EXPECT_EQ(posts_with_method_of(server, "server/discover").size(), 0u) << "--protocol legacy asks no server/discover";
}

TEST_F(check_test, a_closed_port_fails_at_tcp_connect) {
  const auto port = closed_port();
  const auto result = run_check({"check", "--url", "http://127.0.0.1:" + std::to_string(port) + "/mcp"});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  const auto tcp = line_of(result.out, "TCP connect");
  EXPECT_TRUE(starts_with(tcp, "FAIL  ")) << result.out;
  EXPECT_NE(tcp.find("cannot connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused"), std::string::npos) << tcp;
  EXPECT_NE(hint_of(result.out, "TCP connect").find("nothing listens at 127.0.0.1:" + std::to_string(port)), std::string::npos)
      << result.out;
  for (const char* label : {"TLS", "authentication", "server", "rate limits"})
    EXPECT_EQ(line_of(result.out, label).find("skip  "), 0u) << label << "\n" << result.out;
  EXPECT_NE(line_of(result.out, "authentication").find("not tried: TCP connect failed"), std::string::npos);
  EXPECT_LT(result.took, 5s) << "a refused connection is known at once";
}

TEST_F(check_test, an_untrusted_certificate_fails_at_tls_and_nothing_is_sent) {
  test_server server([this](const auto& r, auto& w) { mcp.handle(r, w); },
                     test_server::tls_files{pki.good_chain, pki.good_key});
  const auto result = run_check({"check", "--url", server.url()}, {{"AWORK_API_KEY", api_key}});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  const auto tls = line_of(result.out, "TLS");
  EXPECT_TRUE(starts_with(tls, "FAIL  ")) << result.out;
  EXPECT_NE(tls.find("the certificate is not trusted: unable to get local issuer certificate"), std::string::npos) << tls;
  EXPECT_NE(tls.find("certificate CN=good, issued by CN=awork-mcp test CA"), std::string::npos) << tls;
  EXPECT_NE(hint_of(result.out, "TLS").find("use --ca-file or SSL_CERT_FILE"), std::string::npos) << result.out;
  EXPECT_NE(line_of(result.out, "authentication").find("not tried: TLS failed"), std::string::npos) << result.out;
  EXPECT_TRUE(server.requests().empty()) << "no request, and so no key, may go to an untrusted server";
}

TEST_F(check_test, a_certificate_for_another_host_fails_at_tls) {
  test_server server([this](const auto& r, auto& w) { mcp.handle(r, w); },
                     test_server::tls_files{pki.wrong_chain, pki.wrong_key});
  const auto result = run_check({"check", "--url", server.url(), "--ca-file", pki.ca}, {{"AWORK_API_KEY", api_key}});
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_NE(line_of(result.out, "TLS").find("IP address mismatch"), std::string::npos) << result.out;
  EXPECT_NE(hint_of(result.out, "TLS").find("the certificate is not for 127.0.0.1"), std::string::npos) << result.out;
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(check_test, a_certificate_near_its_expiry_is_a_warning) {
  test_server server([this](const auto& r, auto& w) { mcp.handle(r, w); },
                     test_server::tls_files{pki.soon_chain, pki.soon_key});
  const auto result = run_check({"check", "--url", server.url(), "--ca-file", pki.ca}, {{"AWORK_API_KEY", api_key}});
  EXPECT_EQ(result.exit_code, 0) << "a warning is no failure\n" << result.out;
  const auto tls = line_of(result.out, "TLS");
  EXPECT_TRUE(starts_with(tls, "warn  ")) << result.out;
  // Issued for 3 days a moment ago: 2 whole days left, or 3 within the second it was made.
  std::smatch days;
  ASSERT_TRUE(std::regex_search(tls, days, std::regex(R"(\((\d+) days left\))"))) << tls;
  EXPECT_GE(std::stoi(days[1]), 2) << tls;
  EXPECT_LE(std::stoi(days[1]), 3) << tls;
  EXPECT_NE(hint_of(result.out, "TLS").find("expires in " + days[1].str() + " days"), std::string::npos) << result.out;
  EXPECT_TRUE(starts_with(line_of(result.out, "server"), "ok    ")) << result.out;
  EXPECT_NE(result.out.find("Result: ok, with warnings (TLS)"), std::string::npos) << result.out;
}

TEST_F(check_test, a_proxy_is_named_without_its_password_and_tunnels_the_check) {
  connect_proxy proxy("Basic YWxpY2U6WnE3cHc5c2VjcmV0");  // alice:Zq7pw9secret
  test_server server([this](const auto& r, auto& w) { mcp.handle(r, w); });
  const auto proxy_url = "http://alice:Zq7pw9secret@127.0.0.1:" + std::to_string(proxy.port());
  const auto result = run_check({"check", "--url", server.url()}, {{"http_proxy", proxy_url}});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(result.out.find("Zq7pw9secret"), std::string::npos) << "the proxy's password must never be shown";
  EXPECT_NE(line_of(result.out, "proxy").find("http://alice:***@127.0.0.1:" + std::to_string(proxy.port()) +
                                              " (from http_proxy)"),
            std::string::npos)
      << result.out;
  EXPECT_NE(line_of(result.out, "DNS").find("the proxy 127.0.0.1 is an IP address, and it resolves 127.0.0.1 itself"),
            std::string::npos)
      << result.out;
  EXPECT_NE(line_of(result.out, "TCP connect").find("the proxy's tunnel to 127.0.0.1:" + std::to_string(server.port()) +
                                                    " is open"),
            std::string::npos)
      << result.out;
  EXPECT_NE(line_of(result.out, "authentication").find("HTTP 200 OK to initialize with no credential"), std::string::npos)
      << result.out;
  EXPECT_EQ(proxy.targets().front(), "127.0.0.1:" + std::to_string(server.port()));
}

TEST_F(check_test, a_proxy_that_refuses_the_tunnel_fails_at_tcp_connect) {
  connect_proxy proxy("Basic YWxpY2U6WnE3cHc5c2VjcmV0");
  test_server server([this](const auto& r, auto& w) { mcp.handle(r, w); });
  const auto result = run_check({"check", "--url", server.url(), "--proxy",
                                 "http://alice:wrong@127.0.0.1:" + std::to_string(proxy.port())});
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_NE(line_of(result.out, "TCP connect").find("was refused: HTTP 407"), std::string::npos) << result.out;
  EXPECT_NE(hint_of(result.out, "TCP connect").find("the proxy refused the user name or password"), std::string::npos)
      << result.out;
  EXPECT_NE(line_of(result.out, "proxy").find("(from --proxy)"), std::string::npos) << result.out;
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(check_test, a_2026_server_is_reported_as_modern) {
  mcp.sse = true;  // answers as event streams: the check reads them too
  auto tools = mcp.on_post;
  mcp.on_post = [tools](const test_support::request& request, server_reply& reply, const json::object& msg) {
    if (!has_method(msg, "server/discover")) return tools(request, reply, msg);
    const json::object meta{{"io.modelcontextprotocol/serverInfo", json::object{{"name", "modern-fake"}, {"version", "2.0"}}}};
    fake_mcp::answer(reply, msg.at("id"),
                     json::object{{"supportedVersions", json::array{"2026-07-28"}}, {"capabilities", json::object{}},
                                  {"_meta", meta}},
                     true);
    return true;
  };
  test_server server([this](const auto& r, auto& w) { mcp.handle(r, w); });
  const auto result = run_check({"check", "--url", server.url()});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto about_server = line_of(result.out, "server");
  EXPECT_NE(about_server.find("modern-fake 2.0; MCP 2026-07-28 (modern"), std::string::npos) << about_server;
  EXPECT_NE(about_server.find("3 tools"), std::string::npos) << about_server;
  EXPECT_NE(about_server.find("tools/list round trip ("), std::string::npos) << about_server;
  EXPECT_NE(line_of(result.out, "authentication").find("HTTP 200 OK to server/discover"), std::string::npos) << result.out;
  EXPECT_EQ(mcp.initialize_count, 0) << "a 2026-07-28 server needs no initialize";
  const auto listed = posts_with_method_of(server, "tools/list");
  ASSERT_FALSE(listed.empty());
  EXPECT_EQ(listed.front().header("Mcp-Method"), "tools/list");
  EXPECT_NE(listed.front().body.find("io.modelcontextprotocol/protocolVersion"), std::string::npos);
}
