// A legacy editor (initialize first, pings, sessions) through the bridge to a server that speaks
// only MCP 2026-07-28: stateless requests with `_meta` and Mcp-* headers, server/discover instead
// of initialize, and input_required results instead of server-to-client requests.

#include "mcp_fixture.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

using namespace std::chrono_literals;

namespace {

constexpr const char* meta_version = "io.modelcontextprotocol/protocolVersion";

/// A 2026-07-28-only server: every request must carry the version header and `_meta`.
struct modern_server {
  std::atomic<int> rounds{0};
  std::atomic<int> listens{0};
  std::atomic<int> listens_gone{0};  // streams the bridge closed
  std::atomic<int> calls_cancelled{0};  // tool calls whose stream the client closed
  std::mutex listen_mutex;
  std::vector<json::value> listen_filters;  // params.notifications of each listen, in order

  bool wait_listens(int n, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (listens < n && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
    return listens >= n;
  }
  gate hold_listen;

  bool handle(const test_support::request& req, server_reply& reply) {
    if (req.method() != test_support::http::verb::post) {
      reply.empty(405);
      return true;
    }
    auto msg = json::parse(req.body()).as_object();
    const auto id = msg.contains("id") ? msg.at("id") : json::value(nullptr);
    const std::string method(msg.at("method").as_string());
    auto error = [&](unsigned status, int code, const char* text) {
      reply.json(status, json::serialize(json::object{
                             {"jsonrpc", "2.0"}, {"id", id}, {"error", json::object{{"code", code}, {"message", text}}}}));
      return true;
    };
    if (req["MCP-Protocol-Version"] != "2026-07-28") return error(400, -32020, "MCP-Protocol-Version missing");
    if (req["Mcp-Method"] != method) return error(400, -32020, "Mcp-Method does not match");
    if (msg.contains("id")) {
      const auto* meta = msg.contains("params") ? msg.at("params").as_object().if_contains("_meta") : nullptr;
      if (!meta || !meta->as_object().contains(meta_version) ||
          !meta->as_object().contains("io.modelcontextprotocol/clientCapabilities"))
        return error(400, -32602, "_meta is missing");
    }
    auto result = [&](const std::string& result_json) {
      reply.json(200, R"({"jsonrpc":"2.0","id":)" + json::serialize(id) + R"(,"result":)" + result_json + "}");
      return true;
    };
    if (method == "server/discover")
      return result(R"({"resultType":"complete","supportedVersions":["2026-07-28"],"capabilities":{"tools":{"listChanged":true},"resources":{"subscribe":true}},)"
                    R"("_meta":{"io.modelcontextprotocol/serverInfo":{"name":"modern-test","version":"9.1"}},"ttlMs":0,"cacheScope":"private"})");
    if (method == "subscriptions/listen") {
      const auto filter = msg.at("params").at("notifications");
      {
        std::lock_guard lock(listen_mutex);
        listen_filters.push_back(filter);
      }
      ++listens;
      reply.start_sse();
      reply.sse(test_support::sse_event(R"({"jsonrpc":"2.0","method":"notifications/subscriptions/acknowledged","params":{"notifications":)" +
                                        json::serialize(filter) + "}}"));
      reply.sse(test_support::sse_event(R"({"jsonrpc":"2.0","method":"notifications/tools/list_changed","params":{}})"));
      if (const auto* uris = filter.as_object().if_contains("resourceSubscriptions"))
        for (const auto& uri : uris->as_array())
          reply.sse(test_support::sse_event(R"({"jsonrpc":"2.0","method":"notifications/resources/updated","params":{"uri":)" +
                                            json::serialize(uri) + "}}"));
      // Comments keep the stream busy, so that a client that walks away is noticed.
      const auto until = std::chrono::steady_clock::now() + 5s;
      while (!hold_listen.is_open() && !reply.closed() && std::chrono::steady_clock::now() < until) {
        reply.sse(": still here\n\n");
        std::this_thread::sleep_for(20ms);
      }
      if (reply.closed()) ++listens_gone;
      reply.cut();
      return true;
    }
    if (method == "tools/list")
      return result(R"({"tools":[{"name":"regional","inputSchema":{"type":"object","properties":{"region":{"type":"string","x-mcp-header":"Region"}}}},)"
                    R"({"name":"broken","inputSchema":{"type":"object","properties":{"n":{"type":"number","x-mcp-header":"N"}}}}],"ttlMs":1.0})");
    if (method == "tools/call") {
      const auto& params = msg.at("params").as_object();
      if (params.at("name") == "slow") {  // silent until the client closes the stream: its cancellation
        reply.start_sse();
        const auto until = std::chrono::steady_clock::now() + 5s;
        bool gone = false;
        while (!hold_listen.is_open() && !(gone = reply.peer_gone()) && std::chrono::steady_clock::now() < until)
          std::this_thread::sleep_for(5ms);
        if (gone) ++calls_cancelled;
        reply.cut();
        return true;
      }
      if (params.at("name") == "regional") {
        if (req["Mcp-Name"] != "regional" || req["Mcp-Param-Region"] != "eu-central") return error(400, -32020, "headers");
        return result(R"({"content":[{"type":"text","text":"in eu-central"}],"resultType":"complete"})");
      }
      if (params.at("name") == "confirm") {
        ++rounds;
        if (!params.contains("inputResponses"))
          return result(R"({"resultType":"input_required","inputRequests":{"ok":{"method":"elicitation/create",)"
                        R"("params":{"message":"Really?","requestedSchema":{"type":"object","properties":{}}}}},"requestState":"st-1"})");
        if (params.at("requestState") != "st-1") return error(400, -32602, "requestState not echoed");
        const auto& answer = params.at("inputResponses").at("ok");
        return result(R"({"content":[{"type":"text","text":"answered )" + std::string(answer.at("action").as_string()) +
                      R"("}],"resultType":"complete"})");
      }
    }
    return error(404, -32601, "Method not found");
  }
};

/// A legacy server as the reference SDK 1.x makes them: nothing without a session.
void refuse_requests_without_a_session(fake_mcp& mcp) {
  mcp.on_request = [](const auto& req, server_reply& reply) {
    if (req["Mcp-Session-Id"].empty() && req.body().find("\"initialize\"") == std::string::npos) {
      reply.json(400, R"({"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Request: Server not initialized"},"id":null})");
      return true;
    }
    return false;
  };
}

/// The `_meta` a 2026-07-28 editor puts on each request, as a member for a params object.
const std::string modern_editor_meta = R"("_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",)"
                                       R"("io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"new-ed","version":"2"}})";

}  // namespace

class modern_era_test : public bridge_test {
 protected:
  void SetUp() override {
    bridge_test::SetUp();
    mcp.on_request = [this](const auto& req, server_reply& reply) { return modern.handle(req, reply); };
  }
  void TearDown() override {
    modern.hold_listen.open();
    bridge_test::TearDown();  // the handlers use `modern`, which dies before the base's server
  }
  modern_server modern;
};

TEST_F(modern_era_test, a_legacy_editor_works_unchanged_against_a_modern_only_server) {
  start_bridge();
  bridge->send(initialize_line(1, "2025-06-18"));
  auto init = read_response(1);
  ASSERT_TRUE(init.as_object().contains("result")) << init << bridge->stderr_text();
  EXPECT_EQ(init.at("result").at("protocolVersion"), "2025-06-18") << "the editor's own era";
  EXPECT_EQ(init.at("result").at("serverInfo").at("name"), "modern-test");
  bridge->send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");

  bridge->send(request_line(2, "ping"));
  EXPECT_EQ(read_response(2).at("result"), json::object{});

  bridge->send(request_line(3, "tools/list"));
  auto list = read_response(3);
  ASSERT_EQ(list.at("result").at("tools").as_array().size(), 1u) << "the tool with an invalid annotation is dropped";
  EXPECT_EQ(list.at("result").at("tools").at(0).at("name"), "regional");

  bridge->send(request_line(4, "tools/call", {{"name", "regional"}, {"arguments", {{"region", "eu-central"}}}}));
  EXPECT_EQ(read_response(4).at("result").at("content").at(0).at("text"), "in eu-central");

  bridge->send(request_line(5, "tools/call", {{"name", "broken"}, {"arguments", {{"n", 1}}}}));
  EXPECT_NE(message_of(read_response(5)).find("x-mcp-header"), std::string::npos);

  // The server saw no initialize, no ping, no notification, and no call of the dropped tool.
  for (const auto& r : server->requests()) {
    EXPECT_EQ(r.body.find("\"initialize\""), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find("\"ping\""), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find("notifications/initialized"), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find("\"broken\","), std::string::npos) << r.body;
    EXPECT_EQ(r.header("Mcp-Session-Id"), "");
  }
}

TEST_F(modern_era_test, an_input_required_result_becomes_one_editor_request_and_one_answer) {
  start_bridge();
  bridge->send(initialize_line(1, "2025-11-25"));
  ASSERT_TRUE(read_response(1).as_object().contains("result"));
  bridge->send(request_line(7, "tools/call", {{"name", "confirm"}, {"arguments", json::object{}}}));
  auto ask = read_json();
  ASSERT_TRUE(ask.is_object() && ask.as_object().contains("method")) << ask;
  EXPECT_EQ(ask.at("method"), "elicitation/create");
  EXPECT_EQ(ask.at("params").at("message"), "Really?");
  bridge->send(json::serialize(json::object{
      {"jsonrpc", "2.0"}, {"id", ask.at("id")}, {"result", json::object{{"action", "accept"}, {"content", json::object{}}}}}));
  auto answer = read_response(7);
  EXPECT_EQ(answer.at("result").at("content").at(0).at("text"), "answered accept") << answer;
  EXPECT_EQ(modern.rounds, 2);
  // The retry went out under an id of its own, never the editor's.
  auto calls = posts_with_method("tools/call");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_NE(json::parse(calls[1].body).at("id"), json::value(7));
}

TEST_F(modern_era_test, a_legacy_server_still_gets_the_handshake) {
  mcp.on_request = nullptr;  // the fake server of the other tests: it knows no server/discover
  start_bridge();
  auto init = handshake();
  ASSERT_TRUE(init.as_object().contains("result")) << init << bridge->stderr_text();
  EXPECT_EQ(mcp.initialize_count, 1);
  bridge->send(request_line(2, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "old"}}}}));
  EXPECT_EQ(read_response(2).at("result").at("content").at(0).at("text"), "old");
}

TEST_F(modern_era_test, a_modern_editor_is_carried_as_it_is_with_the_required_headers) {
  start_bridge();
  const std::string meta = R"("_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}})";
  bridge->send(R"({"jsonrpc":"2.0","id":1,"method":"server/discover","params":{)" + meta + "}}");
  auto discover = read_response(1);
  EXPECT_EQ(discover.at("result").at("supportedVersions").at(0), "2026-07-28") << discover << bridge->stderr_text();
  bridge->send(R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"regional","arguments":{"region":"eu-central"},)" +
               meta + "}}");
  EXPECT_EQ(read_response(2).at("result").at("content").at(0).at("text"), "in eu-central") << bridge->stderr_text();
  auto calls = posts_with_method("tools/call");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].header("MCP-Protocol-Version"), "2026-07-28");
  EXPECT_EQ(calls[0].header("Mcp-Name"), "regional");
  EXPECT_EQ(calls[0].header("Mcp-Param-Region"), "eu-central") << "learned from the bridge's own tools/list";
}

TEST_F(modern_era_test, a_cancelled_call_is_cancelled_by_closing_its_stream_and_the_notification_stays_here) {
  start_bridge();
  ASSERT_TRUE(handshake("2025-11-25").as_object().contains("result"));
  bridge->send(request_line(2, "tools/call", {{"name", "slow"}, {"arguments", json::object{}}}));
  ASSERT_TRUE(server->wait_for([](const auto& r) { return r.body.find("\"slow\"") != std::string::npos; }));
  bridge->send(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":2}})");
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (modern.calls_cancelled < 1 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(modern.calls_cancelled, 1) << "2026-07-28 cancels by closing the request's stream";
  bridge->send(request_line(3, "ping"));
  std::vector<json::value> before;
  EXPECT_TRUE(read_response(3, 5s, &before).as_object().contains("result"));
  for (const auto& m : before) EXPECT_FALSE(m.as_object().contains("id") && m.at("id") == 2) << m;
  EXPECT_TRUE(posts_with_method("notifications/cancelled").empty()) << "2026-07-28 expects no such notification";
  modern.hold_listen.open();
}

TEST_F(modern_era_test, an_editors_listen_stream_does_not_hold_up_the_exit) {
  start_bridge();
  const std::string meta = R"("_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}})";
  bridge->send(R"({"jsonrpc":"2.0","id":1,"method":"subscriptions/listen","params":{"notifications":{"toolsListChanged":true},)" +
               meta + "}}");
  ASSERT_TRUE(bridge->read_until([](const std::string& l) { return l.find("acknowledged") != std::string::npos; }, 5s))
      << bridge->stderr_text();
  // The editor is done: a stream that only ends when the server ends it is not something to drain.
  const auto closed = std::chrono::steady_clock::now();
  bridge->close_stdin();
  auto answer = read_response(1, 5s);
  EXPECT_NE(message_of(answer).find("shutting down"), std::string::npos) << answer;
  EXPECT_EQ(bridge->wait(5s), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - closed, 1s) << "waited for the listen stream to end";
  modern.hold_listen.open();
}

TEST_F(modern_era_test, a_modern_editor_in_front_of_a_legacy_server_gets_the_handshake_made_for_it) {
  refuse_requests_without_a_session(mcp);
  start_bridge();
  const std::string meta = modern_editor_meta;
  bridge->send(R"({"jsonrpc":"2.0","id":1,"method":"server/discover","params":{)" + meta + "}}");
  auto discover = read_response(1);
  EXPECT_EQ(discover.at("result").at("supportedVersions").at(0), "2026-07-28") << discover << bridge->stderr_text();
  EXPECT_EQ(discover.at("result").at("_meta").at("io.modelcontextprotocol/serverInfo").at("name"), "fake");
  bridge->send(R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hello"},)" + meta + "}}");
  auto call = read_response(2);
  EXPECT_EQ(call.at("result").at("content").at(0).at("text"), "hello") << call;
  EXPECT_EQ(call.at("result").at("resultType"), "complete") << "a modern client refuses results without it";
  ASSERT_EQ(mcp.initialize_count, 1);
  auto initialize = posts_with_method("initialize").at(0);
  EXPECT_NE(initialize.body.find("\"new-ed\""), std::string::npos) << "made from the editor's own _meta";
  EXPECT_EQ(posts_with_method("tools/call").at(0).header("Mcp-Session-Id"), "s1") << "carried in the session";
}

// The legacy server forgets the session it keeps for a 2026-07-28 editor (a restart, an expiry):
// the bridge makes the handshake again, once for every request that met the 404, and sends each
// of them again in the new session (a 404 for an unknown session means nothing ran).
TEST_F(modern_era_test, a_legacy_session_kept_for_a_modern_editor_is_made_again_when_the_server_forgets_it) {
  refuse_requests_without_a_session(mcp);
  start_bridge();
  const std::string meta = modern_editor_meta;
  const auto call = [&](int id, const std::string& text) {
    return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"method":"tools/call","params":{"name":"echo","arguments":{"message":")" +
           text + "\"}," + meta + "}}";
  };
  bridge->send(call(1, "first"));
  ASSERT_EQ(read_response(1).at("result").at("content").at(0).at("text"), "first") << bridge->stderr_text();
  ASSERT_EQ(mcp.initialize_count, 1);

  mcp.forget_sessions = true;
  bridge->send(call(2, "two") + "\n" + call(3, "three") + "\n" + call(4, "four"));
  for (auto [id, text] : {std::pair{2, "two"}, {3, "three"}, {4, "four"}}) {
    auto answer = read_response(id);
    EXPECT_EQ(answer.at("result").at("content").at(0).at("text"), text) << answer << bridge->stderr_text();
  }
  EXPECT_EQ(mcp.initialize_count, 2) << "one new handshake for the three requests that met the 404";
  std::size_t in_new_session = 0;
  for (const auto& r : posts_with_method("tools/call")) in_new_session += r.header("Mcp-Session-Id") == "s2";
  EXPECT_EQ(in_new_session, 3u);
  const auto initialized = posts_with_method("notifications/initialized");
  ASSERT_EQ(initialized.size(), 2u);
  EXPECT_EQ(initialized.back().header("Mcp-Session-Id"), "s2");
  // Nothing goes out in the new session before its `initialized`.
  bool initialized_seen = false;
  for (const auto& r : server->requests()) {
    if (r.header("Mcp-Session-Id") != "s2") continue;
    if (r.body.find("notifications/initialized") != std::string::npos) initialized_seen = true;
    else EXPECT_TRUE(initialized_seen) << "sent in s2 before initialized: " << r.body;
  }
}

namespace {

/// A legacy server (nothing without a session) that offers list changes and subscriptions, logs
/// resources/subscribe and unsubscribe in order, and sends a tools list change every 100 ms on
/// each GET stream it opens. Sessions are s1, s2, ...; restart() forgets the current one (404
/// for it from then on) and ends its GET streams.
struct ticking_legacy_server {
  std::mutex mutex;
  std::vector<std::string> resource_requests;  // "subscribe a://x", ...
  std::vector<std::string> resource_sessions;  // the session each of them came in
  std::atomic<int> streams{0};
  std::atomic<int> sessions{0};
  std::string live_session;  // under mutex; empty once forgotten

  void restart() {
    std::lock_guard lock(mutex);
    live_session.clear();
  }
  bool is_live(std::string_view session) {
    std::lock_guard lock(mutex);
    return !session.empty() && session == live_session;
  }

  void install(fake_mcp& mcp) {
    mcp.on_request = [this](const auto& req, server_reply& reply) {
      const std::string session(req["Mcp-Session-Id"]);
      if (session.empty() && req.body().find("\"initialize\"") == std::string::npos) {
        reply.json(400, R"({"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Request: Server not initialized"},"id":null})");
        return true;
      }
      if (!session.empty() && !is_live(session)) {
        reply.json(404, R"({"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"Session not found"}})");
        return true;
      }
      return false;
    };
    mcp.on_post = [this](const auto& req, server_reply& reply, const json::object& msg) {
      if (has_method(msg, "initialize")) {
        const std::string session = "s" + std::to_string(++sessions);
        {
          std::lock_guard lock(mutex);
          live_session = session;
        }
        reply.json(200,
                   R"({"jsonrpc":"2.0","id":)" + json::serialize(msg.at("id")) +
                       R"(,"result":{"protocolVersion":"2025-11-25","capabilities":{"tools":{"listChanged":true},"resources":{"subscribe":true}},)"
                       R"("serverInfo":{"name":"old","version":"1"}}})",
                   {{"Mcp-Session-Id", session}});
        return true;
      }
      for (const char* verb : {"subscribe", "unsubscribe"})
        if (has_method(msg, std::string("resources/") + verb)) {
          {
            std::lock_guard lock(mutex);
            resource_requests.push_back(std::string(verb) + " " + std::string(msg.at("params").at("uri").as_string()));
            resource_sessions.emplace_back(req["Mcp-Session-Id"]);
          }
          std::this_thread::sleep_for(30ms);  // a server that takes its time makes the order matter
          fake_mcp::answer(reply, msg.at("id"), json::object{}, false);
          return true;
        }
      return false;
    };
    mcp.on_get = [this](const auto& req, server_reply& reply) {
      const int n = ++streams;
      const std::string session(req["Mcp-Session-Id"]);
      reply.start_sse();
      const auto until = std::chrono::steady_clock::now() + 5s;
      while (!reply.peer_gone() && std::chrono::steady_clock::now() < until && is_live(session)) {
        reply.sse(test_support::sse_event(R"({"jsonrpc":"2.0","method":"notifications/tools/list_changed","params":{"stream":)" +
                                          std::to_string(n) + "}}"));
        std::this_thread::sleep_for(100ms);
      }
      reply.cut();
    };
  }
};

std::string listen_line(const char* id, const char* filter) {
  return std::string(R"({"jsonrpc":"2.0","id":")") + id + R"(","method":"subscriptions/listen","params":{"notifications":)" +
         filter + R"(,"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}})";
}

/// Whether a tools list change stamped with the listen's id reaches the editor within 3 s.
bool hears_list_change(bridge_process& bridge, const char* listen_id) {
  for (auto deadline = std::chrono::steady_clock::now() + 3s; std::chrono::steady_clock::now() < deadline;) {
    auto line = bridge.read_line(std::chrono::milliseconds(500));
    if (!line) continue;
    auto m = json::parse(*line);
    if (m.at("method") == "notifications/tools/list_changed" &&
        m.at("params").at("_meta").at("io.modelcontextprotocol/subscriptionId") == listen_id)
      return true;
  }
  return false;
}

std::string cancel_line(const char* id) {
  return std::string(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":")") + id + "\"}}";
}

}  // namespace

// A 2026-07-28 editor listens for list changes; the legacy server sends them on its session's GET
// stream, and takes resource subscriptions as resources/subscribe.
TEST_F(modern_era_test, a_modern_editors_listen_is_carried_from_a_legacy_servers_get_stream) {
  ticking_legacy_server legacy;
  legacy.install(mcp);
  std::atomic<bool> stream_gone{false};
  // This stream's own script instead of the ticking one: one of each kind, then quiet.
  mcp.on_get = [&](const auto& req, server_reply& reply) {
    if (req["Mcp-Session-Id"] != "s1") return reply.empty(400);
    reply.start_sse();
    for (const char* n : {R"({"jsonrpc":"2.0","method":"notifications/prompts/list_changed"})",
                          R"({"jsonrpc":"2.0","method":"notifications/resources/updated","params":{"uri":"a://other"}})",
                          R"({"jsonrpc":"2.0","method":"notifications/tools/list_changed"})",
                          R"({"jsonrpc":"2.0","method":"notifications/resources/updated","params":{"uri":"a://watched"}})"})
      reply.sse(test_support::sse_event(n));
    const auto until = std::chrono::steady_clock::now() + 5s;
    while (!reply.peer_gone() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(5ms);
    stream_gone = reply.peer_gone();
    reply.cut();
  };
  peers_stopped_at_scope_end stop_peers_first{*this};  // the handlers use this test's locals
  start_bridge();
  const std::string meta = R"("_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",)"
                           R"("io.modelcontextprotocol/clientCapabilities":{}})";
  bridge->send(R"({"jsonrpc":"2.0","id":"listen:1","method":"subscriptions/listen","params":{"notifications":)"
               R"({"toolsListChanged":true,"promptsListChanged":true,"resourceSubscriptions":["a://watched"]},)" + meta + "}}");
  auto ack = read_json(5s);
  ASSERT_EQ(ack.at("method"), "notifications/subscriptions/acknowledged") << ack << bridge->stderr_text();
  EXPECT_EQ(ack.at("params").at("notifications"),
            json::parse(R"({"toolsListChanged":true,"resourceSubscriptions":["a://watched"]})"))
      << "prompts are not offered by the server";
  EXPECT_EQ(ack.at("params").at("_meta").at("io.modelcontextprotocol/subscriptionId"), "listen:1");
  {
    std::lock_guard lock(legacy.mutex);
    EXPECT_EQ(legacy.resource_requests, std::vector<std::string>{"subscribe a://watched"});
  }
  auto tools_changed = read_json(5s);
  EXPECT_EQ(tools_changed.at("method"), "notifications/tools/list_changed") << tools_changed;
  EXPECT_EQ(tools_changed.at("params").at("_meta").at("io.modelcontextprotocol/subscriptionId"), "listen:1");
  auto updated = read_json(5s);
  EXPECT_EQ(updated.at("method"), "notifications/resources/updated") << updated;
  EXPECT_EQ(updated.at("params").at("uri"), "a://watched");
  EXPECT_EQ(updated.at("params").at("_meta").at("io.modelcontextprotocol/subscriptionId"), "listen:1");

  // The editor closes its listen: the subscription and the stream end, and no answer comes.
  const auto cancelled = std::chrono::steady_clock::now();
  bridge->send(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"listen:1"}})");
  ASSERT_TRUE(server->wait_for([](const recorded_request& r) { return r.body.find("resources/unsubscribe") != std::string::npos; }, 3s))
      << bridge->stderr_text();
  while (!stream_gone && std::chrono::steady_clock::now() - cancelled < 3s) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(stream_gone) << "the GET stream stayed open with no listen left";
  EXPECT_LT(std::chrono::steady_clock::now() - cancelled, 2s);
  {
    std::lock_guard lock(legacy.mutex);
    EXPECT_EQ(legacy.resource_requests, (std::vector<std::string>{"subscribe a://watched", "unsubscribe a://watched"}));
  }
  EXPECT_FALSE(bridge->read_line(300ms)) << "nothing more for the editor, no answer to a cancelled listen";
}

// The usual way to change a subscription set: open the new listen, then cancel the old one, in one
// go. The resource both name stays subscribed, and the new listen hears the list changes.
TEST_F(modern_era_test, a_listen_replaced_by_a_new_one_keeps_its_subscription_and_hears_changes) {
  ticking_legacy_server legacy;
  legacy.install(mcp);
  peers_stopped_at_scope_end stop_peers_first{*this};  // the handlers use this test's locals
  start_bridge();
  const char* filter = R"({"toolsListChanged":true,"resourceSubscriptions":["a://x"]})";
  bridge->send(listen_line("A", filter));
  auto ack_a = read_json(5s);
  ASSERT_EQ(ack_a.at("method"), "notifications/subscriptions/acknowledged") << ack_a << bridge->stderr_text();
  auto changed_a = read_json(5s);
  ASSERT_EQ(changed_a.at("params").at("_meta").at("io.modelcontextprotocol/subscriptionId"), "A") << changed_a;

  bridge->send(listen_line("B", filter) + "\n" + cancel_line("A"));
  json::value ack_b;
  for (auto deadline = std::chrono::steady_clock::now() + 5s; std::chrono::steady_clock::now() < deadline;) {
    auto m = read_json(5s);
    if (m.is_object() && m.as_object().contains("method") && m.at("method") == "notifications/subscriptions/acknowledged") {
      ack_b = m;
      break;
    }
  }
  ASSERT_TRUE(ack_b.is_object()) << bridge->stderr_text();
  EXPECT_EQ(ack_b.at("params").at("_meta").at("io.modelcontextprotocol/subscriptionId"), "B");
  EXPECT_EQ(ack_b.at("params").at("notifications").at("resourceSubscriptions"), json::parse(R"(["a://x"])"));
  EXPECT_TRUE(hears_list_change(*bridge, "B")) << "listen B heard nothing; GET streams opened: " << legacy.streams;

  // Subscribes and unsubscribes go to the server one at a time, in the order asked: once a probe
  // listen's own subscribe is acknowledged, an unsubscribe of a://x that A's end asked for
  // before has reached the server.
  bridge->send(listen_line("probe", R"({"resourceSubscriptions":["a://probe"]})"));
  bool probe_acknowledged = false;
  const auto probe_deadline = std::chrono::steady_clock::now() + 5s;
  while (!probe_acknowledged && std::chrono::steady_clock::now() < probe_deadline) {
    auto m = read_json(5s);
    probe_acknowledged = m.is_object() && m.as_object().contains("method") &&
                         m.at("method") == "notifications/subscriptions/acknowledged" &&
                         m.at("params").at("_meta").at("io.modelcontextprotocol/subscriptionId") == "probe";
  }
  ASSERT_TRUE(probe_acknowledged) << bridge->stderr_text();
  std::lock_guard lock(legacy.mutex);
  ASSERT_FALSE(legacy.resource_requests.empty());
  EXPECT_EQ(legacy.resource_requests.back(), "subscribe a://probe") << "premise: the probe's subscribe went last";
  std::vector<std::string> about_x;
  std::copy_if(legacy.resource_requests.begin(), legacy.resource_requests.end(), std::back_inserter(about_x),
               [](const std::string& r) { return r.ends_with(" a://x"); });
  ASSERT_FALSE(about_x.empty());
  EXPECT_EQ(about_x.back(), "subscribe a://x") << "the server was left unsubscribed from what B listens to";
}

// The server restarts under an open listen: its session and GET stream are gone. The next request
// makes the handshake again, and the listen is resumed in the new session: its resource
// subscribed there, and list changes heard again on a stream of the new session.
TEST_F(modern_era_test, a_listen_resumes_in_the_new_session_after_the_server_forgot_the_old_one) {
  ticking_legacy_server legacy;
  legacy.install(mcp);
  peers_stopped_at_scope_end stop_peers_first{*this};  // the handlers use this test's locals
  start_bridge();
  bridge->send(listen_line("A", R"({"toolsListChanged":true,"resourceSubscriptions":["a://x"]})"));
  ASSERT_EQ(read_json(5s).at("method"), "notifications/subscriptions/acknowledged") << bridge->stderr_text();
  ASSERT_TRUE(hears_list_change(*bridge, "A")) << bridge->stderr_text();

  legacy.restart();
  bridge->send(R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"message":"after"},)"
               R"("_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}})");
  std::vector<json::value> before;
  auto answer = read_response(7, 10s, &before);
  EXPECT_EQ(answer.at("result").at("content").at(0).at("text"), "after") << answer << bridge->stderr_text();
  EXPECT_EQ(legacy.sessions, 2);
  EXPECT_TRUE(hears_list_change(*bridge, "A")) << "the listen went quiet after the new handshake; streams: " << legacy.streams
                                                << "\n" << bridge->stderr_text();
  std::lock_guard lock(legacy.mutex);
  ASSERT_EQ(legacy.resource_requests, (std::vector<std::string>{"subscribe a://x", "subscribe a://x"}));
  EXPECT_EQ(legacy.resource_sessions, (std::vector<std::string>{"s1", "s2"}));
}

// The last listen is cancelled and a new one opened at once: the stream that was stopping for the
// first does not count as running for the second.
TEST_F(modern_era_test, a_listen_opened_right_after_the_last_one_ended_gets_a_stream) {
  ticking_legacy_server legacy;
  legacy.install(mcp);
  peers_stopped_at_scope_end stop_peers_first{*this};  // the handlers use this test's locals
  start_bridge();
  const char* filter = R"({"toolsListChanged":true})";
  bridge->send(listen_line("A", filter));
  ASSERT_EQ(read_json(5s).at("method"), "notifications/subscriptions/acknowledged") << bridge->stderr_text();
  ASSERT_EQ(read_json(5s).at("params").at("_meta").at("io.modelcontextprotocol/subscriptionId"), "A");
  bridge->send(cancel_line("A") + "\n" + listen_line("B", filter));
  EXPECT_TRUE(hears_list_change(*bridge, "B")) << "listen B heard nothing; GET streams opened: " << legacy.streams;
}

TEST_F(modern_era_test, a_legacy_servers_request_to_a_modern_editor_is_refused_while_the_server_waits) {
  // A legacy server whose tool asks the client for input on the call's stream and holds the
  // call's result until that request is answered, as the reference SDK 1.x does.
  mcp.on_request = [](const auto& req, server_reply& reply) {
    if (req["Mcp-Session-Id"].empty() && req.body().find("\"initialize\"") == std::string::npos) {
      reply.json(400, R"({"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Request: Server not initialized"},"id":null})");
      return true;
    }
    return false;
  };
  gate answered;
  std::mutex mutex;
  std::string refusal;  // the error the server got for its request
  mcp.on_post = [&](const auto&, server_reply& reply, const json::object& msg) {
    if (msg.contains("error") && msg.at("id") == "srv-1") {
      {
        std::lock_guard lock(mutex);
        refusal = message_of(msg);
      }
      answered.open();
      reply.empty(202);
      return true;
    }
    if (!has_method(msg, "tools/call")) return false;
    reply.start_sse();
    reply.sse(test_support::sse_event(R"({"jsonrpc":"2.0","id":"srv-1","method":"elicitation/create",)"
                                      R"("params":{"message":"Sure?","requestedSchema":{"type":"object","properties":{}}}})"));
    const std::string outcome = answered.wait_for(5s) ? "answered in time" : "never answered";
    reply.sse(test_support::sse_event(json::serialize(json::object{
        {"jsonrpc", "2.0"},
        {"id", msg.at("id")},
        {"result", json::object{{"content", json::array{json::object{{"type", "text"}, {"text", outcome}}}}}}})));
    reply.finish_sse();
    return true;
  };
  start_bridge();
  const std::string meta = R"("_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",)"
                           R"("io.modelcontextprotocol/clientCapabilities":{"elicitation":{}}})";
  bridge->send(R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"ask","arguments":{},)" + meta + "}}");
  std::vector<json::value> before;
  auto call = read_response(2, 10s, &before);
  EXPECT_EQ(call.at("result").at("content").at(0).at("text"), "answered in time") << call << bridge->stderr_text();
  {
    std::lock_guard lock(mutex);
    EXPECT_NE(refusal.find("no server-to-client requests; elicitation/create cannot reach it"), std::string::npos)
        << refusal;
  }
  for (const auto& line : before) EXPECT_FALSE(line.as_object().contains("method")) << "not for a 2026-07-28 editor: " << line;
}

TEST_F(modern_era_test, list_changes_come_to_the_editor_through_one_listen_stream) {
  start_bridge();
  auto init = handshake("2025-11-25");
  ASSERT_TRUE(init.as_object().contains("result")) << init;
  EXPECT_EQ(init.at("result").at("capabilities").at("tools").at("listChanged"), true) << "promised: it is carried";
  std::vector<std::string> skipped;
  auto line = bridge->read_until([](const std::string& l) { return l.find("list_changed") != std::string::npos; }, 5s,
                                 &skipped);
  ASSERT_TRUE(line) << bridge->stderr_text();
  EXPECT_EQ(json::parse(*line).at("method"), "notifications/tools/list_changed");
  EXPECT_EQ(modern.listens, 1);
  // The acknowledgement is the bridge's business, not the editor's.
  bridge->send(request_line(2, "ping"));
  ASSERT_TRUE(bridge->read_until([](const std::string& l) { return l.find("\"id\":2") != std::string::npos; }, 5s, &skipped));
  for (const auto& l : skipped) EXPECT_EQ(l.find("acknowledged"), std::string::npos) << l;
  modern.hold_listen.open();
}

TEST_F(modern_era_test, a_resource_subscription_rides_on_a_new_listen_stream_and_its_updates_reach_the_editor) {
  start_bridge();
  auto init = handshake("2025-11-25");
  ASSERT_TRUE(init.as_object().contains("result")) << init;
  EXPECT_EQ(init.at("result").at("capabilities").at("resources").at("subscribe"), true) << "promised: it is carried";
  auto has = [](std::string_view what) { return [what](const std::string& l) { return l.find(what) != std::string::npos; }; };
  ASSERT_TRUE(bridge->read_until(has("list_changed"), 5s)) << bridge->stderr_text();

  bridge->send(request_line(2, "resources/subscribe", {{"uri", "test://watched"}}));
  auto subscribed = read_response(2);
  EXPECT_EQ(subscribed.at("result"), json::object{}) << subscribed;
  auto updated = bridge->read_until(has("notifications/resources/updated"), 5s);
  ASSERT_TRUE(updated) << bridge->stderr_text();
  EXPECT_EQ(json::parse(*updated).at("params").at("uri"), "test://watched");
  EXPECT_EQ(modern.listens, 2) << "one new stream for the new set of subscriptions";
  const auto closed_by = std::chrono::steady_clock::now() + 3s;
  while (modern.listens_gone < 1 && std::chrono::steady_clock::now() < closed_by) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(modern.listens_gone, 1) << "the stream it replaces is closed, so nothing comes twice";

  bridge->send(request_line(3, "resources/unsubscribe", {{"uri", "test://watched"}}));
  EXPECT_TRUE(read_response(3).as_object().contains("result"));
  ASSERT_TRUE(modern.wait_listens(3, 5s));
  {
    std::lock_guard lock(modern.listen_mutex);
    ASSERT_EQ(modern.listen_filters.size(), 3u);
    EXPECT_EQ(json::serialize(modern.listen_filters[0]), R"({"toolsListChanged":true})");
    EXPECT_EQ(json::serialize(modern.listen_filters[1]), R"({"toolsListChanged":true,"resourceSubscriptions":["test://watched"]})");
    EXPECT_EQ(json::serialize(modern.listen_filters[2]), R"({"toolsListChanged":true})");
  }
  // A subscription without a URI is refused, and nothing new is listened for.
  bridge->send(request_line(4, "resources/subscribe"));
  EXPECT_NE(message_of(read_response(4)).find("params.uri"), std::string::npos);
  EXPECT_EQ(modern.listens, 3);
  modern.hold_listen.open();
}

// The era found is remembered (config dir/eras.json): the next bridge asks a legacy server no
// server/discover, and a remembered era that turns out wrong is asked again, not trusted.
class remembered_era_test : public bridge_test {
 protected:
  std::map<std::string, std::string> env() const { return {{"AWORK_MCP_CONFIG_DIR", config.path()}}; }
  std::string eras_file() const {
    std::ifstream in(config.path() + "/eras.json");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  test_support::temp_dir config;
};

TEST_F(remembered_era_test, the_next_start_skips_the_question_for_a_legacy_server) {
  start_bridge({}, env());
  ASSERT_TRUE(handshake().as_object().contains("result"));
  bridge.reset();
  EXPECT_EQ(posts_with_method("server/discover").size(), 1u);
  EXPECT_NE(eras_file().find(R"("era":"legacy")"), std::string::npos) << eras_file();

  start_bridge({}, env());
  ASSERT_TRUE(handshake().as_object().contains("result"));
  EXPECT_EQ(posts_with_method("server/discover").size(), 1u) << "asked again although the era was known";
  EXPECT_EQ(posts_with_method("initialize").size(), 2u);
}

TEST_F(remembered_era_test, a_server_that_moved_to_2026_07_28_is_asked_again_and_remembered_anew) {
  start_bridge({}, env());
  ASSERT_TRUE(handshake().as_object().contains("result"));
  bridge.reset();
  ASSERT_NE(eras_file().find(R"("era":"legacy")"), std::string::npos) << eras_file();

  modern_server modern;
  peers_stopped_at_scope_end stop_peers_first{*this};  // the handlers use this test's locals
  mcp.on_request = [&](const auto& req, server_reply& reply) { return modern.handle(req, reply); };
  start_bridge({}, env());
  bridge->send(initialize_line(1, "2025-06-18"));
  auto init = read_response(1);
  ASSERT_TRUE(init.as_object().contains("result")) << init << bridge->stderr_text();
  EXPECT_EQ(init.at("result").at("serverInfo").at("name"), "modern-test");
  bridge->send(request_line(2, "tools/list"));
  EXPECT_TRUE(read_response(2).as_object().contains("result"));
  bridge.reset();
  EXPECT_NE(eras_file().find(R"("era":"modern")"), std::string::npos) << eras_file();
  modern.hold_listen.open();
}

TEST_F(remembered_era_test, a_2026_07_28_answer_to_a_remembered_legacy_initialize_is_not_passed_on) {
  start_bridge({}, env());
  ASSERT_TRUE(handshake().as_object().contains("result"));
  bridge.reset();

  // A server now on 2026-07-28 that answers a legacy initialize with its own version, which a
  // legacy editor would refuse.
  modern_server modern;
  peers_stopped_at_scope_end stop_peers_first{*this};  // the handlers use this test's locals
  mcp.on_request = [&](const auto& req, server_reply& reply) {
    if (req.body().find("\"initialize\"") != std::string::npos) {
      const auto id = json::parse(req.body()).at("id");
      reply.json(200, R"({"jsonrpc":"2.0","id":)" + json::serialize(id) +
                          R"(,"result":{"protocolVersion":"2026-07-28","capabilities":{},"serverInfo":{"name":"x","version":"1"}}})");
      return true;
    }
    return modern.handle(req, reply);
  };
  start_bridge({}, env());
  bridge->send(initialize_line(1, "2025-06-18"));
  auto init = read_response(1);
  ASSERT_TRUE(init.as_object().contains("result")) << init << bridge->stderr_text();
  EXPECT_EQ(init.at("result").at("protocolVersion"), "2025-06-18");
  EXPECT_EQ(init.at("result").at("serverInfo").at("name"), "modern-test") << "answered from server/discover";
  modern.hold_listen.open();
}
