// x-mcp-header annotations as tables: a tools/list line in, the annotations, the tools dropped
// (with why) and the line without them out; a call's arguments in, its Mcp-Param-* headers out.

#include "awork_mcp/era/tool_headers.hpp"

#include <gtest/gtest.h>

#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace awork_mcp {
bool operator==(const param_header& a, const param_header& b) { return a.name == b.name && a.path == b.path; }
// So a failing table says what it saw.
std::ostream& operator<<(std::ostream& os, const param_header& h) {
  os << h.name << " <-";
  for (const auto& p : h.path) os << ' ' << p;
  return os;
}
}  // namespace awork_mcp

using namespace awork_mcp;

namespace {

using annotations = std::vector<param_header>;
using strings = std::vector<std::string>;

std::string tools_list(const std::string& tools) {
  return R"({"jsonrpc":"2.0","id":4,"result":{"tools":[)" + tools + R"(],"nextCursor":"c2","_meta":{"n":1.0}}})";
}

std::string tool(const std::string& name, const std::string& properties) {
  return R"({"name":")" + name + R"(","inputSchema":{"type":"object","properties":)" + properties + "}}";
}

}  // namespace

TEST(era_tool_headers, valid_annotations_are_found_along_properties) {
  const auto line = tools_list(
      R"({"name":"deploy","description":"D\u00e9ploy","inputSchema":{"type":"object","properties":{)"
      R"("region":{"type":"string","x-mcp-header":"Region"},)"
      R"("count":{"type":"integer","x-mcp-header":"Count"},)"
      R"("plain":{"type":"number","default":2.50},)"
      R"("opts":{"type":"object","properties":{"dry":{"type":"boolean","x-mcp-header":"Dry-Run"},)"
      R"("deep":{"type":"object","properties":{"who":{"type":"string","x-mcp-header":"!#$%&'*+-.^_`|~09az"}}}}}}}},)"
      R"({"name":"plain","inputSchema":{"type":"object","properties":{"a":{"type":"string"}}}})");
  const auto scan = scan_tools_list(line);
  EXPECT_EQ(scan.invalid, strings{});
  EXPECT_EQ(scan.reasons, strings{});
  EXPECT_EQ(scan.filtered_line, line);
  ASSERT_EQ(scan.headers.size(), 1u);  // tools without annotations have no entry
  EXPECT_EQ(scan.headers.at("deploy"), (annotations{{"Region", {"region"}},
                                                    {"Count", {"count"}},
                                                    {"Dry-Run", {"opts", "dry"}},
                                                    {"!#$%&'*+-.^_`|~09az", {"opts", "deep", "who"}}}));
}

TEST(era_tool_headers, annotations_that_are_no_annotation_table) {
  struct row {
    const char* name;
    std::string properties;
    annotations found;
  };
  const std::vector<row> rows = {
      {"a property named x-mcp-header", R"({"x-mcp-header":{"type":"string"}})", {}},
      {"named x-mcp-header, annotated", R"({"x-mcp-header":{"type":"string","x-mcp-header":"H"}})", {{"H", {"x-mcp-header"}}}},
      {"in a default value", R"({"p":{"type":"object","default":{"x-mcp-header":"D"}}})", {}},
      {"in const, enum, examples",
       R"({"p":{"type":"object","const":{"x-mcp-header":"C"},"enum":[{"x-mcp-header":"E"}],"examples":[{"x-mcp-header":"X"}]}})", {}},
      {"escaped property name", R"({"r\u00e9gion":{"type":"string","x-mcp-header":"Region"}})", {{"Region", {"r\xC3\xA9gion"}}}},
      {"boolean schema property", R"({"p":true,"q":{"type":"string","x-mcp-header":"Q"}})", {{"Q", {"q"}}}},
  };
  for (const auto& r : rows) {
    const auto scan = scan_tools_list(tools_list(tool("t", r.properties)));
    EXPECT_EQ(scan.invalid, strings{}) << r.name;
    EXPECT_EQ(scan.reasons, strings{}) << r.name;
    if (r.found.empty()) {
      EXPECT_EQ(scan.headers.count("t"), 0u) << r.name;
    } else {
      ASSERT_EQ(scan.headers.count("t"), 1u) << r.name;
      EXPECT_EQ(scan.headers.at("t"), r.found) << r.name;
    }
  }
}

TEST(era_tool_headers, invalid_annotations_table) {
  struct row {
    const char* name;
    std::string schema;  // the inputSchema
    std::string reason;
  };
  auto object = [](const std::string& properties) { return R"({"type":"object","properties":)" + properties + "}"; };
  const std::vector<row> rows = {
      {"not a string", object(R"({"p":{"type":"string","x-mcp-header":5}})"), "t: x-mcp-header on p is not a string"},
      {"empty", object(R"({"p":{"type":"string","x-mcp-header":""}})"), R"(t: x-mcp-header "" on p is not an HTTP token)"},
      {"space", object(R"({"p":{"type":"string","x-mcp-header":"A B"}})"), R"(t: x-mcp-header "A B" on p is not an HTTP token)"},
      {"colon", object(R"({"p":{"type":"string","x-mcp-header":"A:"}})"), R"(t: x-mcp-header "A:" on p is not an HTTP token)"},
      {"non-ASCII", object(R"({"p":{"type":"string","x-mcp-header":"R\u00e9gion"}})"),
       "t: x-mcp-header \"R\xC3\xA9gion\" on p is not an HTTP token"},
      {"nested, bad token", object(R"({"o":{"type":"object","properties":{"p":{"type":"string","x-mcp-header":"a/b"}}}})"),
       R"(t: x-mcp-header "a/b" on o.p is not an HTTP token)"},
      {"repeated ignoring case",
       object(R"({"a":{"type":"string","x-mcp-header":"Region"},"b":{"type":"string","x-mcp-header":"REGION"}})"),
       R"(t: x-mcp-header "REGION" on b repeats "Region")"},
      {"type number", object(R"({"p":{"type":"number","x-mcp-header":"P"}})"),
       R"(t: x-mcp-header "P" on p is on a property that is not of type string, integer or boolean)"},
      {"type object", object(R"({"p":{"type":"object","x-mcp-header":"P"}})"),
       R"(t: x-mcp-header "P" on p is on a property that is not of type string, integer or boolean)"},
      {"type array of types", object(R"({"p":{"type":["string","null"],"x-mcp-header":"P"}})"),
       R"(t: x-mcp-header "P" on p is on a property that is not of type string, integer or boolean)"},
      {"no type", object(R"({"p":{"x-mcp-header":"P"}})"),
       R"(t: x-mcp-header "P" on p is on a property that is not of type string, integer or boolean)"},
      {"on the root", R"({"type":"object","x-mcp-header":"Root","properties":{}})", "t: x-mcp-header not reachable through properties"},
      {"under items", object(R"({"l":{"type":"array","items":{"type":"string","x-mcp-header":"L"}}})"),
       "t: x-mcp-header not reachable through properties"},
      {"under items, properties",
       object(R"({"l":{"type":"array","items":{"type":"object","properties":{"x":{"type":"string","x-mcp-header":"X"}}}}})"),
       "t: x-mcp-header not reachable through properties"},
      {"under prefixItems", object(R"({"l":{"type":"array","prefixItems":[{"type":"string","x-mcp-header":"L"}]}})"),
       "t: x-mcp-header not reachable through properties"},
      {"under anyOf", object(R"({"u":{"anyOf":[{"type":"string","x-mcp-header":"U"},{"type":"integer"}]}})"),
       "t: x-mcp-header not reachable through properties"},
      {"under oneOf at the root",
       R"({"type":"object","oneOf":[{"properties":{"a":{"type":"string","x-mcp-header":"A"}}}]})",
       "t: x-mcp-header not reachable through properties"},
      {"under allOf", R"({"allOf":[{"type":"string","x-mcp-header":"A"}],"properties":{}})",
       "t: x-mcp-header not reachable through properties"},
      {"under not", object(R"({"n":{"type":"string","not":{"x-mcp-header":"N"}}})"),
       "t: x-mcp-header not reachable through properties"},
      {"under if/then/else", R"({"type":"object","if":{},"then":{},"else":{"properties":{"e":{"type":"string","x-mcp-header":"E"}}}})",
       "t: x-mcp-header not reachable through properties"},
      {"under additionalProperties",
       R"({"type":"object","properties":{},"additionalProperties":{"type":"string","x-mcp-header":"A"}})",
       "t: x-mcp-header not reachable through properties"},
      {"under patternProperties", R"({"type":"object","patternProperties":{"^x":{"type":"string","x-mcp-header":"P"}}})",
       "t: x-mcp-header not reachable through properties"},
      {"under $defs (a $ref target)",
       R"({"type":"object","properties":{"r":{"$ref":"#/$defs/s"}},"$defs":{"s":{"type":"string","x-mcp-header":"S"}}})",
       "t: x-mcp-header not reachable through properties"},
      {"under definitions", R"({"type":"object","definitions":{"s":{"type":"string","x-mcp-header":"S"}}})",
       "t: x-mcp-header not reachable through properties"},
      {"under dependentSchemas",
       R"({"type":"object","dependentSchemas":{"a":{"properties":{"b":{"type":"string","x-mcp-header":"B"}}}}})",
       "t: x-mcp-header not reachable through properties"},
      {"valid ones do not excuse an unreachable one",
       object(R"({"ok":{"type":"string","x-mcp-header":"Ok"},"l":{"type":"array","items":{"x-mcp-header":"L"}}})"),
       "t: x-mcp-header not reachable through properties"},
      {"the first problem is told", object(R"({"a":{"type":"number","x-mcp-header":"A"},"b":{"type":"string","x-mcp-header":""}})"),
       R"(t: x-mcp-header "A" on a is on a property that is not of type string, integer or boolean)"},
  };
  for (const auto& r : rows) {
    const auto line = tools_list(R"({"name":"t","inputSchema":)" + r.schema + "}");
    const auto scan = scan_tools_list(line);
    EXPECT_EQ(scan.invalid, strings{"t"}) << r.name;
    EXPECT_EQ(scan.reasons, strings{r.reason}) << r.name;
    EXPECT_EQ(scan.headers.count("t"), 0u) << r.name;
    EXPECT_EQ(scan.filtered_line, tools_list("")) << r.name;
  }
}

TEST(era_tool_headers, invalid_tools_are_cut_out_byte_for_byte) {
  const std::string good1 = R"({"name":"a","inputSchema":{"type":"object","properties":{"n":{"type":"number","default":1.0}}},"annotations":{"w":2.50}})";
  const std::string good2 = R"({"name":"c","description":"\u00e9\"}]","inputSchema":{"type":"object","properties":{"k":{"type":"string","x-mcp-header":"K"}}}})";
  const std::string bad1 = tool("b", R"({"p":{"type":"number","x-mcp-header":"P"}})");
  const std::string bad2 = tool("d", R"({"p":{"type":"string","x-mcp-header":"a b"}})");
  auto line = [](const std::string& tools) {
    return R"({ "jsonrpc" : "2.0", "id" : 1.0, "result" : { "tools" : [ )" + tools + R"( ] , "x" : -0.0 } })";
  };
  struct row {
    const char* name;
    std::string in, out;
    strings invalid;
  };
  const std::vector<row> rows = {
      {"middle", line(good1 + " , " + bad1 + " ,\t" + good2), line(good1 + " ,\t" + good2), {"b"}},
      {"first", line(bad1 + " , " + good1 + " ,\t" + good2), line(good1 + " ,\t" + good2), {"b"}},
      {"last", line(good1 + " , " + good2 + " ,\t" + bad1), line(good1 + " , " + good2), {"b"}},
      {"two apart", line(bad1 + "," + good1 + "," + bad2 + "," + good2), line(good1 + "," + good2), {"b", "d"}},
      {"two together", line(good1 + "," + bad1 + "," + bad2 + "," + good2), line(good1 + "," + good2), {"b", "d"}},
      {"all", line(bad1 + " , " + bad2), line(""), {"b", "d"}},
      {"only", line(bad1), line(""), {"b"}},
      {"none", line(good1 + " , " + good2), line(good1 + " , " + good2), {}},
  };
  for (const auto& r : rows) {
    const auto scan = scan_tools_list(r.in);
    EXPECT_EQ(scan.filtered_line, r.out) << r.name;
    EXPECT_EQ(scan.invalid, r.invalid) << r.name;
    EXPECT_EQ(scan.headers.count("c"), r.in.find(good2) == std::string::npos ? 0u : 1u) << r.name;
  }
}

TEST(era_tool_headers, other_lines_pass_unchanged) {
  for (const std::string line : {
           "",
           "garbage",
           R"({"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"x"}})",
           R"({"jsonrpc":"2.0","id":1,"result":{}})",
           R"({"jsonrpc":"2.0","id":1,"result":{"tools":{}}})",
           R"({"jsonrpc":"2.0","id":1,"result":{"tools":[]}})",
           R"({"jsonrpc":"2.0","id":1,"result":{"tools":[1,"x",null,{"inputSchema":{"x-mcp-header":"A"}},{"name":"n","inputSchema":true}]}})",
           R"({"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"t","inputSchema":{"x-mcp-header":"A"}})",
           R"([{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"t","inputSchema":{"x-mcp-header":"A"}}]}}])",
       }) {
    const auto scan = scan_tools_list(line);
    EXPECT_EQ(scan.filtered_line, line);
    EXPECT_TRUE(scan.headers.empty()) << line;
    EXPECT_TRUE(scan.invalid.empty()) << line;
    EXPECT_TRUE(scan.reasons.empty()) << line;
  }
}

TEST(era_tool_headers, param_headers_table) {
  const annotations deploy = {{"Region", {"region"}}, {"Count", {"count"}}, {"Dry-Run", {"opts", "dry"}}};
  struct row {
    const char* name;
    std::string arguments;
    header_list headers;
  };
  const std::vector<row> rows = {
      {"all three", R"({"region":"us west 1","count":42,"opts":{"dry":true}})",
       {{"Mcp-Param-Region", "us west 1"}, {"Mcp-Param-Count", "42"}, {"Mcp-Param-Dry-Run", "true"}}},
      {"false", R"({"opts":{"dry":false}})", {{"Mcp-Param-Dry-Run", "false"}}},
      {"encoded string", R"({"region":"Hello, \u4e16\u754c"})", {{"Mcp-Param-Region", "=?base64?SGVsbG8sIOS4lueVjA==?="}}},
      {"empty string", R"({"region":""})", {{"Mcp-Param-Region", ""}}},
      {"negative", R"({"count":-7})", {{"Mcp-Param-Count", "-7"}}},
      {"largest safe", R"({"count":9007199254740991})", {{"Mcp-Param-Count", "9007199254740991"}}},
      {"smallest safe", R"({"count":-9007199254740991})", {{"Mcp-Param-Count", "-9007199254740991"}}},
      {"beyond safe", R"({"count":9007199254740992})", {}},
      {"below safe", R"({"count":-9007199254740992})", {}},
      {"uint64", R"({"count":18446744073709551615})", {}},
      {"fraction", R"({"count":1.0})", {}},
      {"exponent", R"({"count":1e2})", {}},
      {"null", R"({"region":null,"count":null})", {}},
      {"wrong types", R"({"region":["x"],"count":"5","opts":{"dry":"true"}})", 
       {{"Mcp-Param-Count", "5"}, {"Mcp-Param-Dry-Run", "true"}}},  // the value's own type counts
      {"path through a non-object", R"({"opts":[{"dry":true}]})", {}},
      {"absent", "{}", {}},
      {"not an object", "[1]", {}},
      {"empty", "", {}},
      {"garbage", R"({"region":"x")", {}},
  };
  for (const auto& r : rows) EXPECT_EQ(param_headers(deploy, r.arguments), r.headers) << r.name;
  EXPECT_EQ(param_headers({}, R"({"region":"x"})"), header_list{});
}
