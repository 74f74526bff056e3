// A 2026-07-28 editor in front of a legacy server: the handshake made for it, and the discover
// result made from the handshake's answer.

#include "awork_mcp/era/legacy_wire.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

using namespace awork_mcp;

TEST(era_legacy_wire, initialize_request_from_meta_table) {
  struct row {
    const char* name;
    const char* modern;
    const char* expected;
  };
  const row rows[] = {
      {"the editor's own",
       R"({"jsonrpc":"2.0","id":9,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",)"
       R"("io.modelcontextprotocol/clientCapabilities":{"elicitation":{ "form":{} }},"io.modelcontextprotocol/clientInfo":{"name":"ed","version":"2.50"}}}})",
       R"({"jsonrpc":"2.0","id":"i-1","method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{"elicitation":{ "form":{} }},"clientInfo":{"name":"ed","version":"2.50"}}})"},
      {"nothing said",
       R"({"jsonrpc":"2.0","id":9,"method":"server/discover"})",
       R"({"jsonrpc":"2.0","id":"i-1","method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"awork-mcp-bridge","version":"1"}}})"},
      {"wrong types are ignored",
       R"({"id":9,"method":"m","params":{"_meta":{"io.modelcontextprotocol/clientCapabilities":[],"io.modelcontextprotocol/clientInfo":"ed"}}})",
       R"({"jsonrpc":"2.0","id":"i-1","method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"awork-mcp-bridge","version":"1"}}})"},
  };
  for (const auto& r : rows) EXPECT_EQ(initialize_request_from_meta(r.modern, R"("i-1")"), r.expected) << r.name;
}

TEST(era_legacy_wire, discover_response_from_initialize_table) {
  struct row {
    const char* name;
    const char* initialize;
    std::optional<std::string> expected;
  };
  const row rows[] = {
      {"full",
       R"({"jsonrpc":"2.0","id":"i-1","result":{"protocolVersion":"2025-11-25","capabilities":{"tools":{"listChanged":true},"resources":{"subscribe":true,"x":1.0},"logging":{}},)"
       R"("serverInfo":{"name":"old","version":"2.50"},"instructions":"Use \u00e9"}})",
       R"({"jsonrpc":"2.0","id":7,"result":{"resultType":"complete","supportedVersions":["2026-07-28"],"capabilities":{"tools":{"listChanged":true},"resources":{"subscribe":true,"x":1.0},"logging":{}},)"
       R"("instructions":"Use \u00e9","ttlMs":0,"cacheScope":"private","_meta":{"io.modelcontextprotocol/serverInfo":{"name":"old","version":"2.50"}}}})"},
      {"bare",
       R"({"jsonrpc":"2.0","id":"i-1","result":{"protocolVersion":"2025-03-26"}})",
       R"({"jsonrpc":"2.0","id":7,"result":{"resultType":"complete","supportedVersions":["2026-07-28"],"capabilities":{},)"
       R"("ttlMs":0,"cacheScope":"private","_meta":{"io.modelcontextprotocol/serverInfo":{"name":"unknown","version":"0"}}}})"},
      {"an error", R"({"jsonrpc":"2.0","id":"i-1","error":{"code":-32600,"message":"no"}})", std::nullopt},
      {"not a result", R"({"jsonrpc":"2.0","id":"i-1","result":{"tools":[]}})", std::nullopt},
      {"garbage", "{\"result\":", std::nullopt},
  };
  for (const auto& r : rows) EXPECT_EQ(discover_response_from_initialize(r.initialize, "7"), r.expected) << r.name;
}

TEST(era_legacy_wire, a_server_request_that_cannot_reach_a_modern_editor_is_answered_with_an_error) {
  EXPECT_EQ(unjoinable_server_request("\"s-1\"", "sampling/createMessage"),
            R"({"jsonrpc":"2.0","id":"s-1","error":{"code":-32601,"message":"the client speaks MCP 2026-07-28, which has no server-to-client requests; sampling/createMessage cannot reach it through this bridge"}})");
}

TEST(era_legacy_wire, modern_result_table) {
  struct row {
    const char* name;
    const char* line;
    const char* method;
    const char* expected;
  };
  const row rows[] = {
      {"a call result", R"({"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"x"}],"n":1.0}})", "tools/call",
       R"({"jsonrpc":"2.0","id":1,"result":{"resultType":"complete","content":[{"type":"text","text":"x"}],"n":1.0}})"},
      {"a list", R"({"jsonrpc":"2.0","id":2,"result":{"tools":[]}})", "tools/list",
       R"({"jsonrpc":"2.0","id":2,"result":{"resultType":"complete","ttlMs":0,"cacheScope":"private","tools":[]}})"},
      {"a read that says its own cache", R"({"id":3,"result":{"contents":[],"ttlMs":5000,"cacheScope":"public"}})", "resources/read",
       R"({"id":3,"result":{"resultType":"complete","contents":[],"ttlMs":5000,"cacheScope":"public"}})"},
      {"already modern", R"({"id":4,"result":{"resultType":"input_required"}})", "tools/call", R"({"id":4,"result":{"resultType":"input_required"}})"},
      {"an error", R"({"jsonrpc":"2.0","id":5,"error":{"code":-32601,"message":"no"}})", "tools/list",
       R"({"jsonrpc":"2.0","id":5,"error":{"code":-32601,"message":"no"}})"},
  };
  for (const auto& r : rows) EXPECT_EQ(modern_result(r.line, r.method), r.expected) << r.name;
}

namespace {

const std::string legacy_initialize =
    R"({"jsonrpc":"2.0","id":"i-1","result":{"protocolVersion":"2025-11-25","capabilities":)"
    R"({"tools":{"listChanged":true},"resources":{"subscribe":true,"listChanged":false}},"serverInfo":{"name":"old","version":"1"}}})";

std::string listen_line(std::string_view id, std::string_view filter) {
  return R"({"jsonrpc":"2.0","id":)" + std::string(id) +
         R"(,"method":"subscriptions/listen","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"},"notifications":)" +
         std::string(filter) + "}}";
}

}  // namespace

TEST(era_legacy_wire, plan_legacy_listen_table) {
  struct row {
    const char* name;
    std::string request;
    std::string initialize;
    std::optional<legacy_listen> expected;
  };
  const std::vector<row> rows = {
      {"only what the server offers is honoured",
       listen_line(R"("listen:1")", R"({"toolsListChanged":true,"promptsListChanged":true,"resourcesListChanged":true,"resourceSubscriptions":["a://1","a://2","a://1"]})"),
       legacy_initialize,
       legacy_listen{R"("listen:1")", true, false, false, true, {"a://1", "a://2"}}},
      {"nothing asked", listen_line("7", "{}"), legacy_initialize, legacy_listen{"7", false, false, false, false, {}}},
      {"false is not asked", listen_line("7", R"({"toolsListChanged":false})"), legacy_initialize,
       legacy_listen{"7", false, false, false, false, {}}},
      {"subscriptions without the server's subscribe",
       listen_line("8", R"({"resourceSubscriptions":["a://1"]})"),
       R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{"resources":{}}}})",
       legacy_listen{"8", false, false, false, false, {}}},
      {"a server that said nothing", listen_line("9", R"({"toolsListChanged":true})"), "not json",
       legacy_listen{"9", false, false, false, false, {}}},
      {"no filter", R"({"jsonrpc":"2.0","id":1,"method":"subscriptions/listen","params":{}})", legacy_initialize, std::nullopt},
      {"a filter that is not an object", listen_line("1", "[]"), legacy_initialize, std::nullopt},
      {"no id", R"({"jsonrpc":"2.0","method":"subscriptions/listen","params":{"notifications":{}}})", legacy_initialize,
       std::nullopt},
  };
  for (const auto& r : rows) EXPECT_EQ(plan_legacy_listen(r.request, r.initialize), r.expected) << r.name;
}

TEST(era_legacy_wire, listen_acknowledgement_names_the_honoured_filter_and_the_subscription) {
  EXPECT_EQ(listen_acknowledgement(legacy_listen{R"("listen:1")", true, false, true, true, {"a://1", "b\"q"}}),
            R"({"jsonrpc":"2.0","method":"notifications/subscriptions/acknowledged","params":{"notifications":)"
            R"({"toolsListChanged":true,"resourcesListChanged":true,"resourceSubscriptions":["a://1","b\"q"]},)"
            R"("_meta":{"io.modelcontextprotocol/subscriptionId":"listen:1"}}})");
  EXPECT_EQ(listen_acknowledgement(legacy_listen{"3", false, false, false, false, {}}),
            R"({"jsonrpc":"2.0","method":"notifications/subscriptions/acknowledged","params":{"notifications":{},)"
            R"("_meta":{"io.modelcontextprotocol/subscriptionId":3}}})");
}

TEST(era_legacy_wire, listen_notification_table) {
  const legacy_listen listen{R"("L")", true, false, true, true, {"a://1"}};
  struct row {
    const char* name;
    const char* line;
    std::optional<std::string> expected;
  };
  const row rows[] = {
      {"tools changed, no params", R"({"jsonrpc":"2.0","method":"notifications/tools/list_changed"})",
       R"({"params":{"_meta":{"io.modelcontextprotocol/subscriptionId":"L"}},"jsonrpc":"2.0","method":"notifications/tools/list_changed"})"},
      {"resources changed, its own _meta kept", R"({"jsonrpc":"2.0","method":"notifications/resources/list_changed","params":{"_meta":{"k":1.0}}})",
       R"({"jsonrpc":"2.0","method":"notifications/resources/list_changed","params":{"_meta":{"io.modelcontextprotocol/subscriptionId":"L","k":1.0}}})"},
      {"a subscribed resource", R"({"jsonrpc":"2.0","method":"notifications/resources/updated","params":{"uri":"a://1"}})",
       R"({"jsonrpc":"2.0","method":"notifications/resources/updated","params":{"_meta":{"io.modelcontextprotocol/subscriptionId":"L"},"uri":"a://1"}})"},
      {"another resource", R"({"jsonrpc":"2.0","method":"notifications/resources/updated","params":{"uri":"a://2"}})", std::nullopt},
      {"not asked for", R"({"jsonrpc":"2.0","method":"notifications/prompts/list_changed"})", std::nullopt},
      {"a log message", R"({"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"x"}})", std::nullopt},
      {"a request", R"({"jsonrpc":"2.0","id":1,"method":"notifications/tools/list_changed"})", std::nullopt},
      {"not json", "garbage", std::nullopt},
  };
  for (const auto& r : rows) EXPECT_EQ(listen_notification(listen, r.line), r.expected) << r.name;
}
