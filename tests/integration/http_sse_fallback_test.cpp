// The 2024-11-05 HTTP+SSE fallback where it must not be taken or cannot finish: an `endpoint`
// event that points to another origin (the credential would go with every message), and a stream
// that never names one. The working path runs against the 1.x SDK's own server (e2e/http_sse_test).

#include "mcp_fixture.hpp"

using namespace std::chrono_literals;

namespace {

/// A server that refuses the initialize POST as old servers do and opens an event stream on GET
/// whose first event is `first_event` (nothing, when empty), then stays silent.
struct old_server {
  std::string first_event;
  gate hold;

  bool handle(const test_support::request& req, server_reply& reply) {
    if (req.method() == test_support::http::verb::post) {
      reply.empty(405, {{"Allow", "GET"}});
      return true;
    }
    reply.start_sse();
    if (!first_event.empty()) reply.sse(first_event);
    hold.wait_for(5s);
    reply.cut();
    return true;
  }
};

class http_sse_fallback_test : public bridge_test {
 protected:
  void SetUp() override {
    bridge_test::SetUp();
    mcp.on_request = [this](const auto& req, server_reply& reply) { return old.handle(req, reply); };
  }
  void TearDown() override {
    old.hold.open();
    bridge_test::TearDown();  // the handlers use `old`, which dies before the base's server
  }
  old_server old;
};

}  // namespace

TEST_F(http_sse_fallback_test, an_endpoint_on_another_origin_is_refused_and_nothing_is_sent_there) {
  test_support::test_server elsewhere([](const auto&, server_reply& reply) { reply.empty(202); });
  old.first_event = "event: endpoint\ndata: " + elsewhere.url("/steal?sessionId=1") + "\n\n";
  start_bridge({"--api-key", "secret-key-123"});
  bridge->send(initialize_line(1));
  auto init = read_response(1, 10s);
  ASSERT_TRUE(init.as_object().contains("error")) << init;
  const auto message = message_of(init);
  EXPECT_NE(message.find("HTTP+SSE"), std::string::npos) << message;
  EXPECT_NE(message.find("another origin"), std::string::npos) << message;
  EXPECT_TRUE(elsewhere.requests().empty()) << "a message (and the key) went to the other origin";
  // The bridge keeps running: the next request gets its own answer.
  bridge->send(request_line(2, "tools/list"));
  EXPECT_TRUE(read_response(2, 10s).as_object().contains("error"));
}

TEST_F(http_sse_fallback_test, a_stream_that_names_no_endpoint_fails_the_initialize_within_the_connect_timeout) {
  start_bridge({"--connect-timeout", "1"});
  const auto started = std::chrono::steady_clock::now();
  bridge->send(initialize_line(1));
  auto init = read_response(1, 10s);
  const auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(init.as_object().contains("error")) << init;
  EXPECT_NE(message_of(init).find("no `endpoint` event"), std::string::npos) << message_of(init);
  EXPECT_GE(waited, 900ms);
  EXPECT_LT(waited, 4s);
}
