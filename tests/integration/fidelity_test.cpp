// JSON fidelity: what the server sends reaches the client token for token (number texts,
// string escapes), batches are split without rewriting, and deep nesting passes both ways.

#include "mcp_fixture.hpp"

#include <algorithm>

using namespace std::chrono_literals;
using test_support::sse_event;

namespace {

// The JSON text without whitespace between tokens; string contents stay as they are.
std::string without_insignificant_whitespace(std::string_view text) {
  std::string out;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      out.push_back(c);
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (c == '"') in_string = true;
    out.push_back(c);
  }
  return out;
}

// n objects nested in each other: {"d":{"d":...0...}}
std::string nested(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += R"({"d":)";
  s += "0";
  s.append(static_cast<std::size_t>(n), '}');
  return s;
}

// Pretty-printed, with number texts and escapes that a parse-and-serialize round trip changes.
const std::string pretty_reply = R"({
  "jsonrpc": "2.0",
  "id": 2,
  "result": {
    "numbers": [
      1.0,
      2.50,
      -0.0,
      123456789012345678901234567890
    ],
    "text": "a\u00e9\"\\n"
  }
}
)";

void expect_token_faithful(const std::string& line, const std::string& sent) {
  for (const char* token : {"1.0", "2.50", "-0.0", "123456789012345678901234567890", R"("a\u00e9\"\\n")"})
    EXPECT_NE(line.find(token), std::string::npos) << token << " was rewritten: " << line;
  EXPECT_EQ(without_insignificant_whitespace(line), without_insignificant_whitespace(sent));
}

}  // namespace

TEST_F(bridge_test, pretty_printed_json_reply_keeps_number_texts_and_escapes) {
  mcp.on_post = [](const auto&, server_reply& reply, const json::object& msg) {
    if (!has_method(msg, "tools/call")) return false;
    reply.json(200, pretty_reply);
    return true;
  };
  start_bridge();
  handshake();
  bridge->send(request_line(2, "tools/call", {{"name", "numbers"}}));
  auto line = bridge->read_line(10s);
  ASSERT_TRUE(line) << bridge->stderr_text();
  expect_token_faithful(*line, pretty_reply);
}

TEST_F(bridge_test, multi_line_sse_data_keeps_number_texts_and_escapes) {
  mcp.on_post = [](const auto&, server_reply& reply, const json::object& msg) {
    if (!has_method(msg, "tools/call")) return false;
    reply.start_sse();
    reply.sse(sse_event(pretty_reply.substr(0, pretty_reply.size() - 1), "e1"));
    reply.finish_sse();
    return true;
  };
  start_bridge();
  handshake();
  bridge->send(request_line(2, "tools/call", {{"name", "numbers"}}));
  auto line = bridge->read_line(10s);
  ASSERT_TRUE(line) << bridge->stderr_text();
  expect_token_faithful(*line, pretty_reply);
}

TEST_F(bridge_test, batch_reply_is_split_into_byte_identical_lines) {
  const std::vector<std::string> elements{
      R"({"jsonrpc":"2.0","id":21,"result":{"v":1.0,"s":"caf\u00e9 \"x\""}})",
      R"({"jsonrpc":"2.0","id":22,"result":{"v":2.50,"big":123456789012345678901234567890,"z":-0.0}})"};
  mcp.on_request = [&](const auto& req, server_reply& reply) {
    if (req.body().empty() || req.body().front() != '[') return false;
    reply.json(200, "[" + elements[0] + ",\n " + elements[1] + "]");
    return true;
  };
  start_bridge();
  handshake("2025-03-26");
  bridge->send("[" + request_line(21, "tools/call", {{"name", "a"}}) + "," + request_line(22, "tools/call", {{"name", "b"}}) + "]");
  std::vector<std::string> lines;
  for (int i = 0; i < 2; ++i) {
    auto line = bridge->read_line(10s);
    ASSERT_TRUE(line) << bridge->stderr_text();
    lines.push_back(*line);
  }
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(lines, elements);
}

TEST_F(bridge_test, request_nested_100_levels_deep_is_forwarded) {
  const std::string deep = nested(99);
  mcp.on_request = [&](const auto& req, server_reply& reply) {
    if (req.body().find("deep-request") == std::string::npos) return false;
    reply.json(200, R"({"jsonrpc":"2.0","id":30,"result":{"depth":100}})");
    return true;
  };
  start_bridge();
  handshake();
  bridge->send(R"({"jsonrpc":"2.0","id":30,"method":"tools/call","params":{"name":"deep-request","d":)" + deep + "}}");
  auto response = read_response(30, 5s);
  EXPECT_TRUE(response.is_object() && response.as_object().contains("result")) << response;
  auto forwarded = server->wait_for([](const recorded_request& r) { return r.body.find("deep-request") != std::string::npos; }, 1s);
  ASSERT_TRUE(forwarded) << "the request never reached the server";
  EXPECT_NE(forwarded->body.find(deep), std::string::npos);
}

TEST_F(bridge_test, reply_nested_100_levels_deep_is_delivered_intact) {
  const std::string reply_text = R"({"jsonrpc":"2.0","id":31,"result":)" + nested(100) + "}";
  mcp.on_post = [&](const auto&, server_reply& reply, const json::object& msg) {
    if (!has_method(msg, "tools/call")) return false;
    reply.json(200, reply_text);
    return true;
  };
  start_bridge();
  handshake();
  bridge->send(request_line(31, "tools/call", {{"name", "deep-reply"}}));
  auto line = bridge->read_line(10s);
  ASSERT_TRUE(line) << bridge->stderr_text();
  EXPECT_EQ(*line, reply_text);
}
