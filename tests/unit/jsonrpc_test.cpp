#include "awork_mcp/jsonrpc.hpp"

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
    auto m = classify(json::parse(c.text));
    EXPECT_EQ(m.kind, c.kind) << c.text << " problem: " << m.problem;
    EXPECT_EQ(m.request_ids.size(), c.awaited) << c.text;
    if (c.kind == message_kind::invalid) {
      EXPECT_FALSE(m.problem.empty()) << c.text;
    }
  }
}

TEST(jsonrpc, invalid_message_keeps_its_id_for_the_error) {
  auto m = classify(json::parse(R"({"id":7,"method":"x"})"));
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

TEST(jsonrpc, is_response_table) {
  EXPECT_TRUE(is_response(json::parse(R"({"jsonrpc":"2.0","id":1,"result":{}})").as_object()));
  EXPECT_TRUE(is_response(json::parse(R"({"jsonrpc":"2.0","id":1,"error":{}})").as_object()));
  EXPECT_FALSE(is_response(json::parse(R"({"jsonrpc":"2.0","id":1,"method":"roots/list"})").as_object()));
  EXPECT_FALSE(is_response(json::parse(R"({"jsonrpc":"2.0","method":"notifications/progress"})").as_object()));
}
