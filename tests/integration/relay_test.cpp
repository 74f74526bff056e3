// Messages in both directions: JSON and SSE replies, server-to-client requests, concurrency.

#include "mcp_fixture.hpp"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <thread>

using namespace std::chrono_literals;
using test_support::sse_event;

TEST_F(bridge_test, json_reply_and_every_required_header) {
  start_bridge({}, {{"AWORK_API_KEY", "key-123"}});
  auto init = handshake("2025-06-18");
  EXPECT_EQ(init.at("result").at("protocolVersion"), "2025-06-18");
  bridge->send(request_line(2, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "hello"}}}}));
  auto response = read_response(2);
  EXPECT_EQ(response.at("result").at("content").at(0).at("text"), "hello");

  auto first = posts_with_method("initialize").at(0);
  EXPECT_EQ(first.header("Authorization"), "Bearer key-123");
  EXPECT_EQ(first.header("Accept"), "application/json, text/event-stream");
  EXPECT_EQ(first.header("Content-Type"), "application/json");
  EXPECT_EQ(first.header("User-Agent").rfind("awork-mcp-bridge/", 0), 0u);
  EXPECT_EQ(first.header("Mcp-Session-Id"), "");
  EXPECT_EQ(first.header("MCP-Protocol-Version"), "");
  auto call = posts_with_method("tools/call").at(0);
  EXPECT_EQ(call.header("Mcp-Session-Id"), "s1");
  EXPECT_EQ(call.header("MCP-Protocol-Version"), "2025-06-18");
  EXPECT_EQ(call.header("Authorization"), "Bearer key-123");
  auto initialized = posts_with_method("notifications/initialized").at(0);
  EXPECT_EQ(initialized.header("Mcp-Session-Id"), "s1");
}

TEST_F(bridge_test, sse_reply_streams_notifications_before_the_result) {
  std::mutex m;
  std::condition_variable cv;
  bool progress_seen = false;
  mcp.on_post = [&](const auto&, server_reply& reply, const json::object& msg) {
    if (msg.at("method") != "tools/call") return false;
    reply.start_sse();
    reply.sse(sse_event("", "p0", 1000));  // priming event
    reply.sse(": a comment\n\n");
    reply.sse(sse_event(R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"t","progress":1}})", "p1"));
    // The result waits until the client saw the progress line: proof that it was streamed.
    // The lock is released before the last event: once the test reads it, the test body ends
    // and m dies, so a lock still held here would be unlocked on a dead frame (a libc++ CI crash).
    {
      std::unique_lock lock(m);
      cv.wait_for(lock, 5s, [&] { return progress_seen; });
    }
    // Multi-line data must still come out as one stdout line.
    reply.sse(sse_event("{\"jsonrpc\":\"2.0\",\n\"id\":2,\n\"result\":{\"ok\":true}}", "p2"));
    reply.finish_sse();
    return true;
  };
  peers_stopped_at_scope_end stop_peers_first{*this};  // the handlers use this test's locals
  start_bridge();
  handshake();
  bridge->send(request_line(2, "tools/call", {{"name", "slow"}, {"_meta", {{"progressToken", "t"}}}}));
  auto progress = read_json();
  EXPECT_EQ(progress.at("method"), "notifications/progress");
  {
    std::lock_guard lock(m);
    progress_seen = true;
  }
  cv.notify_all();
  auto result = read_json();
  EXPECT_EQ(result.at("id"), 2);
  EXPECT_EQ(result.at("result").at("ok"), true);
}

TEST_F(bridge_test, server_to_client_request_round_trip) {
  mcp.on_post = [&](const auto&, server_reply& reply, const json::object& msg) {
    if (msg.contains("result") && msg.at("id") == "srv-1") {
      reply.empty(202);
      return true;
    }
    if (!msg.contains("method") || msg.at("method") != "tools/call") return false;
    reply.start_sse();
    reply.sse(sse_event(R"({"jsonrpc":"2.0","id":"srv-1","method":"sampling/createMessage","params":{"messages":[]}})", "1"));
    // Wait for the client's answer to come back through the bridge as a POST.
    auto answer = server->wait_for([](const recorded_request& r) { return r.body.find("\"srv-1\"") != std::string::npos && r.body.find("result") != std::string::npos; });
    auto text = answer ? std::string("sampled") : std::string("no answer");
    reply.sse(sse_event(R"({"jsonrpc":"2.0","id":5,"result":{"text":")" + text + "\"}}", "2"));
    reply.finish_sse();
    return true;
  };
  start_bridge();
  handshake();
  bridge->send(request_line(5, "tools/call", {{"name", "sample"}}));
  auto server_request = read_json();
  ASSERT_EQ(server_request.at("method"), "sampling/createMessage");
  bridge->send(R"({"jsonrpc":"2.0","id":"srv-1","result":{"role":"assistant","content":{"type":"text","text":"hi"}}})");
  auto result = read_response(5);
  EXPECT_EQ(result.at("result").at("text"), "sampled");
}

TEST_F(bridge_test, slow_tool_call_does_not_delay_a_ping) {
  mcp.on_post = [](const auto&, server_reply& reply, const json::object& msg) {
    if (!msg.contains("method") || msg.at("method") != "tools/call") return false;
    std::this_thread::sleep_for(3s);
    fake_mcp::answer(reply, msg.at("id"), json::object{{"slow", true}}, false);
    return true;
  };
  start_bridge();
  handshake();
  bridge->send(request_line(10, "tools/call", {{"name", "slow"}}));
  auto sent_ping = std::chrono::steady_clock::now();
  bridge->send(request_line(11, "ping"));
  auto first = read_json(5s);
  EXPECT_EQ(first.at("id"), 11) << "the ping waited behind the slow call";
  EXPECT_LT(std::chrono::steady_clock::now() - sent_ping, 1500ms);
  auto second = read_json(5s);
  EXPECT_EQ(second.at("id"), 10);
}

TEST_F(bridge_test, sse_replies_from_the_server_everywhere) {
  mcp.sse = true;
  start_bridge();
  handshake();
  for (int i = 2; i < 12; ++i) bridge->send(request_line(i, "ping"));
  std::set<int> seen;
  for (int i = 2; i < 12; ++i) {
    auto v = read_json();
    seen.insert(static_cast<int>(v.at("id").as_int64()));
  }
  EXPECT_EQ(seen.size(), 10u);
}

TEST_F(bridge_test, get_stream_delivers_server_initiated_messages) {
  mcp.on_get = [](const auto& req, server_reply& reply) {
    reply.start_sse();
    auto it = req.find("Mcp-Session-Id");
    std::string session = it == req.end() ? "none" : std::string(it->value());
    reply.sse(sse_event(R"({"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":")" + session + "\"}}", "g1"));
    std::this_thread::sleep_for(300ms);
    reply.finish_sse();
  };
  start_bridge();
  handshake();
  auto note = read_json();
  EXPECT_EQ(note.at("method"), "notifications/message");
  EXPECT_EQ(note.at("params").at("data"), "s1");
  auto get = server->wait_for([](const recorded_request& r) { return r.method == "GET"; });
  ASSERT_TRUE(get);
  EXPECT_EQ(get->header("Accept"), "text/event-stream");
}

TEST_F(bridge_test, get_stream_405_is_not_fatal) {
  start_bridge();
  handshake();
  ASSERT_TRUE(server->wait_for([](const recorded_request& r) { return r.method == "GET"; }));
  bridge->send(request_line(2, "ping"));
  EXPECT_EQ(read_response(2).at("result"), json::object{});
}

TEST_F(bridge_test, batch_is_forwarded_and_each_answer_printed) {
  start_bridge();
  handshake();
  bridge->send(R"([{"jsonrpc":"2.0","id":21,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/x"},{"jsonrpc":"2.0","id":22,"method":"ping"}])");
  std::set<int> ids;
  for (int i = 0; i < 2; ++i) ids.insert(static_cast<int>(read_json().at("id").as_int64()));
  EXPECT_EQ(ids, (std::set<int>{21, 22}));
}

// JSON-RPC 2.0 answers a batch element by element: the invalid ones are refused each with its
// own id (null where it has none), the valid ones go to the server as written.
TEST_F(bridge_test, a_batch_with_invalid_elements_answers_each_and_forwards_the_rest) {
  start_bridge();
  handshake();
  bridge->send(R"([{"jsonrpc":"2.0","id":31,"method":"ping"},7,{"jsonrpc":"2.0","id":32},{"jsonrpc":"2.0","id":33,"method":"ping"}])");
  std::map<std::string, std::string> answers;  // id -> "result" or the error's message
  for (int i = 0; i < 4; ++i) {
    auto message = read_json();
    ASSERT_TRUE(message.is_object()) << "only " << i << " answers";
    const auto& object = message.as_object();
    answers[json::serialize(object.at("id"))] = object.contains("result") ? "result" : message_of(message);
  }
  EXPECT_EQ(answers["31"], "result");
  EXPECT_EQ(answers["33"], "result");
  EXPECT_NE(answers["null"].find("batch element"), std::string::npos) << answers["null"];
  EXPECT_NE(answers["32"].find("batch element"), std::string::npos) << answers["32"];
  const auto batches = server->requests();
  const auto forwarded = std::find_if(batches.begin(), batches.end(), [](const auto& r) { return r.body.starts_with("["); });
  ASSERT_NE(forwarded, batches.end());
  EXPECT_EQ(forwarded->body, R"([{"jsonrpc":"2.0","id":31,"method":"ping"},{"jsonrpc":"2.0","id":33,"method":"ping"}])");
}

TEST_F(bridge_test, notifications_and_responses_print_nothing) {
  start_bridge();
  handshake();
  bridge->send(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":9}})");
  bridge->send(request_line(3, "ping"));
  auto next = read_json();
  EXPECT_EQ(next.at("id"), 3);  // nothing came out for the notification
}

TEST_F(bridge_test, keep_alive_reuses_connections) {
  start_bridge();
  handshake();
  for (int i = 2; i < 22; ++i) {
    bridge->send(request_line(i, "ping"));
    read_response(i);
  }
  // 22 POSTs (+ a GET stream); sequential requests share one pooled connection.
  EXPECT_LE(server->connections_accepted(), 4u);
}
