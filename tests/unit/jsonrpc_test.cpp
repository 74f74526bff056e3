#include "awork_mcp/core/jsonrpc.hpp"

#include <gtest/gtest.h>

using namespace awork_mcp;

namespace {
struct classify_case {
  const char* text;
  message_kind kind;
  std::size_t awaited;  // request ids to answer
};
}  // namespace

TEST(jsonrpc, classify_table) {
  const std::vector<classify_case> cases = {
      {R"({"jsonrpc":"2.0","id":1,"method":"ping"})", message_kind::request, 1},
      {R"({"jsonrpc":"2.0","id":"a","method":"tools/call","params":{}})", message_kind::request, 1},
      {R"({"jsonrpc":"2.0","method":"notifications/initialized"})", message_kind::notification, 0},
      {R"({"jsonrpc":"2.0","id":1,"result":{}})", message_kind::response, 0},
      {R"({"jsonrpc":"2.0","id":1,"error":{"code":1,"message":"x"}})", message_kind::response, 0},
      {R"([{"jsonrpc":"2.0","id":1,"method":"a"},{"jsonrpc":"2.0","method":"b"},{"jsonrpc":"2.0","id":2,"method":"c"}])",
       message_kind::batch, 2},
      {R"({"id":1,"method":"ping"})", message_kind::invalid, 0},
      {R"({"jsonrpc":"1.0","id":1,"method":"ping"})", message_kind::invalid, 0},
      {R"({"jsonrpc":"2.0","id":{},"method":"ping"})", message_kind::invalid, 0},
      {R"({"jsonrpc":"2.0","id":1,"method":5})", message_kind::invalid, 0},
      {R"({"jsonrpc":"2.0","id":1,"method":"x","params":3})", message_kind::invalid, 0},
      {R"({"jsonrpc":"2.0","id":1,"result":{},"error":{}})", message_kind::invalid, 0},
      {R"({"jsonrpc":"2.0","id":1})", message_kind::invalid, 0},
      {R"([])", message_kind::invalid, 0},
      {R"([{"jsonrpc":"2.0","id":1,"method":"a"}, 3])", message_kind::invalid, 0},
      {R"(42)", message_kind::invalid, 0},
  };
  for (const auto& c : cases) {
    auto m = classify(c.text);
    EXPECT_EQ(m.kind, c.kind) << c.text << " problem: " << m.problem;
    EXPECT_EQ(m.request_ids.size(), c.awaited) << c.text;
    if (c.kind == message_kind::invalid) {
      EXPECT_FALSE(m.problem.empty()) << c.text;
    }
  }
}

TEST(jsonrpc, invalid_message_keeps_its_id_for_the_error) {
  auto m = classify(R"({"id":7,"method":"x"})");
  EXPECT_EQ(m.kind, message_kind::invalid);
  EXPECT_EQ(m.id, json::value(7));
}

TEST(jsonrpc, id_keys_keep_numbers_and_strings_apart) {
  EXPECT_NE(id_key(json::value(1)), id_key(json::value("1")));
  EXPECT_EQ(id_key(json::value(1)), id_key(json::parse("1")));
}

TEST(jsonrpc, error_response_shape) {
  auto line = make_error_response(json::value("x"), -32000, "boom", {{"httpStatus", 502}});
  auto v = json::parse(line);
  EXPECT_EQ(v.at("jsonrpc"), "2.0");
  EXPECT_EQ(v.at("id"), "x");
  EXPECT_EQ(v.at("error").at("code"), -32000);
  EXPECT_EQ(v.at("error").at("message"), "boom");
  EXPECT_EQ(v.at("error").at("data").at("httpStatus"), 502);
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(jsonrpc, not_json_is_a_parse_error) {
  for (const char* text : {"", "{", "nope", "{\"a\":1} trailing", "[1,]"}) {
    auto m = classify(text);
    EXPECT_TRUE(m.parse_error) << text;
    EXPECT_EQ(m.kind, message_kind::invalid) << text;
  }
  EXPECT_FALSE(classify("{}").parse_error);
}

TEST(jsonrpc, responses_from_the_server_table) {
  struct row {
    const char* text;
    message_kind kind;
    json::value id;
  };
  const row rows[] = {
      {R"({"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"{\"id\":9}"}]}})", message_kind::response, 1},
      {R"({"result":{"id":"nested"},"jsonrpc":"2.0","id":"a"})", message_kind::response, "a"},
      {R"({"jsonrpc":"2.0","id":2,"error":{"code":-1,"message":"x"}})", message_kind::response, 2},
      {R"({"jsonrpc":"2.0","id":0,"method":"roots/list"})", message_kind::request, 0},
      {R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"id":5}})", message_kind::notification, nullptr},
      {R"({"jsonrpc":"2.0","id":18446744073709551615,"result":{}})", message_kind::response, json::value(18446744073709551615ull)},
      {R"({"jsonrpc":"2.0","id":1.5,"result":{}})", message_kind::response, 1.5},
  };
  for (const auto& r : rows) {
    auto m = classify(r.text);
    EXPECT_EQ(m.kind, r.kind) << r.text << " " << m.problem;
    EXPECT_EQ(m.id, r.id) << r.text;
  }
}

TEST(jsonrpc, escaped_and_split_strings_are_read_whole) {
  auto m = classify(R"({"jsonrpc":"2.0","id":"a\"b","method":"tools\/call","params":{}})");
  EXPECT_EQ(m.kind, message_kind::request);
  EXPECT_EQ(m.id, "a\"b");
  EXPECT_EQ(m.method, "tools/call");
}

TEST(jsonrpc, an_id_beyond_a_doubles_range_is_refused_and_the_answer_is_valid_json) {
  auto m = awork_mcp::classify(R"({"jsonrpc":"2.0","id":1e400,"method":"x","params":[]})");
  EXPECT_EQ(m.kind, awork_mcp::message_kind::invalid);
  auto reply = awork_mcp::make_error_response(m.id, awork_mcp::rpc_code::invalid_request, m.problem);
  boost::system::error_code ec;
  auto parsed = boost::json::parse(reply, ec);
  ASSERT_FALSE(ec) << reply;
  EXPECT_TRUE(parsed.at("id").is_null()) << reply;
}
