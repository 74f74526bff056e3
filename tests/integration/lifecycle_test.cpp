// How the process ends: when the editor that started it dies, and when nobody reads stdout.

#include "mcp_fixture.hpp"

using namespace std::chrono_literals;

TEST_F(bridge_test, bridge_exits_promptly_when_its_parent_dies_mid_call) {
  gate release;
  mcp.on_post = [&](const auto&, server_reply& reply, const json::object& msg) {
    if (!has_method(msg, "tools/call")) return false;
    release.wait_for(20s);  // a slow tool; opened at the end of the test
    reply.cut();
    return true;
  };
  bridge_process::options opts;
  opts.args = {"--url", server->url(), "--drain-timeout", "10", "--log-level", "info"};
  opts.through_intermediate = true;
  bridge = std::make_unique<bridge_process>(opts);
  ASSERT_TRUE(handshake().as_object().contains("result"));
  bridge->send(request_line(2, "tools/call", {{"name", "slow"}}));
  ASSERT_TRUE(server->wait_for([](const recorded_request& r) { return r.body.find("tools/call") != std::string::npos; }));
  auto killed = std::chrono::steady_clock::now();
  bridge->kill_intermediate();  // the editor crashed; the bridge's pipes stay open (the test holds them)
  auto code = bridge->wait(5s);
  auto took = std::chrono::steady_clock::now() - killed;
  release.open();
  EXPECT_TRUE(code) << "the orphaned bridge kept running; stderr:\n" << bridge->stderr_text();
  EXPECT_LT(took, 2s) << "the orphaned bridge waited out --drain-timeout for nobody";
}

TEST_F(bridge_test, closed_stdout_ends_the_bridge_with_status_zero_within_two_seconds) {
  start_bridge();
  handshake();
  bridge->close_stdout();
  auto closed = std::chrono::steady_clock::now();
  bridge->send(request_line(2, "ping"));  // its answer meets a closed pipe
  auto code = bridge->wait(5s);
  ASSERT_TRUE(code) << "the bridge kept running with nobody reading";
  EXPECT_EQ(*code, 0) << bridge->stderr_text();
  EXPECT_LT(std::chrono::steady_clock::now() - closed, 2s);
}
