// Sessions: expiry and transparent re-initialize, stream resumption, DELETE at exit.

#include "mcp_fixture.hpp"

#include <thread>

using namespace std::chrono_literals;
using test_support::sse_event;

TEST_F(bridge_test, expired_session_is_renewed_and_the_request_retried) {
  start_bridge();
  handshake();
  bridge->send(request_line(2, "ping"));
  read_response(2);
  mcp.forget_sessions = true;
  bridge->send(request_line(3, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "after"}}}}));
  std::vector<json::value> before;
  auto response = read_response(3, 10s, &before);
  EXPECT_EQ(response.at("result").at("content").at(0).at("text"), "after");
  EXPECT_TRUE(before.empty()) << "the internal initialize leaked to stdout: " << json::serialize(before.at(0));
  EXPECT_EQ(mcp.initialize_count, 2);
  auto calls = posts_with_method("tools/call");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].header("Mcp-Session-Id"), "s1");
  EXPECT_EQ(calls[1].header("Mcp-Session-Id"), "s2");
  // The editor's initialized notification was replayed for the new session.
  auto initialized = posts_with_method("notifications/initialized");
  ASSERT_EQ(initialized.size(), 2u);
  EXPECT_EQ(initialized[1].header("Mcp-Session-Id"), "s2");
}

TEST_F(bridge_test, session_gone_400_with_no_valid_session_is_renewed_too) {
  std::atomic<bool> refuse{false};
  mcp.on_post = [&](const auto& req, server_reply& reply, const json::object&) {
    auto it = req.find("Mcp-Session-Id");
    if (refuse && it != req.end() && it->value() == "s1") {
      reply.json(400, R"({"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Request: No valid session ID provided"},"id":null})");
      return true;
    }
    return false;
  };
  start_bridge();
  handshake();
  refuse = true;
  bridge->send(request_line(2, "ping"));
  EXPECT_EQ(read_response(2).at("result"), json::object{});
  EXPECT_EQ(mcp.initialize_count, 2);
}

TEST_F(bridge_test, broken_stream_is_resumed_with_last_event_id_after_retry) {
  std::atomic<bool> cut_done{false};
  mcp.on_post = [&](const auto&, server_reply& reply, const json::object& msg) {
    if (!msg.contains("method") || msg.at("method") != "tools/call") return false;
    reply.start_sse();
    reply.sse(sse_event("", "e0", 300));
    reply.sse(sse_event(R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":1}})", "e1"));
    cut_done = true;
    reply.cut();
    return true;
  };
  std::atomic<long long> resumed_after_ms{-1};
  auto cut_time = std::make_shared<std::chrono::steady_clock::time_point>();
  mcp.on_get = [&](const auto& req, server_reply& reply) {
    auto it = req.find("Last-Event-ID");
    if (it == req.end()) return reply.empty(405);
    resumed_after_ms = 1;
    reply.start_sse();
    reply.sse(sse_event(R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":2}})", "e2"));
    reply.sse(sse_event(R"({"jsonrpc":"2.0","id":7,"result":{"done":true}})", "e3"));
    reply.finish_sse();
  };
  start_bridge();
  handshake();
  bridge->send(request_line(7, "tools/call", {{"name", "long"}}));
  std::vector<json::value> before;
  auto start = std::chrono::steady_clock::now();
  auto response = read_response(7, 10s, &before);
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(response.at("result").at("done"), true);
  ASSERT_EQ(before.size(), 2u);
  EXPECT_EQ(before[0].at("params").at("progress"), 1);
  EXPECT_EQ(before[1].at("params").at("progress"), 2);
  auto resume = server->wait_for([](const recorded_request& r) { return r.method == "GET" && !r.header("Last-Event-ID").empty(); });
  ASSERT_TRUE(resume);
  EXPECT_EQ(resume->header("Last-Event-ID"), "e1");
  EXPECT_EQ(resume->header("Mcp-Session-Id"), "s1");
  EXPECT_GE(elapsed, 300ms) << "did not wait the server's retry";
}

TEST_F(bridge_test, stream_cut_without_event_ids_is_an_error_for_that_request) {
  mcp.on_post = [&](const auto&, server_reply& reply, const json::object& msg) {
    if (!msg.contains("method") || msg.at("method") != "tools/call") return false;
    reply.start_sse();
    reply.sse(sse_event(R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}})"));
    reply.cut();
    return true;
  };
  start_bridge();
  handshake();
  bridge->send(request_line(4, "tools/call", {{"name", "x"}}));
  auto response = read_response(4);
  EXPECT_EQ(response.at("error").at("code"), -32000);
  EXPECT_NE(json::value_to<std::string>(response.at("error").at("message")).find("ended the response stream"), std::string::npos)
      << response;
}

TEST_F(bridge_test, delete_ends_the_session_at_exit) {
  start_bridge();
  handshake();
  bridge->send(request_line(2, "ping"));
  read_response(2);
  bridge->close_stdin();
  EXPECT_EQ(bridge->wait(5s), 0);
  auto del = server->wait_for([](const recorded_request& r) { return r.method == "DELETE"; }, 1s);
  ASSERT_TRUE(del);
  EXPECT_EQ(del->header("Mcp-Session-Id"), "s1");
}

TEST_F(bridge_test, a_new_initialize_from_the_client_starts_a_fresh_session) {
  start_bridge();
  handshake();
  bridge->send(initialize_line(9));
  read_response(9);
  auto inits = posts_with_method("initialize");
  ASSERT_EQ(inits.size(), 2u);
  EXPECT_EQ(inits[1].header("Mcp-Session-Id"), "") << "a new initialize must not carry the old session";
  bridge->send(request_line(10, "ping"));
  read_response(10);
  EXPECT_EQ(posts_with_method("ping").back().header("Mcp-Session-Id"), "s2");
}

TEST_F(bridge_test, get_stream_is_reopened_with_last_event_id_after_it_ends) {
  std::atomic<int> gets{0};
  mcp.on_get = [&](const auto& req, server_reply& reply) {
    int n = ++gets;
    auto it = req.find("Last-Event-ID");
    std::string last = it == req.end() ? "none" : std::string(it->value());
    reply.start_sse();
    reply.sse(sse_event(R"({"jsonrpc":"2.0","method":"notifications/message","params":{"data":")" + last + "\"}}",
                        "g" + std::to_string(n), 100));
    if (n == 1) return reply.finish_sse();  // the server ends the stream; the bridge must come back
    std::this_thread::sleep_for(300ms);
    reply.finish_sse();
  };
  start_bridge();
  handshake();
  auto first = read_json();
  EXPECT_EQ(first.at("params").at("data"), "none");
  auto second = read_json(3s);
  EXPECT_EQ(second.at("params").at("data"), "g1") << "the reopened stream must resume after the last event";
}
