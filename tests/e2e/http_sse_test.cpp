// End to end: the bridge's last fallback, MCP 2024-11-05's HTTP+SSE transport, against a server
// built on the 1.x SDK's SSEServerTransport (tests/peers/legacy-sse-server.mjs), on 127.0.0.1.
// The editor speaks plain stdio JSON-RPC and never learns which transport carried it.

#include "bridge_process.hpp"
#include "node_peer.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <thread>

namespace json = boost::json;
using namespace std::chrono_literals;
using test_support::bridge_process;
using test_support::node_peer;

namespace {

/// One line read from the bridge, and when.
struct seen_line {
  json::object message;
  std::chrono::steady_clock::time_point at;
};

// The peer starts once for the suite; one that cannot start fails every test with the reason.
class http_sse : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      server_ = new node_peer("legacy-sse-server.mjs", {"{port}"});
    } catch (const std::exception& e) {
      start_error_ = e.what();
    }
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr) << "the HTTP+SSE peer is not running: " << start_error_;
    bridge_process::options opts;
    opts.args = {"--url", server_->url(), "--log-level", "info"};
    bridge_ = std::make_unique<bridge_process>(opts);
    send(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2024-11-05",)"
         R"("capabilities":{"sampling":{}},"clientInfo":{"name":"awork-mcp-e2e","version":"1"}}})");
    initialize_ = await(1).message;
    send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  }

  void send(const std::string& line) { bridge_->send(line); }
  void call(int id, const std::string& tool, const std::string& arguments, const std::string& meta = {}) {
    send(R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"method":"tools/call","params":{"name":")" + tool +
         R"(","arguments":)" + arguments + (meta.empty() ? "" : R"(,"_meta":)" + meta) + "}}");
  }

  /// Reads until the response with `id`; server requests met on the way go to `on_request`
  /// (answered with what it returns), every line is kept in `lines_`.
  seen_line await(int id, const std::function<json::value(const json::object&)>& on_request = {}) {
    for (auto& line : lines_)
      if (!line.message.contains("method") && line.message.contains("id") && line.message.at("id") == id) return line;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline) {
      auto text = bridge_->read_line(20s);
      if (!text) break;
      seen_line line{json::parse(*text).as_object(), std::chrono::steady_clock::now()};
      lines_.push_back(line);
      if (line.message.contains("method") && line.message.contains("id") && on_request)
        send(json::serialize(json::object{{"jsonrpc", "2.0"}, {"id", line.message.at("id")}, {"result", on_request(line.message)}}));
      if (!line.message.contains("method") && line.message.contains("id") && line.message.at("id") == id) return line;
    }
    ADD_FAILURE() << "no response " << id << "; bridge stderr:\n" << bridge_->stderr_text();
    return {};
  }

  static std::string text_of(const json::object& response) {
    if (!response.contains("result")) return "(no result: " + json::serialize(response) + ")";
    return std::string(response.at("result").at("content").at(0).at("text").as_string());
  }

  static node_peer* server_;
  static std::string start_error_;
  std::unique_ptr<bridge_process> bridge_;
  json::object initialize_;
  std::vector<seen_line> lines_;
};
node_peer* http_sse::server_ = nullptr;
std::string http_sse::start_error_;

}  // namespace

TEST_F(http_sse, an_old_server_is_reached_through_its_event_stream) {
  ASSERT_TRUE(initialize_.contains("result")) << initialize_;
  EXPECT_EQ(initialize_.at("result").at("serverInfo").at("name"), "awork-test-legacy-sse-server");
  send(R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})");
  const auto tools = await(2).message;
  ASSERT_TRUE(tools.contains("result")) << tools;
  EXPECT_NE(json::serialize(tools).find(R"("name":"echo")"), std::string::npos) << tools;
  call(3, "echo", R"({"message":"through the old transport"})");
  EXPECT_EQ(text_of(await(3).message), "Echo: through the old transport");
  send(R"({"jsonrpc":"2.0","id":4,"method":"resources/read","params":{"uri":"test://static/hello"}})");
  const auto resource = await(4).message;
  EXPECT_EQ(resource.at("result").at("contents").at(0).at("text"), "Hello, world!") << resource;
  send(R"({"jsonrpc":"2.0","id":5,"method":"prompts/get","params":{"name":"greeting","arguments":{"name":"awork"}}})");
  const auto prompt = await(5).message;
  EXPECT_EQ(prompt.at("result").at("messages").at(0).at("content").at("text"), "Say hello to awork") << prompt;
  EXPECT_NE(bridge_->stderr_text().find("HTTP+SSE"), std::string::npos) << bridge_->stderr_text();
}

TEST_F(http_sse, a_slow_call_does_not_hold_a_quick_one_and_its_progress_comes_first) {
  const auto sent = std::chrono::steady_clock::now();
  call(10, "slow", R"({"ms":800})", R"({"progressToken":"p-10"})");
  call(11, "echo", R"({"message":"quick"})");
  const auto quick = await(11);
  const auto slow = await(10);
  EXPECT_EQ(text_of(quick.message), "Echo: quick");
  EXPECT_EQ(text_of(slow.message), "slept 800");
  EXPECT_LT(quick.at - sent, 600ms) << "the quick call waited for the slow one";
  EXPECT_GE(slow.at - sent, 800ms);
  EXPECT_LT(slow.at - sent, 3s);
  std::optional<std::chrono::steady_clock::time_point> progress_at;
  for (const auto& line : lines_)
    if (line.message.contains("method") && line.message.at("method") == "notifications/progress" &&
        line.message.at("params").at("progressToken") == "p-10")
      progress_at = line.at;
  ASSERT_TRUE(progress_at) << "no progress notification for p-10";
  EXPECT_LE(*progress_at, slow.at);
}

TEST_F(http_sse, the_servers_sampling_request_reaches_the_editor_and_its_answer_the_server) {
  int asked = 0;
  call(20, "ask", "{}");
  const auto answer = await(20, [&](const json::object& request) -> json::value {
    ++asked;
    EXPECT_EQ(request.at("method"), "sampling/createMessage") << request;
    return json::object{{"role", "assistant"}, {"content", {{"type", "text"}, {"text", "sampled-by-the-test"}}},
                        {"model", "test-model"}};
  });
  EXPECT_EQ(asked, 1);
  EXPECT_EQ(text_of(answer.message), "sampled: sampled-by-the-test");
}

TEST_F(http_sse, a_session_that_ends_fails_the_call_in_flight_once_and_the_next_call_opens_a_new_one) {
  call(30, "sessions", "{}");
  const int before = std::stoi(text_of(await(30).message));
  call(31, "slow", R"({"ms":2000})");
  call(32, "drop", "{}");
  EXPECT_EQ(text_of(await(32).message), "dropping");
  const auto lost = await(31).message;
  ASSERT_TRUE(lost.contains("error")) << lost;
  EXPECT_NE(std::string(lost.at("error").at("message").as_string()).find("not sent again"), std::string::npos) << lost;
  // The next call opens a new session (a new stream and a replayed initialize) and is answered.
  call(33, "sessions", "{}");
  EXPECT_EQ(std::stoi(text_of(await(33).message)), before + 1);
  // The slow call's result, had it come, would have had nowhere to go: it was answered once.
  std::this_thread::sleep_for(300ms);
  while (auto text = bridge_->read_line(200ms)) lines_.push_back({json::parse(*text).as_object(), {}});
  int answers_to_31 = 0;
  for (const auto& line : lines_) answers_to_31 += !line.message.contains("method") && line.message.at("id") == 31;
  EXPECT_EQ(answers_to_31, 1);
}

TEST_F(http_sse, the_next_start_goes_straight_to_the_event_stream) {
  test_support::temp_dir config;
  for (int run = 0; run < 2; ++run) {
    bridge_process::options opts;
    opts.args = {"--url", server_->url(), "--log-level", "debug"};
    opts.env = {{"AWORK_MCP_CONFIG_DIR", config.path()}};
    bridge_process bridge(opts);
    bridge.send(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2024-11-05",)"
                R"("capabilities":{},"clientInfo":{"name":"awork-mcp-e2e","version":"1"}}})");
    auto line = bridge.read_line(10s);
    ASSERT_TRUE(line) << bridge.stderr_text();
    EXPECT_TRUE(json::parse(*line).as_object().contains("result")) << *line;
    bridge.close_stdin();
    ASSERT_EQ(bridge.wait(10s), 0);
    const auto log = bridge.stderr_text();
    if (run == 0) {
      EXPECT_NE(log.find("HTTP 405"), std::string::npos) << log;
    } else {
      EXPECT_NE(log.find("spoke http+sse last time"), std::string::npos) << log;
      EXPECT_EQ(log.find("HTTP 405"), std::string::npos) << "the refused POSTs were made again:\n" << log;
    }
  }
}
