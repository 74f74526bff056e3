// End to end: the real bridge against the official reference server
// @modelcontextprotocol/server-everything in its Streamable HTTP mode, on 127.0.0.1.

#include "bridge_process.hpp"
#include "node_peer.hpp"

#include <boost/asio.hpp>
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

namespace json = boost::json;
namespace net = boost::asio;
using namespace std::chrono_literals;
using test_support::bridge_process;

namespace {

// The server is started once for the suite. If it cannot start, every test FAILS with the
// reason (an exception out of SetUpTestSuite would make gtest skip them, and ctest counts
// skipped tests as passed).
class server_everything : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      server_ = new test_support::node_peer("node_modules/@modelcontextprotocol/server-everything/dist/index.js",
                                            {"streamableHttp"}, {{"PORT", "{port}"}});
    } catch (const std::exception& e) {
      start_error_ = e.what();
    }
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  /// Options a test's bridge runs with beside --url (a tool filter, say).
  virtual std::vector<std::string> extra_args() const { return {}; }

  void SetUp() override {
    ASSERT_NE(server_, nullptr) << "the reference server is not running: " << start_error_;
    bridge_process::options opts;
    opts.args = {"--url", server_->url(), "--log-level", "info"};
    for (auto& arg : extra_args()) opts.args.push_back(arg);
    bridge_ = std::make_unique<bridge_process>(opts);
    json::object capabilities{{"sampling", json::object{}}, {"elicitation", json::object{}}};
    send({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"},
          {"params", {{"protocolVersion", "2025-06-18"}, {"capabilities", capabilities},
                      {"clientInfo", {{"name", "awork-mcp-e2e"}, {"version", "1"}}}}}});
    auto init = await(1);
    ASSERT_TRUE(init.as_object().contains("result")) << init;
    send({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
  }

  void send(const json::object& message) { bridge_->send(json::serialize(message)); }

  json::value call_tool(int id, const char* name, json::object arguments, json::object meta = {}) {
    json::object params{{"name", name}, {"arguments", std::move(arguments)}};
    if (!meta.empty()) params["_meta"] = std::move(meta);
    send({{"jsonrpc", "2.0"}, {"id", id}, {"method", "tools/call"}, {"params", std::move(params)}});
    return await(id);
  }

  json::value call_tool_answering(int id, const char* name, json::object arguments,
                                  const std::function<json::value(const json::object&)>& on_request) {
    send({{"jsonrpc", "2.0"}, {"id", id}, {"method", "tools/call"}, {"params", {{"name", name}, {"arguments", std::move(arguments)}}}});
    return await(id, [&](const json::object& request) -> json::value {
      if (request.at("method") == "roots/list") return json::object{{"roots", json::array{}}};
      return on_request(request);
    });
  }

  /// Reads until the response with `id`. Server requests met on the way are answered by
  /// `on_request` (or collected), other messages are collected in `seen_`.
  json::value await(int id, const std::function<json::value(const json::object&)>& on_request = {}) {
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      auto line = bridge_->read_line(30s);
      if (!line) break;
      auto v = json::parse(*line);
      auto& m = v.as_object();
      if (m.contains("method") && m.contains("id")) {  // a request from the server
        requests_.push_back(m);
        if (on_request) {
          auto result = on_request(m);
          bridge_->send(json::serialize(json::object{{"jsonrpc", "2.0"}, {"id", m.at("id")}, {"result", result}}));
        } else if (m.at("method") == "roots/list") {
          bridge_->send(json::serialize(json::object{{"jsonrpc", "2.0"}, {"id", m.at("id")}, {"result", {{"roots", json::array{}}}}}));
        }
        continue;
      }
      if (m.contains("id") && m.at("id") == id) return v;
      seen_.push_back(m);
    }
    ADD_FAILURE() << "no response " << id << "; bridge stderr:\n" << bridge_->stderr_text();
    return json::object{};
  }

  static test_support::node_peer* server_;
  static std::string start_error_;
  std::unique_ptr<bridge_process> bridge_;
  std::vector<json::object> seen_;
  std::vector<json::object> requests_;
};

test_support::node_peer* server_everything::server_ = nullptr;
std::string server_everything::start_error_;

}  // namespace

TEST_F(server_everything, tools_list_and_echo) {
  send({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "tools/list"}});
  auto list = await(2);
  bool has_echo = false;
  for (auto& tool : list.at("result").at("tools").as_array()) has_echo |= tool.at("name") == "echo";
  EXPECT_TRUE(has_echo) << list;
  auto echo = call_tool(3, "echo", {{"message", "hello through the bridge"}});
  EXPECT_EQ(echo.at("result").at("content").at(0).at("text"), "Echo: hello through the bridge");
}

TEST_F(server_everything, progress_arrives_before_the_result) {
  auto result = call_tool(4, "trigger-long-running-operation", {{"duration", 1}, {"steps", 3}}, {{"progressToken", "p-4"}});
  ASSERT_TRUE(result.as_object().contains("result")) << result;
  int progress = 0;
  for (auto& m : seen_)
    if (m.at("method") == "notifications/progress" && m.at("params").at("progressToken") == "p-4") ++progress;
  EXPECT_EQ(progress, 3) << "progress notifications must reach stdout before the result";
}

TEST_F(server_everything, sampling_round_trip) {
  auto result = call_tool_answering(5, "trigger-sampling-request", {{"prompt", "say hi"}, {"maxTokens", 20}},
                                    [](const json::object& request) -> json::value {
                                      EXPECT_EQ(request.at("method"), "sampling/createMessage");
                                      return json::object{{"role", "assistant"},
                                                          {"content", {{"type", "text"}, {"text", "sampled-by-the-test"}}},
                                                          {"model", "test-model"},
                                                          {"stopReason", "endTurn"}};
                                    });
  ASSERT_TRUE(result.as_object().contains("result")) << result;
  EXPECT_NE(json::serialize(result).find("sampled-by-the-test"), std::string::npos) << result;
}

TEST_F(server_everything, elicitation_round_trip) {
  auto result = call_tool_answering(6, "trigger-elicitation-request", {}, [](const json::object& request) -> json::value {
    EXPECT_EQ(request.at("method"), "elicitation/create");
    // Accept with a value for every field: its default, or one of its type.
    json::object content;
    for (auto& [name, schema] : request.at("params").at("requestedSchema").at("properties").as_object()) {
      auto& s = schema.as_object();
      if (s.contains("default")) content[name] = s.at("default");
      else if (s.contains("enum")) content[name] = s.at("enum").at(0);
      else if (s.at("type") == "boolean") content[name] = true;
      else if (s.at("type") == "number" || s.at("type") == "integer") content[name] = 42;
      else content[name] = s.contains("format") && s.at("format") == "email" ? "e2e@example.com" : "elicited-by-the-test";
    }
    return json::object{{"action", "accept"}, {"content", content}};
  });
  ASSERT_TRUE(result.as_object().contains("result")) << result;
  EXPECT_NE(json::serialize(result).find("accept"), std::string::npos) << result;
  ASSERT_FALSE(requests_.empty());
}

TEST_F(server_everything, resources_and_prompts) {
  send({{"jsonrpc", "2.0"}, {"id", 7}, {"method", "resources/list"}});
  auto resources = await(7);
  EXPECT_FALSE(resources.at("result").at("resources").as_array().empty()) << resources;
  send({{"jsonrpc", "2.0"}, {"id", 8}, {"method", "prompts/list"}});
  auto prompts = await(8);
  EXPECT_FALSE(prompts.at("result").at("prompts").as_array().empty()) << prompts;
}

// The editor gives up on a long call: its stream is closed, nothing of it comes back, and the
// session goes on.
TEST_F(server_everything, a_cancelled_call_sends_nothing_more_and_the_session_goes_on) {
  send({{"jsonrpc", "2.0"}, {"id", 9}, {"method", "tools/call"},
        {"params", {{"name", "trigger-long-running-operation"}, {"arguments", {{"duration", 3}, {"steps", 6}}},
                    {"_meta", {{"progressToken", "p-9"}}}}}});
  // Its first progress: the call is running on the server.
  bool running = false;
  while (auto line = bridge_->read_line(10s)) {
    auto m = json::parse(*line).as_object();
    if (m.contains("method") && m.at("method") == "notifications/progress") {
      running = true;
      break;
    }
  }
  ASSERT_TRUE(running) << bridge_->stderr_text();
  send({{"jsonrpc", "2.0"}, {"method", "notifications/cancelled"}, {"params", {{"requestId", 9}, {"reason", "the user"}}}});
  const auto cancelled = std::chrono::steady_clock::now();
  auto echo = call_tool(10, "echo", {{"message", "still here"}});
  EXPECT_EQ(echo.at("result").at("content").at(0).at("text"), "Echo: still here");
  EXPECT_LT(std::chrono::steady_clock::now() - cancelled, 1s);
  // Past the call's own end (3 s): neither its answer nor more of its progress.
  while (auto line = bridge_->read_line(std::chrono::milliseconds(200))) seen_.push_back(json::parse(*line).as_object());
  std::this_thread::sleep_for(3s);
  while (auto line = bridge_->read_line(std::chrono::milliseconds(200))) seen_.push_back(json::parse(*line).as_object());
  for (const auto& m : seen_) {
    EXPECT_FALSE(m.contains("id") && m.at("id") == 9) << "an answer to a cancelled request: " << json::serialize(m);
    EXPECT_FALSE(m.contains("method") && m.at("method") == "notifications/progress")
        << "progress of a cancelled request: " << json::serialize(m);
  }
}

// --read-only: only the tools the server marks readOnlyHint reach the editor, and a call to
// another one is refused at once.
class server_everything_read_only : public server_everything {
 protected:
  std::vector<std::string> extra_args() const override { return {"--read-only"}; }
};

TEST_F(server_everything_read_only, only_read_only_tools_are_listed_and_others_are_refused) {
  send({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "tools/list"}});
  auto list = await(2);
  const auto& tools = list.at("result").at("tools").as_array();
  ASSERT_FALSE(tools.empty()) << list;
  bool has_echo = false;
  for (const auto& tool : tools) {
    has_echo |= tool.at("name") == "echo";
    const auto* annotations = tool.as_object().if_contains("annotations");
    const auto* read_only = annotations ? annotations->as_object().if_contains("readOnlyHint") : nullptr;
    EXPECT_TRUE(read_only && *read_only == true) << "listed though not read-only: " << tool.at("name");
  }
  EXPECT_TRUE(has_echo) << list;
  const auto sent = std::chrono::steady_clock::now();
  auto refused = call_tool(3, "gzip-file-as-resource", {{"name", "x.txt"}, {"data", "data:text/plain,x"}});
  EXPECT_LT(std::chrono::steady_clock::now() - sent, 500ms);
  ASSERT_TRUE(refused.as_object().contains("error")) << refused;
  EXPECT_EQ(refused.at("error").at("code"), -32602);
  EXPECT_NE(json::serialize(refused).find("read-only"), std::string::npos) << refused;
  // The server never ran it: no resource of that name was made.
  send({{"jsonrpc", "2.0"}, {"id", 4}, {"method", "resources/list"}});
  EXPECT_EQ(json::serialize(await(4)).find("x.txt"), std::string::npos);
  auto echo = call_tool(5, "echo", {{"message", "allowed"}});
  EXPECT_EQ(echo.at("result").at("content").at(0).at("text"), "Echo: allowed");
}

// --deny-tool with a glob: every matching tool is gone from the list and refused.
class server_everything_deny : public server_everything {
 protected:
  std::vector<std::string> extra_args() const override { return {"--deny-tool", "trigger-*"}; }
};

TEST_F(server_everything_deny, denied_tools_are_hidden_and_refused) {
  send({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "tools/list"}});
  auto list = await(2);
  std::size_t listed = 0;
  for (const auto& tool : list.at("result").at("tools").as_array()) {
    ++listed;
    EXPECT_NE(std::string(tool.at("name").as_string()).rfind("trigger-", 0), 0u) << "denied but listed: " << tool.at("name");
  }
  EXPECT_GT(listed, 3u) << list;
  auto refused = call_tool(3, "trigger-long-running-operation", {{"duration", 1}, {"steps", 2}}, {{"progressToken", "p-3"}});
  ASSERT_TRUE(refused.as_object().contains("error")) << refused;
  EXPECT_EQ(refused.at("error").at("code"), -32602);
  for (const auto& m : seen_) EXPECT_NE(m.at("method"), "notifications/progress") << "the denied tool ran";
}
