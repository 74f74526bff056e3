// The tool filters as tables: globs, which calls are refused and why, and tools/list answers cut
// down byte for byte.

#include "awork_mcp/core/tool_filter.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace awork_mcp;

TEST(tool_filter, globs) {
  static const std::string sixty_as(60, 'a');
  struct row {
    const char* pattern;
    const char* text;
    bool match;
  };
  const std::vector<row> rows = {
      {"*", "anything", true},       {"*", "", true},
      {"", "", true},                {"", "x", false},
      {"delete_*", "delete_task", true},  {"delete_*", "undelete_task", false},
      {"*_task", "create_task", true},    {"*_task", "create_tasks", false},
      {"get_?", "get_a", true},      {"get_?", "get_", false},
      {"get_?", "get_ab", false},    {"*project*", "list_projects", true},
      {"a*b*c", "aXbYc", true},      {"a*b*c", "aXcYb", false},
      {"a**b", "ab", true},          {"Delete_*", "delete_task", false},  // names are case-sensitive
      {"*a*a*a*a*a*b", sixty_as.c_str(), false},                          // no exponential backtracking
      // A '*' in the name is a character like any other: the pattern's '*' still matches runs.
      {"delete_*", "delete_*all", true},  {"*", "*", true},  {"a*", "a*b*", true},  {"?*", "*x", true},
  };
  for (const auto& r : rows) EXPECT_EQ(glob_match(r.pattern, r.text), r.match) << r.pattern << " ~ " << r.text;
}

TEST(tool_filter, which_calls_are_refused_and_why) {
  const std::string list =
      R"({"jsonrpc":"2.0","id":1,"result":{"tools":[)"
      R"({"name":"list_tasks","annotations":{"readOnlyHint":true}},)"
      R"({"name":"delete_task","annotations":{"readOnlyHint":false,"destructiveHint":true}},)"
      R"({"name":"create_task"},)"
      R"({"name":"get_me","annotations":{"readOnlyHint":"yes"}}]}})";
  struct row {
    const char* name;
    tool_filter_config config;
    std::vector<std::pair<const char*, const char*>> calls;  // tool, a word of the refusal (empty: allowed)
  };
  const std::vector<row> rows = {
      {"no filter", {}, {{"delete_task", ""}, {"unknown", ""}}},
      {"deny", {{}, {"delete_*"}, false}, {{"delete_task", "--deny-tool 'delete_*'"}, {"create_task", ""}}},
      {"allow", {{"list_*", "get_*"}, {}, false}, {{"list_tasks", ""}, {"get_me", ""}, {"create_task", "--allow-tool"}}},
      {"deny beats allow", {{"*"}, {"delete_task"}, false}, {{"delete_task", "--deny-tool"}, {"create_task", ""}}},
      {"read-only", {{}, {}, true},
       {{"list_tasks", ""}, {"delete_task", "readOnlyHint: true"}, {"create_task", "readOnlyHint: true"},
        {"get_me", "readOnlyHint: true"},  // only a JSON true counts
        {"never_listed", "not in the server's tool list"}}},
      {"read-only and deny", {{}, {"list_*"}, true}, {{"list_tasks", "--deny-tool"}}},
  };
  for (const auto& r : rows) {
    tool_filter filter(r.config);
    (void)filter.filter_list(list, 1);
    for (const auto& [tool, word] : r.calls) {
      const auto refusal = filter.refusal(tool);
      if (std::string(word).empty())
        EXPECT_EQ(refusal, "") << r.name << ": " << tool;
      else
        EXPECT_NE(refusal.find(word), std::string::npos) << r.name << ": " << tool << ": " << refusal;
    }
  }
}

// A dropped element takes the separator before it along; the kept ones and all else stay as sent.
TEST(tool_filter, lists_are_cut_down_and_every_other_byte_stays) {
  const std::string list =
      R"({"jsonrpc":"2.0","id":"l-1","result":{"tools":[ {"name":"list_tasks","x":1.50,"annotations":{"readOnlyHint":true}} ,)"
      R"( {"name":"delete_task","d":"\u00e9"}, {"name":"get_me","annotations":{"readOnlyHint":true}} ],"nextCursor":"c\/2"}})";
  struct row {
    const char* name;
    tool_filter_config config;
    std::string expected;
  };
  const std::vector<row> rows = {
      {"nothing to cut", {}, list},
      {"the middle one",
       {{}, {"delete_*"}, false},
       R"({"jsonrpc":"2.0","id":"l-1","result":{"tools":[ {"name":"list_tasks","x":1.50,"annotations":{"readOnlyHint":true}},)"
       R"( {"name":"get_me","annotations":{"readOnlyHint":true}} ],"nextCursor":"c\/2"}})"},
      {"the first one",
       {{}, {"list_*"}, false},
       R"({"jsonrpc":"2.0","id":"l-1","result":{"tools":[ {"name":"delete_task","d":"\u00e9"}, {"name":"get_me","annotations":{"readOnlyHint":true}} ],"nextCursor":"c\/2"}})"},
      {"all of them", {{"none"}, {}, false}, R"({"jsonrpc":"2.0","id":"l-1","result":{"tools":[  ],"nextCursor":"c\/2"}})"},
      {"read-only", {{}, {}, true},
       R"({"jsonrpc":"2.0","id":"l-1","result":{"tools":[ {"name":"list_tasks","x":1.50,"annotations":{"readOnlyHint":true}},)"
       R"( {"name":"get_me","annotations":{"readOnlyHint":true}} ],"nextCursor":"c\/2"}})"},
  };
  for (const auto& r : rows) {
    tool_filter filter(r.config);
    EXPECT_EQ(filter.filter_list(list, "l-1"), r.expected) << r.name;
  }
  // Not a tools/list answer: as it came.
  tool_filter deny_all({{}, {"*"}, false});
  for (const std::string other : {R"({"jsonrpc":"2.0","id":1,"result":{}})", R"({"jsonrpc":"2.0","id":1,"error":{"code":1,"message":"m"}})",
                                  R"({"jsonrpc":"2.0","id":1,"result":{"tools":{}}})"})
    EXPECT_EQ(deny_all.filter_list(other, 1), other);
}

// A real tool's JSON Schema can nest deeply: the filter reads as deep as the bridge forwards
// (max_json_depth), and what it cannot read it does not pass on.
TEST(tool_filter, a_list_nested_deeper_than_32_levels_is_still_filtered) {
  std::string schema;
  for (int i = 0; i < 60; ++i) schema += R"({"type":"object","properties":{"p":)";
  schema += "{}";
  for (int i = 0; i < 60; ++i) schema += "}}";
  const std::string list = R"({"jsonrpc":"2.0","id":5,"result":{"tools":[{"name":"delete_task","inputSchema":)" + schema +
                           R"(},{"name":"get_me","inputSchema":)" + schema + "}]}}";
  tool_filter filter({{}, {"delete_*"}, false});
  const auto filtered = filter.filter_list(list, 5);
  EXPECT_EQ(filtered.find("delete_task"), std::string::npos) << "a denied tool was shown";
  EXPECT_NE(filtered.find("get_me"), std::string::npos);
}

TEST(tool_filter, a_list_it_cannot_read_fails_closed_with_an_error_for_its_id) {
  tool_filter filter({{}, {"delete_*"}, false});
  for (const std::string& unreadable : {std::string("not json"), std::string(1200, '[') + std::string(1200, ']')}) {
    const auto answer = filter.filter_list(unreadable, "l-9");
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(answer, ec);
    ASSERT_FALSE(ec) << answer;
    EXPECT_EQ(parsed.at("id"), "l-9");
    EXPECT_NE(boost::json::value_to<std::string>(parsed.at("error").at("message")).find("--deny-tool"), std::string::npos) << answer;
  }
  // Without a filter, nothing is held back.
  tool_filter none;
  EXPECT_EQ(none.filter_list("not json", 1), "not json");
}
