// Request headers: extra headers from --header and from a --config file arrive, and a value the
// server chose (protocolVersion) cannot inject headers of its own.

#include "mcp_fixture.hpp"

using namespace std::chrono_literals;

TEST_F(bridge_test, protocol_version_with_a_line_break_cannot_inject_a_header) {
  mcp.on_post = [](const auto&, server_reply& reply, const json::object& msg) {
    if (!has_method(msg, "initialize")) return false;
    auto result = json::object{{"protocolVersion", "2025-06-18\r\nX-Injected: yes"},
                               {"capabilities", json::object{{"tools", json::object{}}}},
                               {"serverInfo", json::object{{"name", "evil"}, {"version", "1"}}}};
    reply.json(200, json::serialize(json::object{{"jsonrpc", "2.0"}, {"id", msg.at("id")}, {"result", result}}),
               {{"Mcp-Session-Id", "s1"}});
    return true;
  };
  start_bridge();
  handshake();
  bridge->send(request_line(2, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "still working"}}}}));
  auto response = read_response(2);
  EXPECT_EQ(response.at("result").at("content").at(0).at("text"), "still working") << response;
  for (const auto& r : server->requests()) {
    EXPECT_EQ(r.header("X-Injected"), "") << r.method << " " << r.body << " carried an injected header";
    EXPECT_EQ(r.header("MCP-Protocol-Version").find_first_of("\r\n"), std::string::npos);
  }
}

TEST_F(bridge_test, header_option_arrives_on_every_request) {
  start_bridge({"--header", "X-Tenant: acme", "--header", "X-Request-Source: tests"});
  handshake();
  bridge->send(request_line(2, "ping"));
  read_response(2);
  bridge->close_stdin();
  EXPECT_EQ(bridge->wait(5s), 0);
  auto requests = server->requests();
  ASSERT_GE(requests.size(), 3u);
  for (const auto& r : requests) {
    EXPECT_EQ(r.header("X-Tenant"), "acme") << r.method << " " << r.body;
    EXPECT_EQ(r.header("X-Request-Source"), "tests") << r.method << " " << r.body;
  }
}

TEST_F(bridge_test, config_file_sets_url_headers_and_log_level) {
  test_support::temp_dir dir;
  auto config = dir.file("awork-mcp.toml", "# written by the test\n"
                                           "url = \"" + server->url() + "\"\n"
                                           "header = [\"X-From-Config: 1\", \"X-Second: two\"]\n"
                                           "log-level = \"debug\"\n");
  bridge_process::options opts;
  opts.args = {"--config", config};  // no --url: it must come from the file
  bridge = std::make_unique<bridge_process>(opts);
  auto init = handshake();
  ASSERT_TRUE(init.is_object() && init.as_object().contains("result")) << bridge->stderr_text();
  auto first = posts_with_method("initialize").at(0);
  EXPECT_EQ(first.header("X-From-Config"), "1");
  EXPECT_EQ(first.header("X-Second"), "two");
  bridge->close_stdin();
  EXPECT_EQ(bridge->wait(5s), 0);
  EXPECT_NE(bridge->stderr_text().find("POST initialize"), std::string::npos)
      << "log-level from the file did not take effect:\n" << bridge->stderr_text();
}

// As Claude Desktop on Windows passes them: no spaces, the secret from the environment, and a
// file for the rest.
TEST_F(bridge_test, headers_without_spaces_from_the_environment_and_from_a_file) {
  test_support::temp_dir dir;
  auto file = dir.file("headers.txt", "# for the tests\r\nX-From-File: one\r\n\r\nX-Region: ${REGION}\r\n");
  start_bridge({"--header=X-Token:${TENANT_TOKEN}", "--header-file", file},
               {{"TENANT_TOKEN", "tok-123"}, {"REGION", "eu central"}});
  ASSERT_TRUE(handshake().as_object().contains("result")) << bridge->stderr_text();
  const auto first = posts_with_method("initialize").at(0);
  EXPECT_EQ(first.header("X-Token"), "tok-123");
  EXPECT_EQ(first.header("X-From-File"), "one");
  EXPECT_EQ(first.header("X-Region"), "eu central");
}

TEST_F(bridge_test, a_header_naming_an_unset_variable_stops_the_start_with_its_name) {
  start_bridge({"--header=Authorization:Bearer ${NOT_SET_ANYWHERE}"});
  bridge->expect_exit(2);
  EXPECT_EQ(bridge->wait(5s), 2);
  EXPECT_NE(bridge->stderr_text().find("${NOT_SET_ANYWHERE}, which is not set"), std::string::npos) << bridge->stderr_text();
}
