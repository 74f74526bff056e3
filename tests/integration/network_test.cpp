// Reaching the server: --connect-timeout bounds the whole connection set-up, proxies come from the
// environment as curl reads it, and TLS to a host name runs end to end through a CONNECT tunnel.

#include "connect_proxy.hpp"
#include "mcp_fixture.hpp"
#include "test_pki.hpp"

using namespace std::chrono_literals;
using test_support::connect_proxy;

namespace {

// The bridge is up and reading its stdin: it answers a line that is not JSON itself, without the
// network. A time measured from here on is the bridge's, not its start's (slow under a sanitizer
// on a loaded machine).
::testing::AssertionResult answers_locally(bridge_process& bridge) {
  bridge.send("not json");
  auto line = bridge.read_line(10s);
  if (line && line->find("-32700") != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "the bridge did not answer a line that is not JSON: "
                                       << (line ? *line : "nothing") << "\n" << bridge.stderr_text();
}

}  // namespace

TEST_F(bridge_test, connect_timeout_bounds_connect_tunnel_and_tls_together) {
  // A TLS port that accepts connections (the kernel completes them) but never speaks.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto port = silent.local_endpoint().port();
  connect_proxy proxy({}, 800ms);  // the tunnel takes 0.8 s, leaving 0.2 s for TLS
  bridge_process::options opts;
  opts.args = {"--url", "https://127.0.0.1:" + std::to_string(port) + "/mcp", "--proxy", proxy.url(),
               "--connect-timeout", "1"};
  bridge = std::make_unique<bridge_process>(opts);
  ASSERT_TRUE(answers_locally(*bridge));
  auto sent = std::chrono::steady_clock::now();
  bridge->send(initialize_line(1));
  auto response = read_response(1, 5s);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - sent);
  EXPECT_TRUE(response.is_object() && response.as_object().contains("error")) << response;
  EXPECT_FALSE(proxy.targets().empty()) << "premise: the bridge went through the proxy";
  EXPECT_GE(took, 900ms) << "gave up before the connect timeout";
  // Each stage on its own timeout takes >= 1.8 s (the 0.8 s tunnel, then 1 s of silent TLS).
  EXPECT_LE(took, 1600ms) << "--connect-timeout 1 took " << took.count() << " ms: each stage got its own timeout";
}

TEST_F(bridge_test, connect_timeout_counts_a_slow_tcp_connect_against_the_tunnel_and_tls_too) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto port = silent.local_endpoint().port();
  // The TCP connect to the proxy takes ~1 s (first SYN dropped), the tunnel another 0.9 s.
  connect_proxy proxy({}, 900ms, 300ms);
  bridge_process::options opts;
  opts.args = {"--url", "https://127.0.0.1:" + std::to_string(port) + "/mcp", "--proxy", proxy.url(),
               "--connect-timeout", "2"};
  bridge = std::make_unique<bridge_process>(opts);
  ASSERT_TRUE(answers_locally(*bridge));
  proxy.start_accept_delay();
  auto sent = std::chrono::steady_clock::now();
  bridge->send(initialize_line(1));
  auto response = read_response(1, 6s);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - sent);
  EXPECT_TRUE(response.is_object() && response.as_object().contains("error")) << response;
  auto times = proxy.connect_times();
  ASSERT_FALSE(times.empty()) << "premise: the bridge reached the proxy";
  EXPECT_GE(times.front() - sent, 800ms) << "premise: the TCP connect to the proxy was slow";
  EXPECT_GE(took, 1900ms) << "gave up before the connect timeout";
  // A connect not counted against the rest takes >= 3 s (the ~1 s SYN retransmission, then 2 s for
  // the tunnel and TLS); each stage on its own timeout, >= 3.9 s.
  EXPECT_LE(took, 2700ms) << "--connect-timeout 2 took " << took.count() << " ms: each stage got its own timeout";
}

TEST_F(bridge_test, uppercase_http_proxy_alone_is_ignored_for_http_urls) {
  connect_proxy proxy;
  start_bridge({}, {{"HTTP_PROXY", proxy.url()}});  // httpoxy: a CGI client could set it; curl ignores it
  handshake();
  bridge->send(request_line(2, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "direct"}}}}));
  EXPECT_EQ(read_response(2).at("result").at("content").at(0).at("text"), "direct");
  EXPECT_TRUE(proxy.targets().empty()) << "HTTP_PROXY was used: " << proxy.targets().front();
}

TEST_F(bridge_test, lowercase_http_proxy_is_used_for_http_urls) {
  connect_proxy proxy;
  start_bridge({}, {{"http_proxy", proxy.url()}});
  handshake();
  bridge->send(request_line(2, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "tunnelled"}}}}));
  EXPECT_EQ(read_response(2).at("result").at("content").at(0).at("text"), "tunnelled");
  auto targets = proxy.targets();
  ASSERT_FALSE(targets.empty());
  EXPECT_EQ(targets.front(), "127.0.0.1:" + std::to_string(server->port()));
}

TEST_F(bridge_test, tls_to_a_host_name_through_a_connect_tunnel) {
  test_support::test_pki pki;
  server = std::make_unique<test_server>([this](const auto& r, auto& w) { mcp.handle(r, w); },
                                         test_server::tls_files{pki.good_chain, pki.good_key});
  connect_proxy proxy;
  const std::string authority = "localhost:" + std::to_string(server->port());
  bridge_process::options opts;
  opts.args = {"--url", "https://" + authority + "/mcp", "--ca-file", pki.ca};
  opts.env = {{"HTTPS_PROXY", proxy.url()}};
  bridge = std::make_unique<bridge_process>(opts);
  auto init = handshake();
  ASSERT_TRUE(init.is_object() && init.as_object().contains("result")) << init << "\n" << bridge->stderr_text();
  bridge->send(request_line(2, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "by name"}}}}));
  EXPECT_EQ(read_response(2).at("result").at("content").at(0).at("text"), "by name");
  auto targets = proxy.targets();
  ASSERT_FALSE(targets.empty());
  EXPECT_EQ(targets.front(), authority) << "the tunnel must be opened to the host name, for SNI and the name check";
  EXPECT_EQ(posts_with_method("initialize").at(0).header("Host"), authority);
}
