// The edit of an editor's configuration, as tables: text and entry in, new text and verdict out.

#include "awork_mcp/install/config_edit.hpp"
#include "awork_mcp/install/pretty_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

using namespace awork_mcp::install;
namespace json = boost::json;

namespace {

const client_layout& cursor = layout_of(client::cursor);
const client_layout& vscode = layout_of(client::vscode);

server_entry awork_entry(std::string command = "/opt/awork-mcp") {
  return {"awork", json::object{{"command", command}}, std::nullopt};
}

server_entry vscode_entry() {
  return {"awork",
          json::object{{"type", "stdio"}, {"command", "/opt/awork-mcp"}, {"env", {{"AWORK_API_KEY", "${input:awork-api-key}"}}}},
          json::object{{"type", "promptString"}, {"id", "awork-api-key"}, {"description", "awork API key"}, {"password", true}}};
}

const std::string only_awork =
    "{\n"
    "  \"mcpServers\": {\n"
    "    \"awork\": {\n"
    "      \"command\": \"/opt/awork-mcp\"\n"
    "    }\n"
    "  }\n"
    "}\n";

}  // namespace

TEST(install_edit, adds_the_entry_and_keeps_everything_else_in_order) {
  struct row {
    const char* name;
    std::optional<std::string> before;
    std::string after;
    change what;
    bool new_file;
    std::vector<std::string> others;
  };
  const std::vector<row> rows = {
      {"no file", std::nullopt, only_awork, change::added, true, {}},
      {"an empty file", "", only_awork, change::added, true, {}},
      {"only whitespace", "\n  \r\n", only_awork, change::added, true, {}},
      {"an empty object", "{}", only_awork, change::added, false, {}},
      {"no servers yet, other keys", R"({"theme":"dark","zoom":2})",
       "{\n  \"theme\": \"dark\",\n  \"zoom\": 2,\n  \"mcpServers\": {\n    \"awork\": {\n"
       "      \"command\": \"/opt/awork-mcp\"\n    }\n  }\n}\n",
       change::added, false, {}},
      {"other servers and keys, in their order",
       R"({"z":1,"mcpServers":{"github":{"command":"gh","args":["mcp","--x"]},"files":{"command":"fs","env":{}}},"a":[]})",
       "{\n  \"z\": 1,\n  \"mcpServers\": {\n"
       "    \"github\": {\n      \"command\": \"gh\",\n      \"args\": [\n        \"mcp\",\n        \"--x\"\n      ]\n    },\n"
       "    \"files\": {\n      \"command\": \"fs\",\n      \"env\": {}\n    },\n"
       "    \"awork\": {\n      \"command\": \"/opt/awork-mcp\"\n    }\n  },\n  \"a\": []\n}\n",
       change::added, false, {"github", "files"}},
      {"an older entry of ours, replaced in its place",
       R"({"mcpServers":{"first":{"command":"a"},"awork":{"command":"/old/awork-mcp","args":["--url","x"]},"last":{"command":"b"}}})",
       "{\n  \"mcpServers\": {\n    \"first\": {\n      \"command\": \"a\"\n    },\n"
       "    \"awork\": {\n      \"command\": \"/opt/awork-mcp\"\n    },\n"
       "    \"last\": {\n      \"command\": \"b\"\n    }\n  }\n}\n",
       change::replaced, false, {"first", "last"}},
      {"numbers and escapes keep their spelling",
       R"({"n":1.0,"e":1e3,"big":123456789012345678901234,"s":"caf\u00e9 \"x\" \\ \/","u":"café","mcpServers":{}})",
       "{\n  \"n\": 1.0,\n  \"e\": 1e3,\n  \"big\": 123456789012345678901234,\n"
       "  \"s\": \"caf\\u00e9 \\\"x\\\" \\\\ \\/\",\n  \"u\": \"café\",\n  \"mcpServers\": {\n    \"awork\": {\n"
       "      \"command\": \"/opt/awork-mcp\"\n    }\n  }\n}\n",
       change::added, false, {}},
      {"a byte order mark and CR LF stay", "\xEF\xBB\xBF{\r\n  \"mcpServers\": {}\r\n}\r\n",
       "\xEF\xBB\xBF{\r\n  \"mcpServers\": {\r\n    \"awork\": {\r\n      \"command\": \"/opt/awork-mcp\"\r\n    }\r\n  }\r\n}\r\n",
       change::added, false, {}},
  };
  for (const auto& r : rows) {
    const auto result = add_entry(r.before, cursor, awork_entry());
    EXPECT_EQ(result.outcome, verdict::changed) << r.name << ": " << result.reason;
    EXPECT_EQ(result.text, r.after) << r.name;
    EXPECT_EQ(result.what, r.what) << r.name;
    EXPECT_EQ(result.new_file, r.new_file) << r.name;
    EXPECT_EQ(result.others, r.others) << r.name;
    // The result reads back with the entry in it, and a second run changes nothing.
    boost::system::error_code ec;
    const auto reread = json::parse(result.text.substr(result.text.starts_with("\xEF\xBB\xBF") ? 3 : 0), ec);
    ASSERT_FALSE(ec) << r.name;
    EXPECT_EQ(reread.at("mcpServers").at("awork"), json::value(awork_entry().value)) << r.name;
    const auto again = add_entry(result.text, cursor, awork_entry());
    EXPECT_EQ(again.outcome, verdict::unchanged) << r.name;
    EXPECT_EQ(again.text, "") << r.name;
  }
}

TEST(install_edit, an_entry_already_there_is_left_alone) {
  const std::vector<std::string> rows = {
      R"({"mcpServers":{"awork":{"command":"/opt/awork-mcp"}}})",
      "{ \"mcpServers\" : { \"other\": {\"command\": \"x\"}, \"awork\" : { \"command\" : \"/opt/awork-mcp\" } } }",
      // Written by hand with its members in another order: the same entry.
      R"({"mcpServers":{"awork":{"args":["--url","u"],"command":"/opt/awork-mcp"}}})",
  };
  auto with_url = awork_entry();
  with_url.value["args"] = json::array{"--url", "u"};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto result = add_entry(rows[i], cursor, i == 2 ? with_url : awork_entry());
    EXPECT_EQ(result.outcome, verdict::unchanged) << rows[i];
    EXPECT_EQ(result.what, change::none) << rows[i];
    EXPECT_EQ(result.text, "") << rows[i];
  }
}

TEST(install_edit, files_it_cannot_rewrite_are_refused) {
  struct row {
    const char* name;
    std::string text;
    const char* reason;
  };
  const std::vector<row> rows = {
      {"a line comment", "{\n  // mine\n  \"mcpServers\": {}\n}", "comments"},
      {"a block comment", "{\"mcpServers\": {} /* mine */}", "comments"},
      {"a trailing comma", "{\"mcpServers\": {\"x\": {\"command\": \"y\"},},}", "trailing commas"},
      {"cut short", "{\"mcpServers\": {\n", "not valid JSON (line 2, column 1"},
      {"two documents", "{}\n{}", "not valid JSON (line 2, column 1"},
      {"not JSON at all", "mcpServers = 1", "not valid JSON (line 1, column 1"},
      {"a top-level array", "[]", "its top level is an array, not an object"},
      {"a top-level string", "\"x\"", "its top level is a string"},
      {"null", "null", "its top level is null"},
      {"servers not an object", R"({"mcpServers":[]})", "its \"mcpServers\" is an array, not an object of servers"},
      {"servers null", R"({"mcpServers":null})", "its \"mcpServers\" is null"},
  };
  for (const auto& r : rows) {
    for (const bool removing : {false, true}) {
      const auto result = removing ? remove_entry(r.text, cursor, "awork") : add_entry(r.text, cursor, awork_entry());
      EXPECT_EQ(result.outcome, verdict::refused) << r.name;
      EXPECT_NE(result.reason.find(r.reason), std::string::npos) << r.name << ": " << result.reason;
      EXPECT_EQ(result.text, "") << r.name;
    }
  }
}

TEST(install_edit, other_servers_that_start_the_same_program_are_named) {
  const auto result = add_entry(
      R"({"mcpServers":{"mine":{"command":"/opt/awork-mcp","args":["--url","x"]},"gh":{"command":"gh"}}})", cursor,
      awork_entry());
  EXPECT_EQ(result.outcome, verdict::changed);
  EXPECT_EQ(result.same_command, std::vector<std::string>{"mine"});
  EXPECT_EQ(result.others, (std::vector<std::string>{"mine", "gh"}));
}

TEST(install_edit, vscode_gets_the_input_once_and_keeps_its_own) {
  struct row {
    const char* name;
    std::optional<std::string> before;
    verdict outcome;
    bool input_added;
    std::size_t inputs_after;
  };
  const std::vector<row> rows = {
      {"no file", std::nullopt, verdict::changed, true, 1},
      {"VS Code's own empty file", R"({"servers":{},"inputs":[]})", verdict::changed, true, 1},
      {"other inputs", R"({"inputs":[{"type":"promptString","id":"gh-token","password":true}],"servers":{}})",
       verdict::changed, true, 2},
      {"our input already there, worded otherwise",
       R"({"servers":{},"inputs":[{"type":"promptString","id":"awork-api-key","description":"mine","password":true}]})",
       verdict::changed, false, 1},
      {"entry there, input missing",
       R"({"servers":{"awork":{"type":"stdio","command":"/opt/awork-mcp","env":{"AWORK_API_KEY":"${input:awork-api-key}"}}}})",
       verdict::changed, true, 1},
      {"both there",
       R"({"servers":{"awork":{"type":"stdio","command":"/opt/awork-mcp","env":{"AWORK_API_KEY":"${input:awork-api-key}"}}},)"
       R"("inputs":[{"id":"awork-api-key","type":"promptString"}]})",
       verdict::unchanged, false, 1},
  };
  for (const auto& r : rows) {
    const auto result = add_entry(r.before, vscode, vscode_entry());
    EXPECT_EQ(result.outcome, r.outcome) << r.name << ": " << result.reason;
    EXPECT_EQ(result.input_added, r.input_added) << r.name;
    if (result.outcome != verdict::changed) continue;
    const auto doc = json::parse(result.text);
    EXPECT_EQ(doc.at("servers").at("awork"), json::value(vscode_entry().value)) << r.name;
    EXPECT_EQ(doc.at("inputs").as_array().size(), r.inputs_after) << r.name;
    EXPECT_EQ(add_entry(result.text, vscode, vscode_entry()).outcome, verdict::unchanged) << r.name;
  }
  const auto fresh = add_entry(std::nullopt, vscode, vscode_entry());
  EXPECT_EQ(fresh.text,
            "{\n  \"servers\": {\n    \"awork\": {\n      \"type\": \"stdio\",\n      \"command\": \"/opt/awork-mcp\",\n"
            "      \"env\": {\n        \"AWORK_API_KEY\": \"${input:awork-api-key}\"\n      }\n    }\n  },\n"
            "  \"inputs\": [\n    {\n      \"type\": \"promptString\",\n      \"id\": \"awork-api-key\",\n"
            "      \"description\": \"awork API key\",\n      \"password\": true\n    }\n  ]\n}\n");
  EXPECT_EQ(add_entry(R"({"servers":{},"inputs":{}})", vscode, vscode_entry()).reason,
            "its \"inputs\" is an object, not an array");
}

TEST(install_edit, removes_only_our_entry) {
  struct row {
    const char* name;
    std::optional<std::string> before;
    verdict outcome;
    std::string after;
  };
  const std::vector<row> rows = {
      {"no file", std::nullopt, verdict::unchanged, ""},
      {"no servers", R"({"theme":"dark"})", verdict::unchanged, ""},
      {"not there", R"({"mcpServers":{"gh":{"command":"gh"}}})", verdict::unchanged, ""},
      {"the only one", R"({"mcpServers":{"awork":{"command":"/opt/awork-mcp"}},"n":1.0})", verdict::changed,
       "{\n  \"mcpServers\": {},\n  \"n\": 1.0\n}\n"},
      {"between others, whose order stays",
       R"({"mcpServers":{"a":{"command":"a"},"awork":{"command":"/opt/awork-mcp"},"b":{"command":"b"},"c":{"command":"c"}}})",
       verdict::changed,
       "{\n  \"mcpServers\": {\n    \"a\": {\n      \"command\": \"a\"\n    },\n    \"b\": {\n      \"command\": \"b\"\n"
       "    },\n    \"c\": {\n      \"command\": \"c\"\n    }\n  }\n}\n"},
  };
  for (const auto& r : rows) {
    const auto result = remove_entry(r.before, cursor, "awork");
    EXPECT_EQ(result.outcome, r.outcome) << r.name << ": " << result.reason;
    EXPECT_EQ(result.text, r.after) << r.name;
    EXPECT_EQ(result.what, r.outcome == verdict::changed ? change::removed : change::none) << r.name;
  }
  const auto removed = remove_entry(
      R"({"mcpServers":{"awork":{"command":"/old","args":["--api-key","sk-secret"],"env":{"AWORK_API_KEY":"sk-secret"}}}})",
      cursor, "awork");
  EXPECT_EQ(removed.previous, "/old --api-key <hidden> (environment: AWORK_API_KEY)");
}

TEST(install_edit, vscode_input_goes_with_the_last_server_that_uses_it) {
  const std::string ours = R"("awork":{"type":"stdio","command":"/opt/awork-mcp","env":{"AWORK_API_KEY":"${input:awork-api-key}"}})";
  const std::string input = R"({"type":"promptString","id":"awork-api-key","password":true})";
  const std::string other_input = R"({"type":"promptString","id":"gh","password":true})";

  const auto alone = remove_entry("{\"servers\":{" + ours + "},\"inputs\":[" + other_input + "," + input + "]}", vscode, "awork");
  EXPECT_TRUE(alone.input_removed);
  EXPECT_EQ(alone.text, "{\n  \"servers\": {},\n  \"inputs\": [\n    {\n      \"type\": \"promptString\",\n"
                        "      \"id\": \"gh\",\n      \"password\": true\n    }\n  ]\n}\n");

  const std::string sharing = R"("awork-staging":{"type":"stdio","command":"/opt/awork-mcp","env":{"AWORK_API_KEY":"${input:awork-api-key}"}})";
  const auto shared = remove_entry("{\"servers\":{" + ours + "," + sharing + "},\"inputs\":[" + input + "]}", vscode, "awork");
  EXPECT_FALSE(shared.input_removed);
  EXPECT_EQ(json::parse(shared.text).at("inputs").as_array().size(), 1u);
  EXPECT_EQ(shared.others, std::vector<std::string>{"awork-staging"});
}

TEST(install_edit, describes_an_entry_without_its_secrets) {
  struct row {
    std::string entry;
    std::string expected;
  };
  const std::vector<row> rows = {
      {R"({"command":"/opt/awork-mcp"})", "/opt/awork-mcp"},
      {R"({"command":"/opt/awork-mcp","args":["--api-key-file","/home/ann/key","--url","https://x/mcp"]})",
       "/opt/awork-mcp --api-key-file /home/ann/key --url https://x/mcp"},
      {R"({"command":"/opt/awork-mcp","args":["--api-key","sk-1","--header","X-Token: t","--api-key=sk-2","--client-secret=s"]})",
       "/opt/awork-mcp --api-key <hidden> --header <hidden> --api-key=<hidden> --client-secret=<hidden>"},
      {R"({"command":"C:\\Program Files\\awork-mcp.exe","args":["a b",""]})",
       "\"C:\\\\Program Files\\\\awork-mcp.exe\" \"a b\" \"\""},
      {R"({"command":"x","env":{"AWORK_API_KEY":"sk-3","B":"2"}})", "x (environment: AWORK_API_KEY B)"},
      {R"({"url":"https://mcp.example/mcp?token=sk-4"})", "https://mcp.example/mcp?…"},
      {R"({"serverUrl":"https://mcp.example/mcp"})", "https://mcp.example/mcp"},
      {R"({"disabled":true})", "(no command)"},
      {R"("just text")", "(a string, not a server)"},
  };
  for (const auto& r : rows) EXPECT_EQ(describe_entry(json::parse(r.entry)), r.expected) << r.entry;
}

TEST(install_edit, the_entry_to_paste_by_hand) {
  EXPECT_EQ(entry_to_paste(cursor, awork_entry()), "{\n  \"mcpServers\": {\n    \"awork\": {\n"
                                                   "      \"command\": \"/opt/awork-mcp\"\n    }\n  }\n}");
  const auto vs = json::parse(entry_to_paste(vscode, vscode_entry()));
  EXPECT_EQ(vs.at("servers").at("awork"), json::value(vscode_entry().value));
  EXPECT_EQ(vs.at("inputs").at(0), json::value(*vscode_entry().input));
}

TEST(install_pretty_json, reindents_text_and_keeps_every_token) {
  struct row {
    std::string in;
    std::size_t indent;
    std::string out;
  };
  const std::vector<row> rows = {
      {"1.50", 0, "1.50"},
      {" \"a\\\"b\" ", 0, "\"a\\\"b\""},
      {"{}", 0, "{}"},
      {"[ ]", 0, "[]"},
      {"{ \"a\" :\n\t[ ] , \"b\":{ } }", 0, "{\n  \"a\": [],\n  \"b\": {}\n}"},
      {"[1,-2.5e-3,true,false,null,\"x,y:{z}\"]", 0,
       "[\n  1,\n  -2.5e-3,\n  true,\n  false,\n  null,\n  \"x,y:{z}\"\n]"},
      {"{\"a\":{\"b\":[{\"c\":1}]}}", 0, "{\n  \"a\": {\n    \"b\": [\n      {\n        \"c\": 1\n      }\n    ]\n  }\n}"},
      {"{\"a\":1}", 4, "{\n      \"a\": 1\n    }"},
      {"[\"\\\\\",\"\\\\\\\"\"]", 0, "[\n  \"\\\\\",\n  \"\\\\\\\"\"\n]"},
  };
  for (const auto& r : rows) EXPECT_EQ(reindent_json(r.in, r.indent), r.out) << r.in;
  EXPECT_EQ(pretty_member("awork", json::object{{"command", "x"}}, 2), "  \"awork\": {\n    \"command\": \"x\"\n  }");
  EXPECT_EQ(pretty_json(json::parse(R"({"b":[1,{}],"a":"é"})")), "{\n  \"b\": [\n    1,\n    {}\n  ],\n  \"a\": \"é\"\n}");
}

TEST(install_edit, an_entry_of_ours_keeps_the_users_settings_but_not_a_key_in_clear) {
  const std::string before =
      R"({"mcpServers":{"awork":{"disabled":false,"command":"/old/awork-mcp","args":["--api-key-file","/old/key"],)"
      R"("env":{"AWORK_API_KEY":"sk-secret","HTTPS_PROXY":"http://u:p@proxy:3128"},"autoApprove":["list_tasks"]}}})";
  const auto result = add_entry(before, cursor, awork_entry());
  ASSERT_EQ(result.outcome, verdict::changed);
  EXPECT_EQ(result.what, change::replaced);
  EXPECT_TRUE(result.key_in_clear_dropped);
  EXPECT_EQ(json::serialize(result.entry),
            R"({"disabled":false,"command":"/opt/awork-mcp","env":{"HTTPS_PROXY":"http://u:p@proxy:3128"},"autoApprove":["list_tasks"]})");
  EXPECT_EQ(json::parse(result.text).at("mcpServers").at("awork"), json::value(result.entry));
  EXPECT_EQ(result.text.find("sk-secret"), std::string::npos);
  EXPECT_EQ(result.previous, "/old/awork-mcp --api-key-file /old/key (environment: AWORK_API_KEY HTTPS_PROXY)");
  EXPECT_EQ(add_entry(result.text, cursor, awork_entry()).outcome, verdict::unchanged);

  // Shown to the user: the proxy's password is not.
  EXPECT_EQ(entry_to_show("awork", result.entry),
            "\"awork\": {\n  \"disabled\": false,\n  \"command\": \"/opt/awork-mcp\",\n  \"env\": {\n"
            "    \"HTTPS_PROXY\": \"<hidden>\"\n  },\n  \"autoApprove\": [\n    \"list_tasks\"\n  ]\n}");
  EXPECT_EQ(entry_to_show("awork", vscode_entry().value).find("<hidden>"), std::string::npos);

  // A key in VS Code's own prompt is no key in clear; the same entry without it gets ours.
  const auto vs = add_entry(
      R"({"servers":{"awork":{"type":"stdio","command":"/x","env":{"AWORK_API_KEY":"${input:awork-api-key}"}}}})", vscode,
      server_entry{"awork", json::object{{"type", "stdio"}, {"command", "/opt/awork-mcp"}}, std::nullopt});
  EXPECT_FALSE(vs.key_in_clear_dropped);
  EXPECT_EQ(json::serialize(vs.entry), R"({"type":"stdio","command":"/opt/awork-mcp"})");
  const auto removed = remove_entry(before, cursor, "awork");
  EXPECT_TRUE(removed.key_in_clear_dropped);
}
