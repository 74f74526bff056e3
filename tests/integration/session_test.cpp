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
  peers_stopped_at_scope_end stop_peers_first{*this};  // the handlers use this test's locals
  start_bridge();
  handshake();
  auto first = read_json();
  EXPECT_EQ(first.at("params").at("data"), "none");
  auto second = read_json(3s);
  EXPECT_EQ(second.at("params").at("data"), "g1") << "the reopened stream must resume after the last event";
}

// The editor's first requests after `initialized` wait for its 202 (a server may refuse a request
// that overtakes it) and until the GET stream is sent, which happens beside that POST, but not for
// the server to answer the GET: the server meets `initialized` and the GET first.
TEST_F(bridge_test, the_first_request_after_initialized_waits_for_its_202_but_not_for_the_get_answer) {
  mcp.on_post = [](const auto&, server_reply& reply, const json::object& msg) {
    if (msg.contains("method") && msg.at("method") == "notifications/initialized") {
      std::this_thread::sleep_for(1s);  // a slow 202
      reply.empty(202);
      return true;
    }
    return false;
  };
  gate release_get;
  mcp.on_get = [&](const auto&, server_reply& reply) {
    // A server slow to answer the GET: 3 s, so that a request that waited for it (>= 3 s) stands
    // well apart from one that waited only for the 1 s 202, even on a loaded machine.
    release_get.wait_for(3s);
    reply.empty(405);
  };
  start_bridge();
  bridge->send(initialize_line(1));
  ASSERT_TRUE(read_response(1).as_object().contains("result"));
  const auto sent = std::chrono::steady_clock::now();
  bridge->send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  bridge->send(request_line(2, "tools/list"));
  ASSERT_TRUE(read_response(2, 5s).as_object().contains("result"));
  const auto waited = std::chrono::steady_clock::now() - sent;
  release_get.open();
  EXPECT_GE(waited, 1s) << "the request overtook initialized";
  EXPECT_LT(waited, 2500ms) << "the request waited for the slow GET answer";
  const auto get = server->wait_for([](const recorded_request& r) { return r.method == "GET"; });
  const auto list = server->wait_for([](const recorded_request& r) { return r.body.find("tools/list") != std::string::npos; });
  const auto initialized = server->wait_for([](const recorded_request& r) { return r.body.find("notifications/initialized") != std::string::npos; });
  ASSERT_TRUE(get && list && initialized);
  EXPECT_LE(get->received, list->received) << "the server met the request before the session's GET stream";
  // A GET that waited for the 202 arrives >= 1 s after initialized (the server's sleep).
  EXPECT_LT(get->received - initialized->received, 800ms) << "the GET waited for the 202 of initialized";
}

// The server forgets the session just as `initialized` arrives: the renewal replays initialize
// and initialized, and that is all; the editor's notification is not sent a third time.
TEST_F(bridge_test, an_initialized_that_meets_a_forgotten_session_is_sent_once_in_the_new_one) {
  mcp.on_post = [this](const auto&, server_reply&, const json::object& msg) {
    if (msg.contains("method") && msg.at("method") == "notifications/initialized" && mcp.initialize_count == 1)
      mcp.forget_sessions = true;  // applies to this very request
    return false;
  };
  start_bridge();
  handshake();
  ASSERT_TRUE(server->wait_for([](const recorded_request& r) {
    return r.body.find("notifications/initialized") != std::string::npos && r.header("Mcp-Session-Id") == "s2";
  })) << bridge->stderr_text();
  // Requests read after `initialized` are held until its forwarding has ended, retries and all
  // (the session's hold, released at its end): once this ping is answered, a third initialized,
  // were it sent, has reached the server and been answered.
  bridge->send(request_line(2, "ping"));
  EXPECT_TRUE(read_response(2).as_object().contains("result"));
  EXPECT_EQ(mcp.initialize_count, 2);
  const auto initialized = posts_with_method("notifications/initialized");
  ASSERT_EQ(initialized.size(), 2u);
  EXPECT_EQ(initialized[0].header("Mcp-Session-Id"), "s1");
  EXPECT_EQ(initialized[1].header("Mcp-Session-Id"), "s2");
}
