// Secrets stay out of what the client sees and what the logs keep: a token in the URL's query,
// a password in a malformed --proxy, and the value of any --header, even at --log-level trace.

#include "mcp_fixture.hpp"

using namespace std::chrono_literals;

TEST_F(bridge_test, token_in_the_url_query_is_not_in_errors_or_logs) {
  mcp.on_request = [](const auto&, server_reply& reply) {
    reply.empty(404);
    return true;
  };
  bridge_process::options opts;
  opts.args = {"--url", server->url("/mcp?token=SECRET123"), "--log-level", "trace"};
  bridge = std::make_unique<bridge_process>(opts);
  bridge->send(initialize_line(1));
  auto line = bridge->read_line(10s);
  ASSERT_TRUE(line) << bridge->stderr_text();
  EXPECT_NE(line->find("\"error\""), std::string::npos) << *line;
  EXPECT_EQ(line->find("SECRET123"), std::string::npos) << "the client's error shows the token: " << *line;
  bridge->close_stdin();
  EXPECT_EQ(bridge->wait(5s), 0);
  ASSERT_FALSE(server->requests().empty());
  EXPECT_EQ(server->requests().front().target, "/mcp?token=SECRET123") << "premise: the token is sent to the server";
  auto log = bridge->stderr_text();
  EXPECT_NE(log.find("POST"), std::string::npos) << "trace logging did not run";
  EXPECT_EQ(log.find("SECRET123"), std::string::npos) << log;
}

TEST_F(bridge_test, malformed_proxy_url_fails_without_echoing_its_password) {
  bridge_process::options opts;
  opts.args = {"--url", server->url(), "--proxy", "http://user:Pa55word@[bad"};
  bridge = std::make_unique<bridge_process>(opts);
  bridge->expect_exit(2);  // a usage error
  auto code = bridge->wait(5s);
  ASSERT_TRUE(code) << "the bridge started with a malformed --proxy";
  EXPECT_NE(*code, 0);
  auto log = bridge->stderr_text();
  EXPECT_NE(log.find("proxy"), std::string::npos) << "the error does not say what is wrong: " << log;
  EXPECT_EQ(log.find("Pa55word"), std::string::npos) << log;
  EXPECT_FALSE(bridge->read_line(100ms)) << "stdout must stay clean";
}

TEST_F(bridge_test, custom_header_value_arrives_but_is_never_logged) {
  start_bridge({"--log-level", "trace", "--header", "X-Custom: HDRSECRET"});
  handshake();
  bridge->send(request_line(2, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "x"}}}}));
  read_response(2);
  bridge->close_stdin();
  EXPECT_EQ(bridge->wait(5s), 0);
  EXPECT_EQ(posts_with_method("tools/call").at(0).header("X-Custom"), "HDRSECRET");
  auto log = bridge->stderr_text();
  EXPECT_NE(log.find("POST"), std::string::npos) << "trace logging did not run";
  EXPECT_EQ(log.find("HDRSECRET"), std::string::npos) << log;
}
