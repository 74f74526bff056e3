// Multi round-trip requests as tables: an input_required result in, the inputs to ask the editor
// for out; the editor's answers in, the exact retried request out.

#include "awork_mcp/era/input_required.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace awork_mcp {
bool operator==(const input_request& a, const input_request& b) {
  return a.key == b.key && a.method == b.method && a.params == b.params;
}
// So a failing table says what it saw.
std::ostream& operator<<(std::ostream& os, const input_request& r) {
  return os << r.key << ": " << r.method << ' ' << r.params;
}
}  // namespace awork_mcp

using namespace awork_mcp;

namespace {

using opt = std::optional<std::string>;
using requests = std::vector<input_request>;
using responses = std::vector<std::pair<std::string, std::string>>;

std::string result_line(const std::string& result) { return R"({"jsonrpc":"2.0","id":3,"result":)" + result + "}"; }

}  // namespace

TEST(era_input_required, parse_input_required_table) {
  struct row {
    const char* name;
    std::string line;
    requests inputs;
    opt state;
  };
  const std::string elicit_params =
      R"({"message":"Sure?","requestedSchema":{"type":"object","properties":{"ok":{"type":"boolean","default":true}}},"n":1.0})";
  const std::vector<row> rows = {
      {"elicitation and roots",
       result_line(R"({"resultType":"input_required","inputRequests":{"confirm":{"method":"elicitation/create","params":)" +
                   elicit_params + R"(},"roots":{"method":"roots/list"}},"requestState":"opaque\u00e9"})"),
       {{"confirm", "elicitation/create", elicit_params}, {"roots", "roots/list", "{}"}},
       R"("opaque\u00e9")"},
      {"sampling, escaped key",
       result_line(R"({"resultType":"input_required","inputRequests":{"s\u0031":{"params":{"maxTokens":100},"method":"sampling/createMessage"}}})"),
       {{"s1", "sampling/createMessage", R"({"maxTokens":100})"}},
       std::nullopt},
      {"state of any JSON, verbatim",
       result_line(R"({"resultType":"input_required","requestState":{ "n" : 1.0, "e" : -0.0 }})"), {}, R"({ "n" : 1.0, "e" : -0.0 })"},
      {"state null", result_line(R"({"resultType":"input_required","requestState":null})"), {}, "null"},
      {"nothing else", result_line(R"({"resultType":"input_required"})"), {}, std::nullopt},
      {"entries that cannot be asked are left out",
       result_line(R"({"resultType":"input_required","inputRequests":{"a":1,"b":{"params":{}},"c":{"method":7},"d":{"method":"roots/list","params":[1]}}})"),
       {{"d", "roots/list", "{}"}},
       std::nullopt},
      {"inputRequests not an object", result_line(R"({"resultType":"input_required","inputRequests":[{"method":"roots/list"}]})"),
       {}, std::nullopt},
  };
  for (const auto& r : rows) {
    const auto parsed = parse_input_required(r.line);
    ASSERT_TRUE(parsed) << r.name;
    EXPECT_EQ(parsed->requests, r.inputs) << r.name;
    EXPECT_EQ(parsed->request_state, r.state) << r.name;
  }
}

TEST(era_input_required, other_responses_are_not_input_required) {
  for (const auto& line : {
           result_line(R"({"content":[],"isError":false})"),
           result_line(R"({"resultType":"complete","content":[]})"),
           result_line(R"({"resultType":"input_required_not"})"),
           result_line(R"({"resultType":7})"),
           result_line(R"("input_required")"),
           std::string(R"({"jsonrpc":"2.0","id":3,"error":{"code":-32603,"message":"resultType input_required"}})"),
           std::string(R"({"jsonrpc":"2.0","id":3,"result":{"resultType":"input_required"})"),
           std::string(R"([{"jsonrpc":"2.0","id":3,"result":{"resultType":"input_required"}}])"),
           // input_required, but the line around it is not JSON (the check comes after the scan)
           std::string(R"({"jsonrpc":"2.0","id":3,"result":{"resultType":"input_required"},})"),
           std::string(R"({"jsonrpc":"2.0","id":3,"result":{"resultType":"input_required","x":tru}})"),
           std::string("garbage"),
           std::string(""),
       })
    EXPECT_EQ(parse_input_required(line), std::nullopt) << line;
}

TEST(era_input_required, editor_input_request_table) {
  struct row {
    input_request input;
    std::string id;
    std::string request;
  };
  for (const auto& r : std::vector<row>{
           {{"confirm", "elicitation/create", R"({"message":"Sure?","n":1.0})"}, R"("awork-mcp-1")",
            R"({"jsonrpc":"2.0","id":"awork-mcp-1","method":"elicitation/create","params":{"message":"Sure?","n":1.0}})"},
           {{"roots", "roots/list", "{}"}, "17", R"({"jsonrpc":"2.0","id":17,"method":"roots/list","params":{}})"},
           {{"x", "roots/list", ""}, "1", R"({"jsonrpc":"2.0","id":1,"method":"roots/list","params":{}})"},
       })
    EXPECT_EQ(editor_input_request(r.input, r.id), r.request) << r.input;
}

TEST(era_input_required, retry_with_inputs_table) {
  struct row {
    const char* name;
    std::string original;
    std::string id;
    responses answers;
    opt state;
    opt retried;
  };
  const std::string call =
      R"({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"deploy","arguments":{"n":1.0,"s":"\u00e9"},"_meta":{"progressToken":2.50}}})";
  const std::string accept = R"({"action":"accept","content":{"ok":true}})";
  const std::vector<row> rows = {
      {"first round", call, R"("b-1")", {{"confirm", accept}}, R"("st")",
       R"({"jsonrpc":"2.0","id":"b-1","method":"tools/call","params":{"inputResponses":{"confirm":{"action":"accept","content":{"ok":true}}},"requestState":"st","name":"deploy","arguments":{"n":1.0,"s":"\u00e9"},"_meta":{"progressToken":2.50}}})"},
      {"no state", call, "6", {{"confirm", accept}}, std::nullopt,
       R"({"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"inputResponses":{"confirm":{"action":"accept","content":{"ok":true}}},"name":"deploy","arguments":{"n":1.0,"s":"\u00e9"},"_meta":{"progressToken":2.50}}})"},
      {"several, in order, keys quoted", call, "6",
       {{"b", R"({"roots":[]})"}, {"a\"q", R"({"role":"assistant","content":{"type":"text","text":"x"},"n":-0.0})"}}, R"({"k":1e400})",
       R"({"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"inputResponses":{"b":{"roots":[]},"a\"q":{"role":"assistant","content":{"type":"text","text":"x"},"n":-0.0}},"requestState":{"k":1e400},"name":"deploy","arguments":{"n":1.0,"s":"\u00e9"},"_meta":{"progressToken":2.50}}})"},
      {"no answers", call, "6", {}, std::nullopt,
       R"({"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"inputResponses":{},"name":"deploy","arguments":{"n":1.0,"s":"\u00e9"},"_meta":{"progressToken":2.50}}})"},
      {"second round replaces the first's",
       R"({"jsonrpc":"2.0","id":"b-1","method":"tools/call","params":{"inputResponses":{"confirm":{"action":"decline"}},"requestState":"st","name":"deploy"}})",
       R"("b-2")", {{"pick", R"({"action":"accept","content":{"c":"red"}})"}}, R"("st2")",
       R"({"jsonrpc":"2.0","id":"b-2","method":"tools/call","params":{"inputResponses":{"pick":{"action":"accept","content":{"c":"red"}}},"requestState":"st2","name":"deploy"}})"},
      {"second round without a state drops the first's",
       R"({"jsonrpc":"2.0","id":"b-1","method":"tools/call","params":{"name":"deploy","requestState":"st","inputResponses":{}}})",
       R"("b-2")", {{"k", "{}"}}, std::nullopt,
       R"({"jsonrpc":"2.0","id":"b-2","method":"tools/call","params":{"name":"deploy","inputResponses":{"k":{}}}})"},
      {"no params", R"({"jsonrpc":"2.0","id":1,"method":"roots/list"})", "2", {{"k", "{}"}}, R"("s")",
       R"({"params":{"inputResponses":{"k":{}},"requestState":"s"},"jsonrpc":"2.0","id":2,"method":"roots/list"})"},
      {"no id", R"({"method":"x","params":{}})", "2", {{"k", "{}"}}, std::nullopt, R"({"id":2,"method":"x","params":{"inputResponses":{"k":{}}}})"},
      {"whitespace kept", " {\n\"id\" : 1 , \"method\" : \"x\" , \"params\" : { \"a\" : 1 }\n}\n", "9", {{"k", "true"}}, std::nullopt,
       " {\n\"id\" : 9 , \"method\" : \"x\" , \"params\" : {\"inputResponses\":{\"k\":true}, \"a\" : 1 }\n}\n"},
      {"an answer without text", call, "6", {{"confirm", ""}}, std::nullopt, std::nullopt},
      {"params an array", R"({"id":1,"method":"x","params":[1]})", "2", {{"k", "{}"}}, std::nullopt, std::nullopt},
      {"a response", R"({"jsonrpc":"2.0","id":1,"result":{}})", "2", {{"k", "{}"}}, std::nullopt, std::nullopt},
      {"cut short", call.substr(0, call.size() - 1), "2", {{"k", "{}"}}, std::nullopt, std::nullopt},
      {"garbage", "garbage", "2", {{"k", "{}"}}, std::nullopt, std::nullopt},
      {"empty", "", "2", {}, std::nullopt, std::nullopt},
  };
  for (const auto& r : rows) EXPECT_EQ(retry_with_inputs(r.original, r.id, r.answers, r.state), r.retried) << r.name;
}

TEST(era_input_required, with_id_table) {
  struct row {
    std::string line;
    std::string id;
    opt result;
  };
  for (const auto& r : std::vector<row>{
           {R"({"jsonrpc":"2.0","id":"awork-mcp-3","result":{"x":1.0,"y":"\u00e9"}})", "7",
            R"({"jsonrpc":"2.0","id":7,"result":{"x":1.0,"y":"\u00e9"}})"},
           {R"({"jsonrpc":"2.0","result":{"id":1},"id":2})", R"("e")", R"({"jsonrpc":"2.0","result":{"id":1},"id":"e"})"},
           {R"({ "id" : 1 , "error" : {"code":-32603,"message":"x"} })", "null",
            R"({ "id" : null , "error" : {"code":-32603,"message":"x"} })"},
           {"garbage", "1", std::nullopt},
           {R"([{"id":1}])", "1", std::nullopt},
           {"", "1", std::nullopt},
       })
    EXPECT_EQ(with_id(r.line, r.id), r.result) << r.line;
}
