// An editor's notifications/cancelled for a request in flight: the request's POST stream is
// closed (the 2026-07-28 way of cancelling, and the end of its cost in every era), the
// notification still reaches a legacy server, no answer for the request ever reaches the editor,
// and its slot is free at once.

#include "mcp_fixture.hpp"

using namespace std::chrono_literals;

namespace {

/// A tool call answered on an event stream that stays open and silent until the client closes
/// it; counts the streams the client closed. Silent: a client that only looks at its streams when
/// data arrives would never notice a cancellation.
struct slow_stream {
  std::atomic<int> closed_by_client{0};
  gate release;

  void serve(server_reply& reply) {
    reply.start_sse();
    const auto until = std::chrono::steady_clock::now() + 5s;
    bool gone = false;
    while (!release.is_open() && !(gone = reply.peer_gone()) && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(5ms);
    if (gone) ++closed_by_client;
    reply.cut();
  }
};

class cancellation_test : public bridge_test {
 protected:
  void SetUp() override {
    bridge_test::SetUp();
    mcp.on_post = [this](const test_support::request&, server_reply& reply, const json::object& msg) {
      if (msg.contains("method") && msg.at("method") == "tools/call" &&
          msg.at("params").at("name") == "slow") {
        slow.serve(reply);
        return true;
      }
      return false;
    };
  }
  void TearDown() override {
    slow.release.open();
    bridge_test::TearDown();  // the handlers use `slow`, which dies before the base's server
  }
  bool wait_closed(int n, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (slow.closed_by_client < n && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
    return slow.closed_by_client >= n;
  }
  slow_stream slow;
};

}  // namespace

TEST_F(cancellation_test, a_cancelled_call_is_abandoned_answered_never_and_frees_its_slot) {
  start_bridge({"--max-in-flight", "1"});
  handshake();
  bridge->send(request_line(2, "tools/call", {{"name", "slow"}, {"arguments", json::object{}}}));
  ASSERT_TRUE(server->wait_for([](const auto& r) { return r.body.find("\"slow\"") != std::string::npos; }));
  // The only slot is taken: this one waits for it.
  bridge->send(request_line(3, "tools/call", {{"name", "echo"}, {"arguments", json::object{{"message", "next"}}}}));
  const auto cancelled = std::chrono::steady_clock::now();
  bridge->send(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":2,"reason":"user"}})");

  EXPECT_TRUE(wait_closed(1, 2s)) << "the cancelled call's stream stayed open";
  EXPECT_TRUE(server->wait_for([](const auto& r) { return r.body.find("notifications/cancelled") != std::string::npos; }))
      << "a legacy server is told too";
  std::vector<json::value> before;
  auto next = read_response(3, 3s, &before);
  EXPECT_EQ(next.at("result").at("content").at(0).at("text"), "next");
  EXPECT_LT(std::chrono::steady_clock::now() - cancelled, 1s) << "the slot was not freed by the cancellation";
  // Nothing for id 2, now or at the end.
  bridge->close_stdin();
  EXPECT_EQ(bridge->wait(5s), 0);
  while (auto line = bridge->read_line(100ms)) before.push_back(json::parse(*line));
  for (const auto& m : before) EXPECT_FALSE(m.as_object().contains("id") && m.at("id") == 2) << m;
}

TEST_F(cancellation_test, a_cancellation_for_nothing_in_flight_changes_nothing) {
  start_bridge();
  handshake();
  bridge->send(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":99}})");
  bridge->send(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{}})");
  bridge->send(request_line(2, "tools/call", {{"name", "echo"}, {"arguments", json::object{{"message", "still here"}}}}));
  EXPECT_EQ(read_response(2).at("result").at("content").at(0).at("text"), "still here");
}

TEST_F(cancellation_test, a_request_cancelled_while_it_waits_for_a_slot_is_never_sent) {
  start_bridge({"--max-in-flight", "1"});
  handshake();
  bridge->send(request_line(2, "tools/call", {{"name", "slow"}, {"arguments", json::object{}}}));
  ASSERT_TRUE(server->wait_for([](const auto& r) { return r.body.find("\"slow\"") != std::string::npos; }));
  bridge->send(request_line(3, "tools/call", {{"name", "echo"}, {"arguments", json::object{{"message", "never"}}}}));
  bridge->send(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":3}})");
  bridge->send(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":2}})");
  EXPECT_TRUE(wait_closed(1, 2s));
  bridge->send(request_line(4, "tools/call", {{"name", "echo"}, {"arguments", json::object{{"message", "after"}}}}));
  EXPECT_EQ(read_response(4).at("result").at("content").at(0).at("text"), "after");
  for (const auto& post : posts_with_method("tools/call"))
    EXPECT_EQ(post.body.find("never"), std::string::npos) << "the request cancelled before it was sent went out";
}
