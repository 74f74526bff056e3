// --allow-tool, --deny-tool and --read-only with the real binary: what the editor is shown, what
// it may call, and that a refused call never reaches the server.

#include "mcp_fixture.hpp"

using namespace std::chrono_literals;

namespace {

constexpr const char* tools_json =
    R"([{"name":"list_projects","inputSchema":{"type":"object"},"annotations":{"readOnlyHint":true}},)"
    R"({"name":"delete_project","inputSchema":{"type":"object"},"annotations":{"destructiveHint":true}},)"
    R"({"name":"create_task","inputSchema":{"type":"object"}}])";

class tool_filters_test : public bridge_test {
 protected:
  void SetUp() override {
    bridge_test::SetUp();
    mcp.on_post = [](const test_support::request&, server_reply& reply, const json::object& msg) {
      if (msg.contains("method") && msg.at("method") == "tools/list") {
        fake_mcp::answer(reply, msg.at("id"), json::object{{"tools", json::parse(tools_json)}}, false);
        return true;
      }
      return false;
    };
  }
  std::vector<std::string> listed_names(int id) {
    bridge->send(request_line(id, "tools/list"));
    auto list = read_response(id);
    std::vector<std::string> names;
    for (const auto& tool : list.at("result").at("tools").as_array()) names.emplace_back(tool.at("name").as_string());
    return names;
  }
  json::value call(int id, const char* tool) {
    bridge->send(request_line(id, "tools/call", {{"name", tool}, {"arguments", json::object{{"message", tool}}}}));
    return read_response(id);
  }
  std::vector<std::string> tools_called() const {
    std::vector<std::string> names;
    for (const auto& post : posts_with_method("tools/call"))
      names.emplace_back(json::parse(post.body).at("params").at("name").as_string());
    return names;
  }
};

}  // namespace

TEST_F(tool_filters_test, a_denied_tool_is_not_listed_and_its_call_never_reaches_the_server) {
  start_bridge({"--deny-tool", "delete_*"});
  handshake();
  EXPECT_EQ(listed_names(2), (std::vector<std::string>{"list_projects", "create_task"}));
  auto refused = call(3, "delete_project");
  ASSERT_TRUE(refused.as_object().contains("error")) << refused;
  EXPECT_EQ(refused.at("error").at("code"), -32602);
  EXPECT_NE(message_of(refused).find("--deny-tool 'delete_*'"), std::string::npos) << refused;
  EXPECT_EQ(call(4, "create_task").at("result").at("content").at(0).at("text"), "create_task");
  EXPECT_EQ(tools_called(), std::vector<std::string>{"create_task"});
  // A later list (after list_changed, say) is cut down the same way.
  EXPECT_EQ(listed_names(5), (std::vector<std::string>{"list_projects", "create_task"}));
}

// A tool whose input schema nests 60 levels deep (real schemas do): the list is still cut down.
TEST_F(tool_filters_test, a_deeply_nested_list_is_still_filtered) {
  std::string schema;
  for (int i = 0; i < 60; ++i) schema += R"({"type":"object","properties":{"p":)";
  schema += "{}";
  for (int i = 0; i < 60; ++i) schema += "}}";
  mcp.on_post = [schema](const test_support::request&, server_reply& reply, const json::object& msg) {
    if (!msg.contains("method") || msg.at("method") != "tools/list") return false;
    reply.json(200, R"({"jsonrpc":"2.0","id":)" + json::serialize(msg.at("id")) +
                        R"(,"result":{"tools":[{"name":"delete_project","inputSchema":)" + schema +
                        R"(},{"name":"list_projects","inputSchema":)" + schema + "}]}}");
    return true;
  };
  start_bridge({"--deny-tool", "delete_*"});
  handshake();
  bridge->send(request_line(2, "tools/list"));
  auto line = bridge->read_line();
  ASSERT_TRUE(line);
  EXPECT_EQ(line->find("delete_project"), std::string::npos) << "a denied tool was shown: " << line->substr(0, 200);
  EXPECT_NE(line->find("list_projects"), std::string::npos) << line->substr(0, 200);
}

TEST_F(tool_filters_test, read_only_lets_through_only_tools_annotated_read_only) {
  start_bridge({"--read-only"});
  handshake();
  EXPECT_EQ(listed_names(2), std::vector<std::string>{"list_projects"});
  EXPECT_TRUE(call(3, "list_projects").as_object().contains("result"));
  for (int id : {4, 5}) {
    auto refused = call(id, id == 4 ? "create_task" : "delete_project");
    EXPECT_NE(message_of(refused).find("--read-only"), std::string::npos) << refused;
  }
  EXPECT_EQ(tools_called(), std::vector<std::string>{"list_projects"});
}

TEST_F(tool_filters_test, allow_globs_and_a_batch_that_hides_a_refused_call) {
  start_bridge({"--allow-tool", "list_*", "--allow-tool", "create_?ask"});
  handshake("2025-03-26");
  EXPECT_EQ(listed_names(2), (std::vector<std::string>{"list_projects", "create_task"}));
  bridge->send(R"([{"jsonrpc":"2.0","id":10,"method":"tools/call","params":{"name":"create_task"}},)"
               R"({"jsonrpc":"2.0","id":11,"method":"tools/call","params":{"name":"delete_project"}}])");
  for (int id : {10, 11}) {
    auto refused = read_response(id);
    EXPECT_NE(message_of(refused).find("batch is refused whole"), std::string::npos) << refused;
  }
  EXPECT_TRUE(tools_called().empty());
}
