// The MCP requests of `awork-mcp check` and what it reads from their answers.

#include "awork_mcp/check/mcp_probe.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

using namespace awork_mcp;

TEST(check_mcp_probe, requests_are_valid_json_rpc) {
  const auto initialize = boost::json::parse(check_initialize_request(R"("c/1")"));
  EXPECT_EQ(initialize.at("id"), "c/1");
  EXPECT_EQ(initialize.at("method"), "initialize");
  EXPECT_EQ(initialize.at("params").at("protocolVersion"), "2025-11-25");
  EXPECT_EQ(initialize.at("params").at("clientInfo").at("name"), "awork-mcp-check");

  EXPECT_EQ(tools_list_request("7", ""), R"({"jsonrpc":"2.0","id":7,"method":"tools/list"})");
  const auto paged = boost::json::parse(tools_list_request("7", "next \"page\""));
  EXPECT_EQ(paged.at("params").at("cursor"), "next \"page\"");
}

TEST(check_mcp_probe, the_response_is_found_in_json_and_in_event_streams) {
  const std::string response = R"({"jsonrpc":"2.0","id":"c/1","result":{}})";
  struct row {
    const char* name;
    std::string media_type;
    std::string body;
    std::optional<std::string> found;
  };
  const row rows[] = {
      {"json", "application/json", response, response},
      {"json, another id", "application/json", R"({"jsonrpc":"2.0","id":"c/2","result":{}})", std::nullopt},
      {"json, a request", "application/json", R"({"jsonrpc":"2.0","id":"c/1","method":"ping"})", std::nullopt},
      {"sse with priming and progress", "text/event-stream",
       "id: p\ndata: \n\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}\n\ndata: " + response + "\n\n",
       response},
      {"sse without the last blank line", "text/event-stream", "data: " + response, response},
      {"sse of another type", "text/event-stream", "event: other\ndata: " + response + "\n\n", std::nullopt},
      {"html", "text/html", response, std::nullopt},
      {"not json", "application/json", "<html>", std::nullopt},
  };
  for (const auto& r : rows) EXPECT_EQ(response_in_reply(r.media_type, r.body, R"("c/1")"), r.found) << r.name;
}

TEST(check_mcp_probe, what_follows_server_discover) {
  const std::string modern = R"({"jsonrpc":"2.0","id":1,"result":{"supportedVersions":["2026-07-28"]}})";
  const std::string legacy_result = R"({"jsonrpc":"2.0","id":1,"result":{}})";
  const std::string not_found = R"({"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found"}})";
  const std::string unsupported =
      R"({"jsonrpc":"2.0","id":1,"error":{"code":-32022,"message":"x","data":{"supported":["2026-07-28"]}}})";
  struct row {
    unsigned status;
    std::string line;
    discover_next next;
  };
  const row rows[] = {
      {200, modern, discover_next::modern},
      {200, legacy_result, discover_next::initialize},
      {200, not_found, discover_next::initialize},
      {400, not_found, discover_next::initialize},
      {400, unsupported, discover_next::ask_again},
      {404, "", discover_next::initialize},
      {405, "", discover_next::initialize},
      {500, "", discover_next::initialize},
      {401, "", discover_next::stop},
      {403, "", discover_next::stop},
      {429, "", discover_next::stop},
      {307, "", discover_next::stop},
      {0, "", discover_next::stop},
  };
  for (const auto& r : rows) EXPECT_EQ(after_discover(r.status, r.line), r.next) << r.status << " " << r.line;
}

TEST(check_mcp_probe, the_server_is_named_from_its_answers) {
  auto legacy = identity_from_initialize(
      R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","serverInfo":{"name":"awork","version":"1.4"}}})");
  EXPECT_EQ(legacy.name, "awork");
  EXPECT_EQ(legacy.version, "1.4");
  EXPECT_EQ(legacy.protocol_version, "2025-06-18");
  EXPECT_EQ(legacy.error, "");
  EXPECT_EQ(identity_from_initialize(R"({"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"bad version"}})").error,
            "bad version (-32602)");
  EXPECT_EQ(identity_from_initialize("[]").error, "the answer is not a JSON object");
  EXPECT_EQ(identity_from_initialize(R"({"jsonrpc":"2.0","id":1})").error, "the answer has no result");

  auto modern = identity_from_discover(
      R"({"jsonrpc":"2.0","id":1,"result":{"supportedVersions":["2026-07-28"],)"
      R"("_meta":{"io.modelcontextprotocol/serverInfo":{"name":"m","version":"2"}}}})");
  EXPECT_EQ(modern.name, "m");
  EXPECT_EQ(modern.protocol_version, "2026-07-28");
  auto plain = identity_from_discover(R"({"jsonrpc":"2.0","id":1,"result":{"serverInfo":{"name":"p"}}})");
  EXPECT_EQ(plain.name, "p");
  EXPECT_EQ(plain.version, "");
}

TEST(check_mcp_probe, tool_pages_are_counted) {
  auto page = read_tool_page(R"({"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"a"},{"name":"b"}],"nextCursor":"2"}})");
  EXPECT_EQ(page.count, 2u);
  EXPECT_EQ(page.next_cursor, "2");
  EXPECT_EQ(page.error, "");
  EXPECT_EQ(read_tool_page(R"({"jsonrpc":"2.0","id":1,"result":{"tools":[]}})").next_cursor, "");
  EXPECT_EQ(read_tool_page(R"({"jsonrpc":"2.0","id":1,"result":{}})").error, "the answer has no tools array");
  EXPECT_EQ(read_tool_page(R"({"jsonrpc":"2.0","id":1,"error":{"code":-32003,"message":"Forbidden"}})").error,
            "Forbidden (-32003)");
}
