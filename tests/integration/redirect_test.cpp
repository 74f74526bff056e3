// Redirects: a moved endpoint (307/308) is followed and remembered, credentials are not sent to
// another origin, and a redirect loop ends in an error for that request.

#include "mcp_fixture.hpp"

#include <algorithm>

using namespace std::chrono_literals;

namespace {

std::size_t hits(const test_server& server, std::string_view target) {
  auto requests = server.requests();
  return static_cast<std::size_t>(std::count_if(requests.begin(), requests.end(), [&](const recorded_request& r) { return r.target == target; }));
}

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

class redirect_test : public bridge_test, public ::testing::WithParamInterface<unsigned> {};

TEST_P(redirect_test, moved_endpoint_is_followed_and_remembered) {
  const unsigned status = GetParam();
  mcp.on_request = [status](const auto& req, server_reply& reply) {
    if (req.target() != "/mcp") return false;
    reply.empty(status, {{"Location", "/mcp/"}});
    return true;
  };
  start_bridge();
  auto init = handshake();
  ASSERT_TRUE(init.is_object() && init.as_object().contains("result")) << init;
  bridge->send(request_line(2, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "moved"}}}}));
  EXPECT_EQ(read_response(2).at("result").at("content").at(0).at("text"), "moved");
  bridge->send(request_line(3, "ping"));
  read_response(3);
  EXPECT_EQ(hits(*server, "/mcp"), 1u) << "the redirect was not remembered";
  EXPECT_GE(hits(*server, "/mcp/"), 4u);  // initialize, initialized, tools/call, ping
  EXPECT_EQ(posts_with_method("tools/call").at(0).target, "/mcp/");
}

INSTANTIATE_TEST_SUITE_P(status, redirect_test, ::testing::Values(307u, 308u),
                         [](const auto& p) { return "http_" + std::to_string(p.param); });

TEST_F(bridge_test, redirect_to_another_origin_drops_the_credentials) {
  fake_mcp other_mcp;
  test_server other([&](const auto& r, auto& w) { other_mcp.handle(r, w); });
  peers_stopped_at_scope_end stop_peers_first{*this};  // the handlers use this test's locals
  mcp.on_request = [&](const auto&, server_reply& reply) {
    reply.empty(307, {{"Location", other.url("/mcp")}});
    return true;
  };
  start_bridge({"--header", "X-Tenant: hdr-value-1"}, {{"AWORK_API_KEY", "k"}});
  bridge->send(initialize_line(1));
  auto arrived = other.wait_for([](const recorded_request& r) { return r.method == "POST"; }, 5s);
  ASSERT_TRUE(arrived) << "the redirect was not followed; stderr:\n" << bridge->stderr_text();
  EXPECT_EQ(arrived->header("Authorization"), "") << "the API key went to another origin";
  EXPECT_EQ(arrived->header("X-Tenant"), "") << "a --header value went to another origin";
  EXPECT_EQ(server->requests().at(0).header("Authorization"), "Bearer k") << "premise: the first origin got the key";
  read_response(1, 5s);
  bridge->close_stdin();
  bridge->wait(5s);
}

TEST_F(bridge_test, redirect_loop_ends_in_an_error_for_that_request) {
  mcp.on_request = [](const auto& req, server_reply& reply) {
    reply.empty(307, {{"Location", req.target() == "/a" ? "/b" : "/a"}});
    return true;
  };
  bridge_process::options opts;
  opts.args = {"--url", server->url("/a")};
  bridge = std::make_unique<bridge_process>(opts);
  bridge->send(initialize_line(1));
  auto response = read_response(1, 5s);
  EXPECT_TRUE(response.is_object() && response.as_object().contains("error")) << response;
  EXPECT_NE(lowercase(message_of(response)).find("redirect"), std::string::npos) << response;
  EXPECT_GE(hits(*server, "/b"), 1u) << "the redirect was not followed at all";
  EXPECT_LE(server->requests().size(), 25u) << "the loop was not cut short";
}
