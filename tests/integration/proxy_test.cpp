// Corporate proxies: the bridge tunnels through HTTPS_PROXY with CONNECT, honours NO_PROXY,
// and says so when the proxy refuses.

#include "connect_proxy.hpp"
#include "mcp_fixture.hpp"

using test_support::connect_proxy;

TEST_F(bridge_test, requests_go_through_the_proxy_from_the_environment) {
  connect_proxy proxy;
  start_bridge({}, {{"http_proxy", proxy.url()}});
  handshake();
  bridge->send(request_line(2, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "tunnelled"}}}}));
  EXPECT_EQ(read_response(2).at("result").at("content").at(0).at("text"), "tunnelled");
  auto targets = proxy.targets();
  ASSERT_FALSE(targets.empty());
  EXPECT_EQ(targets.front(), "127.0.0.1:" + std::to_string(server->port()));
  bridge->close_stdin();  // the session is deleted through the tunnel too
  EXPECT_EQ(bridge->wait(std::chrono::seconds(5)), 0);
  EXPECT_TRUE(server->wait_for([](const recorded_request& r) { return r.method == "DELETE"; }));
}

TEST_F(bridge_test, no_proxy_bypasses_the_proxy) {
  connect_proxy proxy;
  start_bridge({}, {{"http_proxy", proxy.url()}, {"no_proxy", "localhost,127.0.0.1"}});
  handshake();
  EXPECT_TRUE(proxy.targets().empty());
}

TEST_F(bridge_test, proxy_credentials_are_sent_and_a_refusal_is_explained) {
  connect_proxy proxy("Basic dXNlcjpwYXNz");  // user:pass
  start_bridge({"--proxy", "http://user:wrong@127.0.0.1:" + std::to_string(proxy.port())});
  bridge->send(initialize_line(1));
  auto refused = read_response(1);
  auto message = json::value_to<std::string>(refused.at("error").at("message"));
  EXPECT_NE(message.find("refused the tunnel: HTTP 407"), std::string::npos) << message;
  EXPECT_EQ(mcp.initialize_count, 0);

  bridge.reset();
  start_bridge({"--proxy", "http://user:pass@127.0.0.1:" + std::to_string(proxy.port())});
  EXPECT_TRUE(handshake().as_object().contains("result"));
  bridge->close_stdin();
  EXPECT_EQ(bridge->wait(std::chrono::seconds(5)), 0);
}
