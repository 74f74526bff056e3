// Session renewal: one new session for many concurrent expired requests, and which HTTP errors
// mean "session gone" (renew and retry) and which are the server's answer to pass on.

#include "mcp_fixture.hpp"

#include <thread>

using namespace std::chrono_literals;

TEST_F(bridge_test, ten_concurrent_calls_on_an_expired_session_renew_it_once_and_all_succeed) {
  mcp.on_post = [&](const auto& req, server_reply& reply, const json::object& msg) {
    if (has_method(msg, "initialize") && mcp.initialize_count > 0)
      std::this_thread::sleep_for(200ms);  // renewal takes a while: the other calls' 404s arrive meanwhile
    // Like real servers: anything but initialize needs a session.
    if (!has_method(msg, "initialize") && req.find("Mcp-Session-Id") == req.end()) {
      reply.json(400, R"({"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"Bad Request: No valid session ID provided"}})");
      return true;
    }
    return false;
  };
  start_bridge();
  handshake();
  bridge->send(request_line(2, "ping"));
  ASSERT_TRUE(read_response(2).as_object().contains("result"));
  mcp.forget_sessions = true;
  for (int i = 10; i < 20; ++i)
    bridge->send(request_line(i, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "m" + std::to_string(i)}}}}));
  std::set<long long> answered;
  for (int i = 0; i < 10; ++i) {
    auto v = read_json(10s);
    if (!v.is_object()) break;
    EXPECT_TRUE(v.as_object().contains("result")) << v;
    if (v.as_object().contains("result")) {
      EXPECT_EQ(v.at("result").at("content").at(0).at("text"), json::value("m" + std::to_string(v.at("id").as_int64())));
    }
    answered.insert(v.at("id").as_int64());
  }
  EXPECT_EQ(answered.size(), 10u);
  EXPECT_EQ(posts_with_method("initialize").size(), 2u) << "one renewal for all the expired calls";
}

TEST_F(bridge_test, http_400_about_a_param_named_session_is_passed_on_not_renewed) {
  mcp.on_post = [](const auto&, server_reply& reply, const json::object& msg) {
    if (!has_method(msg, "tools/call")) return false;
    reply.json(400, R"({"jsonrpc":"2.0","id":2,"error":{"code":-32602,"message":"Invalid params: sessionName is required"}})");
    return true;
  };
  start_bridge();
  handshake();
  bridge->send(request_line(2, "tools/call", {{"name", "start_timer"}, {"arguments", json::object{}}}));
  auto response = read_response(2);
  EXPECT_EQ(response.at("error").at("code"), -32602) << response;
  EXPECT_NE(message_of(response).find("Invalid params: sessionName is required"), std::string::npos) << response;
  EXPECT_EQ(posts_with_method("initialize").size(), 1u) << "a parameter error was taken for an expired session";
  EXPECT_EQ(posts_with_method("tools/call").size(), 1u);
}

TEST_F(bridge_test, typescript_sdk_400_no_valid_session_renews_and_retries_the_call) {
  std::atomic<bool> refuse_s1{false};
  mcp.on_post = [&](const auto& req, server_reply& reply, const json::object&) {
    auto it = req.find("Mcp-Session-Id");
    if (refuse_s1 && it != req.end() && it->value() == "s1") {
      reply.json(400, R"({"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"Bad Request: No valid session ID provided"}})");
      return true;
    }
    return false;
  };
  start_bridge();
  handshake();
  bridge->send(request_line(2, "ping"));  // the handshake's notification is through
  ASSERT_TRUE(read_response(2).as_object().contains("result"));
  refuse_s1 = true;
  bridge->send(request_line(3, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "renewed"}}}}));
  std::vector<json::value> before;
  auto response = read_response(3, 10s, &before);
  EXPECT_EQ(response.at("result").at("content").at(0).at("text"), "renewed") << response;
  EXPECT_TRUE(before.empty());
  EXPECT_EQ(mcp.initialize_count, 2);
  auto calls = posts_with_method("tools/call");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].header("Mcp-Session-Id"), "s2");
}

TEST_F(bridge_test, http_404_to_a_request_with_a_session_renews_even_without_a_body) {
  std::atomic<bool> refuse_s1{false};
  mcp.on_post = [&](const auto& req, server_reply& reply, const json::object&) {
    auto it = req.find("Mcp-Session-Id");
    if (refuse_s1 && it != req.end() && it->value() == "s1") {
      reply.empty(404);
      return true;
    }
    return false;
  };
  start_bridge();
  handshake();
  bridge->send(request_line(2, "ping"));  // the handshake's notification is through
  ASSERT_TRUE(read_response(2).as_object().contains("result"));
  refuse_s1 = true;
  bridge->send(request_line(4, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "after 404"}}}}));
  auto response = read_response(4);
  EXPECT_EQ(response.at("result").at("content").at(0).at("text"), "after 404") << response;
  EXPECT_EQ(mcp.initialize_count, 2);
}

// The server forgets the session and the replayed initialize fails once (a 500). The bridge must
// not go on without a session for good: the next request renews again, and the GET stream
// follows the new session.
TEST_F(bridge_test, a_renewal_that_failed_once_is_tried_again_by_the_next_request) {
  std::atomic<int> failing_initializes{0};
  mcp.on_post = [&](const auto& req, server_reply& reply, const json::object& msg) {
    if (has_method(msg, "initialize") && failing_initializes > 0) {
      --failing_initializes;
      reply.json(500, R"({"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"Internal error"}})");
      return true;
    }
    // Like the TypeScript SDK: anything but initialize needs a session.
    if (!has_method(msg, "initialize") && req.find("Mcp-Session-Id") == req.end()) {
      reply.json(400, R"({"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"Bad Request: No valid session ID provided"}})");
      return true;
    }
    return false;
  };
  start_bridge();
  handshake();
  bridge->send(request_line(2, "ping"));
  ASSERT_TRUE(read_response(2).as_object().contains("result"));
  mcp.forget_sessions = true;
  failing_initializes = 1;
  bridge->send(request_line(3, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "lost"}}}}));
  const auto lost = read_response(3);
  EXPECT_TRUE(lost.as_object().contains("error")) << "premise: the failed renewal fails this call; " << lost;
  std::this_thread::sleep_for(1100ms);  // past the first back-off
  bridge->send(request_line(4, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "again"}}}}));
  const auto again = read_response(4);
  ASSERT_TRUE(again.as_object().contains("result")) << "the session was never renewed again: " << again;
  EXPECT_EQ(again.at("result").at("content").at(0).at("text"), "again");
  EXPECT_EQ(posts_with_method("initialize").size(), 3u);  // the editor's, the failed replay, the new one
  const auto current = mcp.current_session();
  const auto calls = posts_with_method("tools/call");
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back().header("Mcp-Session-Id"), current);
  // The GET stream follows the new session.
  EXPECT_TRUE(server->wait_for([&](const recorded_request& r) {
    return r.method == "GET" && r.header("Mcp-Session-Id") == current;
  })) << "no GET stream on the new session " << current;
}
