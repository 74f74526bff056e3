// A legacy editor's messages made into 2026-07-28 requests, as tables: the editor's JSON in, the
// exact request text, headers, initialize answer or era verdict out.

#include "awork_mcp/era/modern_wire.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace awork_mcp {
// So a failing verdict says which one it saw.
inline std::ostream& operator<<(std::ostream& os, era_verdict v) {
  switch (v) {
    case era_verdict::modern: return os << "modern";
    case era_verdict::retry_modern: return os << "retry_modern";
    case era_verdict::legacy: return os << "legacy";
  }
  return os << "?";
}
}  // namespace awork_mcp

using namespace awork_mcp;

namespace {

using opt = std::optional<std::string>;

const client_context editor{R"({"sampling":{},"roots":{"listChanged":true}})", R"({"name":"ed","version":"1.0"})", ""};
const std::string editor_meta =
    R"({"io.modelcontextprotocol/protocolVersion":"2026-07-28",)"
    R"("io.modelcontextprotocol/clientCapabilities":{"sampling":{},"roots":{"listChanged":true}},)"
    R"("io.modelcontextprotocol/clientInfo":{"name":"ed","version":"1.0"}})";
const std::string editor_meta_members = editor_meta.substr(1, editor_meta.size() - 2);

}  // namespace

TEST(era_modern_wire, client_context_from_initialize_table) {
  struct row {
    const char* name;
    std::string body;
    std::string capabilities, info;
  };
  const std::vector<row> rows = {
      {"verbatim",
       R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{ "roots" : {"listChanged":true}, "x":1.0 },"clientInfo":{"name":"ed","version":"2.50","title":"\u00e9"}}})",
       R"({ "roots" : {"listChanged":true}, "x":1.0 })", R"({"name":"ed","version":"2.50","title":"\u00e9"})"},
      {"no clientInfo", R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}})", "{}", ""},
      {"no params", R"({"jsonrpc":"2.0","id":1,"method":"initialize"})", "{}", ""},
      {"wrong types", R"({"method":"initialize","params":{"capabilities":[],"clientInfo":"ed"}})", "{}", ""},
      {"params not an object", R"({"method":"initialize","params":[1]})", "{}", ""},
      {"garbage", "{\"params\":{\"capabilities\":{\"a\":1}", "{}", ""},
      {"empty", "", "{}", ""},
  };
  for (const auto& r : rows) {
    const auto client = client_context_from_initialize(r.body);
    EXPECT_EQ(client.capabilities, r.capabilities) << r.name;
    EXPECT_EQ(client.info, r.info) << r.name;
    EXPECT_EQ(client.log_level, "") << r.name;
  }
}

TEST(era_modern_wire, with_modern_meta_table) {
  struct row {
    const char* name;
    std::string body;
    client_context client;
    opt result;
  };
  const client_context no_info{"{}", "", ""};
  const client_context with_level{R"({"sampling":{}})", R"({"name":"ed","version":"1.0"})", "debug"};
  const std::vector<row> rows = {
      {"params created", R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})", editor,
       R"({"params":{"_meta":)" + editor_meta + R"(},"jsonrpc":"2.0","id":1,"method":"tools/list"})"},
      {"_meta added, arguments byte for byte",
       R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"t","arguments":{"x":1.0,"y":2.50,"z":-0.0,"w":1e400,"s":"\u00e9\"\\"}}})",
       editor,
       R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"_meta":)" + editor_meta +
           R"(,"name":"t","arguments":{"x":1.0,"y":2.50,"z":-0.0,"w":1e400,"s":"\u00e9\"\\"}}})"},
      {"merged into _meta: progressToken stays",
       R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"t","_meta":{"progressToken":"p1"}}})", editor,
       R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"t","_meta":{)" + editor_meta_members +
           R"(,"progressToken":"p1"}}})"},
      {"a key already in _meta replaced in place",
       R"({"method":"x","params":{"_meta":{"progressToken":1.0,"io.modelcontextprotocol/protocolVersion":"2025-06-18"}}})", editor,
       R"({"method":"x","params":{"_meta":{"io.modelcontextprotocol/clientCapabilities":{"sampling":{},"roots":{"listChanged":true}},)"
       R"("io.modelcontextprotocol/clientInfo":{"name":"ed","version":"1.0"},"progressToken":1.0,)"
       R"("io.modelcontextprotocol/protocolVersion":"2026-07-28"}}})"},
      {"_meta not an object: replaced", R"({"method":"x","params":{"_meta":null}})", editor,
       R"({"method":"x","params":{"_meta":)" + editor_meta + "}}"},
      {"empty params", R"({"method":"x","params":{}})", editor, R"({"method":"x","params":{"_meta":)" + editor_meta + "}}"},
      {"params null: made an object", R"({"method":"x","params":null})", editor,
       R"({"method":"x","params":{"_meta":)" + editor_meta + "}}"},
      {"no clientInfo: the bridge's", R"({"method":"ping","id":"a"})", no_info,
       R"({"params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},)"
       R"("io.modelcontextprotocol/clientInfo":{"name":"awork-mcp-bridge","version":"1"}}},"method":"ping","id":"a"})"},
      {"log level", R"({"method":"ping","id":1})", with_level,
       R"({"params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{"sampling":{}},)"
       R"("io.modelcontextprotocol/clientInfo":{"name":"ed","version":"1.0"},"io.modelcontextprotocol/logLevel":"debug"}},"method":"ping","id":1})"},
      {"log level merged", R"({"method":"ping","id":1,"params":{"_meta":{"progressToken":5}}})", with_level,
       R"({"method":"ping","id":1,"params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{"sampling":{}},)"
       R"("io.modelcontextprotocol/clientInfo":{"name":"ed","version":"1.0"},"io.modelcontextprotocol/logLevel":"debug","progressToken":5}}})"},
      {"notification", R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}})", editor,
       R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"_meta":)" + editor_meta + R"(,"requestId":1}})"},
      {"whitespace kept", " { \"method\" : \"x\" , \"params\" : { \"a\" : 1 } }\n", editor,
       " { \"method\" : \"x\" , \"params\" : {\"_meta\":" + editor_meta + ", \"a\" : 1 } }\n"},
      {"response", R"({"jsonrpc":"2.0","id":1,"result":{}})", editor, std::nullopt},
      {"method not a string", R"({"jsonrpc":"2.0","id":1,"method":7})", editor, std::nullopt},
      {"params an array", R"({"jsonrpc":"2.0","id":1,"method":"x","params":[1]})", editor, std::nullopt},
      {"batch", R"([{"jsonrpc":"2.0","id":1,"method":"x"}])", editor, std::nullopt},
      {"cut short", R"({"jsonrpc":"2.0","id":1,"method":"x")", editor, std::nullopt},
      {"garbage", "not json", editor, std::nullopt},
      {"empty", "", editor, std::nullopt},
  };
  for (const auto& r : rows) EXPECT_EQ(with_modern_meta(r.body, r.client), r.result) << r.name;
}

TEST(era_modern_wire, standard_headers_table) {
  struct row {
    const char* name;
    std::string body;
    header_list headers;
  };
  const std::vector<row> rows = {
      {"tools/call", R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_weather","arguments":{}}})",
       {{"Mcp-Method", "tools/call"}, {"Mcp-Name", "get_weather"}}},
      {"prompts/get, encoded", R"({"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":"Hello, \u4e16\u754c"}})",
       {{"Mcp-Method", "prompts/get"}, {"Mcp-Name", "=?base64?SGVsbG8sIOS4lueVjA==?="}}},
      {"resources/read", R"({"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"file:///path/to/file%20name.txt"}})",
       {{"Mcp-Method", "resources/read"}, {"Mcp-Name", "file:///path/to/file%20name.txt"}}},
      {"resources/read names no name", R"({"id":1,"method":"resources/read","params":{"name":"n","uri":7}})",
       {{"Mcp-Method", "resources/read"}}},
      {"tools/call names no uri", R"({"id":1,"method":"tools/call","params":{"uri":"u"}})", {{"Mcp-Method", "tools/call"}}},
      {"escaped name", R"({"id":1,"method":"tools/call","params":{"na\u006de":"a\u0062"}})",
       {{"Mcp-Method", "tools/call"}, {"Mcp-Name", "ab"}}},
      {"name with a line break", R"({"id":1,"method":"tools/call","params":{"name":"line1\nline2"}})",
       {{"Mcp-Method", "tools/call"}, {"Mcp-Name", "=?base64?bGluZTEKbGluZTI=?="}}},
      {"empty name", R"({"id":1,"method":"tools/call","params":{"name":""}})", {{"Mcp-Method", "tools/call"}, {"Mcp-Name", ""}}},
      {"nested name is not params.name", R"({"id":1,"method":"tools/call","params":{"arguments":{"name":"x"}}})",
       {{"Mcp-Method", "tools/call"}}},
      {"no params", R"({"id":1,"method":"tools/call"})", {{"Mcp-Method", "tools/call"}}},
      {"name not a string", R"({"id":1,"method":"prompts/get","params":{"name":1}})", {{"Mcp-Method", "prompts/get"}}},
      {"other method", R"({"id":1,"method":"tools/list","params":{"name":"x"}})", {{"Mcp-Method", "tools/list"}}},
      {"notification", R"({"jsonrpc":"2.0","method":"notifications/initialized"})",
       {{"Mcp-Method", "notifications/initialized"}}},
      {"method with a line break: encoded", R"({"id":1,"method":"a\r\nX-Evil: 1"})", {{"Mcp-Method", "=?base64?YQ0KWC1FdmlsOiAx?="}}},
      {"response", R"({"jsonrpc":"2.0","id":1,"result":{"method":"x"}})", {}},
      {"batch", R"([{"jsonrpc":"2.0","id":1,"method":"x"}])", {}},
      {"garbage", "{\"method\":\"x\"", {}},
      {"empty", "", {}},
  };
  for (const auto& r : rows) EXPECT_EQ(standard_headers(r.body), r.headers) << r.name;
}

TEST(era_modern_wire, encode_header_value_table) {
  struct row {
    std::string value;
    std::string encoded;
  };
  for (const auto& r : std::vector<row>{
           {"us west 1", "us west 1"},
           {"file:///path/to/file%20name.txt", "file:///path/to/file%20name.txt"},
           {"", ""},
           {"~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./", "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./"},
           {"Hello, \xE4\xB8\x96\xE7\x95\x8C", "=?base64?SGVsbG8sIOS4lueVjA==?="},
           {" padded ", "=?base64?IHBhZGRlZCA=?="},
           {"trailing ", "=?base64?dHJhaWxpbmcg?="},
           {"line1\nline2", "=?base64?bGluZTEKbGluZTI=?="},
           {"\tindented", "=?base64?CWluZGVudGVk?="},
           {"a\x7f", "=?base64?YX8=?="},
           {"Gr\xC3\xBC\xC3\x9F" "e", "=?base64?R3LDvMOfZQ==?="},
           {"=?base64?abc?=", "=?base64?PT9iYXNlNjQ/YWJjPz0=?="},
           {"=?BASE64?x?=", "=?base64?PT9CQVNFNjQ/eD89?="},
           {"=?base64?=", "=?base64?="},
           {"=?base64?abc", "=?base64?abc"},
           {"x=?base64?abc?=", "x=?base64?abc?="},
       })
    EXPECT_EQ(encode_header_value(r.value), r.encoded) << r.value;
}

TEST(era_modern_wire, discover_request_carries_the_meta) {
  EXPECT_EQ(discover_request("0", editor),
            R"({"jsonrpc":"2.0","id":0,"method":"server/discover","params":{"_meta":)" + editor_meta + "}}");
  EXPECT_EQ(discover_request(R"("probe-1")", client_context{"{}", "", "info"}),
            R"({"jsonrpc":"2.0","id":"probe-1","method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",)"
            R"("io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"awork-mcp-bridge","version":"1"},)"
            R"("io.modelcontextprotocol/logLevel":"info"}}})");
}

TEST(era_modern_wire, initialize_response_from_discover_table) {
  struct row {
    const char* name;
    std::string discover;
    std::string editor_initialize;
    std::string editor_id;
    opt result;
  };
  const std::string asks_2025_06_18 = R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18"}})";
  auto discover = [](const std::string& result) { return R"({"jsonrpc":"2.0","id":0,"result":)" + result + "}"; };
  const std::vector<row> rows = {
      {"everything",
       discover(R"({"supportedVersions":["2026-07-28"],"capabilities":{"tools":{"listChanged":true},"logging":{},"n":1.0},"serverInfo":{"name":"s","version":"2.50"},"instructions":"Use \u00e9 \"well\""})"),
       asks_2025_06_18, "1",
       R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{"listChanged":true},"logging":{},"n":1.0},"serverInfo":{"name":"s","version":"2.50"},"instructions":"Use \u00e9 \"well\""}})"},
      {"serverInfo in _meta preferred",
       discover(R"({"supportedVersions":["2026-07-28"],"capabilities":{},"serverInfo":{"name":"plain","version":"1"},"_meta":{"io.modelcontextprotocol/serverInfo":{"name":"meta","version":"1.0"}}})"),
       asks_2025_06_18, R"("e-1")",
       R"({"jsonrpc":"2.0","id":"e-1","result":{"protocolVersion":"2025-06-18","capabilities":{},"serverInfo":{"name":"meta","version":"1.0"}}})"},
      {"_meta without serverInfo: result.serverInfo",
       discover(R"({"supportedVersions":["2026-07-28"],"capabilities":{},"serverInfo":{"name":"plain","version":"1"},"_meta":{}})"),
       asks_2025_06_18, "1",
       R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{},"serverInfo":{"name":"plain","version":"1"}}})"},
      {"no serverInfo, no capabilities", discover(R"({"supportedVersions":[]})"), asks_2025_06_18, "1",
       R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{},"serverInfo":{"name":"unknown","version":"0"}}})"},
      {"instructions not a string: left out", discover(R"({"supportedVersions":[],"instructions":["x"],"serverInfo":"s"})"),
       asks_2025_06_18, "1",
       R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{},"serverInfo":{"name":"unknown","version":"0"}}})"},
      {"capabilities as they are, subscriptions too (carried by subscriptions/listen)",
       discover(R"({"supportedVersions":["2026-07-28"],"capabilities":{"resources":{"subscribe":true,"listChanged":true},"prompts":{ "listChanged" : false , "x" : 1 },"completions":{},"experimental":{"tools":{"listChanged":true}}}})"),
       asks_2025_06_18, "1",
       R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{"resources":{"subscribe":true,"listChanged":true},"prompts":{ "listChanged" : false , "x" : 1 },"completions":{},"experimental":{"tools":{"listChanged":true}}},"serverInfo":{"name":"unknown","version":"0"}}})"},
      {"2024-11-05 kept", discover(R"({"supportedVersions":["2026-07-28"]})"),
       R"({"method":"initialize","params":{"protocolVersion":"2024-11-05"}})", "1",
       R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2024-11-05","capabilities":{},"serverInfo":{"name":"unknown","version":"0"}}})"},
      {"2025-03-26 kept", discover(R"({"supportedVersions":["2026-07-28"]})"),
       R"({"method":"initialize","params":{"protocolVersion":"2025-03-26"}})", "1",
       R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-03-26","capabilities":{},"serverInfo":{"name":"unknown","version":"0"}}})"},
      {"2025-11-25 kept", discover(R"({"supportedVersions":["2026-07-28"]})"),
       R"({"method":"initialize","params":{"protocolVersion":"2025-11-25"}})", "1",
       R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25","capabilities":{},"serverInfo":{"name":"unknown","version":"0"}}})"},
      {"modern asked: newest legacy", discover(R"({"supportedVersions":["2026-07-28"]})"),
       R"({"method":"initialize","params":{"protocolVersion":"2026-07-28"}})", "1",
       R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25","capabilities":{},"serverInfo":{"name":"unknown","version":"0"}}})"},
      {"unknown asked: newest legacy", discover(R"({"supportedVersions":["2026-07-28"]})"),
       R"({"method":"initialize","params":{"protocolVersion":"1999-01-01"}})", "1",
       R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25","capabilities":{},"serverInfo":{"name":"unknown","version":"0"}}})"},
      {"editor garbage: newest legacy", discover(R"({"supportedVersions":["2026-07-28"]})"), "garbage", "1",
       R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25","capabilities":{},"serverInfo":{"name":"unknown","version":"0"}}})"},
      {"error response", R"({"jsonrpc":"2.0","id":0,"error":{"code":-32601,"message":"Method not found"}})", asks_2025_06_18, "1",
       std::nullopt},
      {"no supportedVersions", discover(R"({"capabilities":{}})"), asks_2025_06_18, "1", std::nullopt},
      {"supportedVersions not an array", discover(R"({"supportedVersions":"2026-07-28"})"), asks_2025_06_18, "1", std::nullopt},
      {"result not an object", discover(R"("x")"), asks_2025_06_18, "1", std::nullopt},
      {"cut short", R"({"jsonrpc":"2.0","id":0,"result":{"supportedVersions":["2026-07-28"])", asks_2025_06_18, "1", std::nullopt},
      {"garbage", "<html>", asks_2025_06_18, "1", std::nullopt},
      {"empty", "", asks_2025_06_18, "1", std::nullopt},
  };
  for (const auto& r : rows)
    EXPECT_EQ(initialize_response_from_discover(r.discover, r.editor_initialize, r.editor_id), r.result) << r.name;
}

TEST(era_modern_wire, judge_probe_table) {
  struct row {
    const char* name;
    unsigned status;
    std::string body;
    era_verdict verdict;
  };
  const std::string discover_modern =
      R"({"jsonrpc":"2.0","id":0,"result":{"supportedVersions":["2025-11-25","2026-07-28"],"capabilities":{}}})";
  const std::string unsupported =
      R"({"jsonrpc":"2.0","id":0,"error":{"code":-32022,"message":"Unsupported protocol version","data":{"supported":["2026-07-28"],"requested":"2025-11-25"}}})";
  const std::vector<row> rows = {
      {"discover lists 2026-07-28", 200, discover_modern, era_verdict::modern},
      {"with a line break after it", 200, discover_modern + "\n", era_verdict::modern},
      {"discover without 2026-07-28", 200,
       R"({"jsonrpc":"2.0","id":0,"result":{"supportedVersions":["2025-11-25"]}})", era_verdict::legacy},
      {"supportedVersions not an array", 200, R"({"jsonrpc":"2.0","id":0,"result":{"supportedVersions":"2026-07-28"}})",
       era_verdict::legacy},
      {"a result under an error status", 400, discover_modern, era_verdict::legacy},
      {"-32022 listing 2026-07-28", 400, unsupported, era_verdict::retry_modern},
      {"-32022 under 200", 200, unsupported, era_verdict::retry_modern},
      {"-32022 without 2026-07-28", 400,
       R"({"jsonrpc":"2.0","id":0,"error":{"code":-32022,"message":"x","data":{"supported":["2025-11-25"]}}})",
       era_verdict::legacy},
      {"-32022 without data", 400, R"({"jsonrpc":"2.0","id":0,"error":{"code":-32022,"message":"x"}})", era_verdict::legacy},
      {"another code listing 2026-07-28", 400,
       R"({"jsonrpc":"2.0","id":0,"error":{"code":-32600,"message":"x","data":{"supported":["2026-07-28"]}}})",
       era_verdict::legacy},
      {"SDK 1.x before initialize", 400,
       R"({"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Request: Server not initialized"},"id":null})",
       era_verdict::legacy},
      {"method not found", 200, R"({"jsonrpc":"2.0","id":0,"error":{"code":-32601,"message":"Method not found"}})",
       era_verdict::legacy},
      {"404", 404, "", era_verdict::legacy},
      {"405", 405, "Method Not Allowed", era_verdict::legacy},
      {"html", 200, "<html><body>hi</body></html>", era_verdict::legacy},
      {"empty 200", 200, "", era_verdict::legacy},
      {"cut short", 200, discover_modern.substr(0, 40), era_verdict::legacy},
      {"array", 200, "[" + discover_modern + "]", era_verdict::legacy},
  };
  for (const auto& r : rows) EXPECT_EQ(judge_probe(r.status, r.body), r.verdict) << r.name;
}

TEST(era_modern_wire, requested_protocol_version_of_a_modern_editor) {
  struct row {
    const char* name;
    const char* body;
    const char* expected;
  };
  const row rows[] = {
      {"modern", R"({"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}})", "2026-07-28"},
      {"other keys around", R"({"id":1,"params":{"a":1,"_meta":{"progressToken":3,"io.modelcontextprotocol/protocolVersion":"2027-01-01"}},"method":"x"})", "2027-01-01"},
      {"legacy request", R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})", ""},
      {"meta without the key", R"({"jsonrpc":"2.0","id":1,"method":"m","params":{"_meta":{"progressToken":1}}})", ""},
      {"not a string", R"({"jsonrpc":"2.0","id":1,"method":"m","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":5}}})", ""},
      {"nested deeper is not it", R"({"id":1,"method":"m","params":{"x":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}})", ""},
      {"garbage", "{\"params\":", ""},
  };
  for (const auto& r : rows) EXPECT_EQ(requested_protocol_version(r.body), r.expected) << r.name;
}

TEST(era_modern_wire, listen_request_for_the_list_changes_offered) {
  const client_context client{"{}", R"({"name":"ed","version":"1"})", ""};
  struct row {
    const char* name;
    const char* capabilities;
    std::optional<std::string> filter;
  };
  const row rows[] = {
      {"tools and resources", R"({"tools":{"listChanged":true},"prompts":{},"resources":{"listChanged":true,"subscribe":true}})",
       R"({"toolsListChanged":true,"resourcesListChanged":true})"},
      {"prompts only", R"({"prompts":{"listChanged":true}})", R"({"promptsListChanged":true})"},
      {"false is not offered", R"({"tools":{"listChanged":false}})", std::nullopt},
      {"nothing", R"({})", std::nullopt},
  };
  for (const auto& r : rows) {
    const std::string discover =
        std::string(R"({"jsonrpc":"2.0","id":1,"result":{"supportedVersions":["2026-07-28"],"capabilities":)") +
        r.capabilities + "}}";
    auto request = listen_request(discover, R"("l-1")", client);
    ASSERT_EQ(request.has_value(), r.filter.has_value()) << r.name;
    if (!request) continue;
    const auto parsed = boost::json::parse(*request);
    EXPECT_EQ(parsed.at("method"), "subscriptions/listen") << r.name;
    EXPECT_EQ(parsed.at("id"), "l-1") << r.name;
    EXPECT_EQ(boost::json::serialize(parsed.at("params").at("notifications")), *r.filter) << r.name;
    EXPECT_EQ(parsed.at("params").at("_meta").at("io.modelcontextprotocol/protocolVersion"), "2026-07-28") << r.name;
  }
  EXPECT_FALSE(listen_request("not json", "1", client));
}

TEST(era_modern_wire, listen_request_carries_the_editors_resource_subscriptions) {
  const client_context client{"{}", R"({"name":"ed","version":"1"})", ""};
  struct row {
    const char* name;
    const char* capabilities;
    std::set<std::string> uris;
    std::optional<std::string> filter;
  };
  const row rows[] = {
      {"subscriptions and list changes", R"({"tools":{"listChanged":true},"resources":{"subscribe":true}})",
       {"test://b", "test://a"}, R"({"toolsListChanged":true,"resourceSubscriptions":["test://a","test://b"]})"},
      {"subscriptions only", R"({"resources":{"subscribe":true}})", {"file:///x \"y\""},
       R"({"resourceSubscriptions":["file:///x \"y\""]})"},
      {"none subscribed", R"({"resources":{"subscribe":true}})", {}, std::nullopt},
      {"the server does not offer them", R"({"resources":{"listChanged":true}})", {"test://a"},
       R"({"resourcesListChanged":true})"},
      {"subscribe false", R"({"resources":{"subscribe":false}})", {"test://a"}, std::nullopt},
  };
  for (const auto& r : rows) {
    const std::string discover =
        std::string(R"({"jsonrpc":"2.0","id":1,"result":{"supportedVersions":["2026-07-28"],"capabilities":)") +
        r.capabilities + "}}";
    auto request = listen_request(discover, "7", client, r.uris);
    ASSERT_EQ(request.has_value(), r.filter.has_value()) << r.name;
    if (!request) continue;
    EXPECT_EQ(boost::json::serialize(boost::json::parse(*request).at("params").at("notifications")), *r.filter) << r.name;
  }
}
