// A 2026-07-28 editor in front of a legacy server: the handshake made for it, and the discover
// result made from the handshake's answer.

#include "awork_mcp/era/legacy_wire.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

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
       R"({"jsonrpc":"2.0","id":7,"result":{"resultType":"complete","supportedVersions":["2026-07-28"],"capabilities":{"tools":{},"resources":{"x":1.0},"logging":{}},)"
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
