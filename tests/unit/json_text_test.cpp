// Byte-faithful JSON: folding onto one line, cutting batch elements out by byte range, deep
// nesting, and reading the id of a line too long to keep.

#include "awork_mcp/core/json_text.hpp"
#include "awork_mcp/core/jsonrpc.hpp"

#include <gtest/gtest.h>

using namespace awork_mcp;

TEST(json_text, folding_changes_only_line_breaks) {
  struct row {
    std::string in, out;
  };
  for (const auto& r : std::vector<row>{
           {"{\"a\":1}", "{\"a\":1}"},
           {"{\n  \"a\": 1.0,\r\n  \"b\": -0.0\n}", "{   \"a\": 1.0,    \"b\": -0.0 }"},
           {"{\"s\":\"a\\nb\\r\\\"\"}", "{\"s\":\"a\\nb\\r\\\"\"}"},  // escapes inside strings stay
           {"\n[1,\n2]\n", " [1, 2] "},
       }) {
    std::string text = r.in;
    fold_onto_one_line(text);
    EXPECT_EQ(text, r.out);
    EXPECT_EQ(text.find_first_of("\r\n"), std::string::npos);
  }
}

TEST(json_text, numbers_keys_and_escapes_survive_exactly) {
  std::string text = "{\n\"id\": 2, \"result\": {\"z\": 1.0, \"a\": 2.50, \"n\": -0.0,\n"
                     "\"big\": 123456789012345678901234567890, \"e\": 1E400, \"s\": \"a\\u00e9\\\"\\\\n\"}}";
  std::string expected = text;
  for (auto& c : expected)
    if (c == '\n') c = ' ';
  ASSERT_FALSE(classify(text).parse_error) << classify(text).problem;
  fold_onto_one_line(text);
  EXPECT_EQ(text, expected);
}

TEST(json_text, batch_elements_are_cut_out_by_byte_range) {
  struct row {
    std::string batch;
    std::vector<std::string> elements;
  };
  for (const auto& r : std::vector<row>{
           {R"x([{"id":1,"result":1.0},{"id":2,"result":"]},{x"}])x", {R"x({"id":1,"result":1.0})x", R"x({"id":2,"result":"]},{x"})x"}},
           {"[ {\"a\":[1,2,{\"b\":\"\\\"\"}]} ,\n {\"c\":2} ]", {"{\"a\":[1,2,{\"b\":\"\\\"\"}]}", "{\"c\":2}"}},
           {"[]", {}},
           {"  [ 1 ]", {"1"}},
       }) {
    ASSERT_FALSE(classify(r.batch).parse_error) << r.batch;
    auto parts = array_elements(r.batch);
    ASSERT_EQ(parts.size(), r.elements.size()) << r.batch;
    for (std::size_t i = 0; i < parts.size(); ++i) EXPECT_EQ(parts[i], r.elements[i]) << r.batch;
  }
}

TEST(json_text, deep_nesting_is_accepted_up_to_the_documented_limit) {
  auto nested = [](std::size_t depth) {
    return R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":)" + std::string(depth, '[') +
           std::string(depth, ']') + "}";
  };
  auto deep = classify(nested(500));
  EXPECT_FALSE(deep.parse_error) << deep.problem;
  EXPECT_EQ(deep.kind, message_kind::request);
  EXPECT_TRUE(classify(nested(max_json_depth + 10)).parse_error);
}

TEST(json_text, id_of_an_over_long_line_from_its_first_bytes) {
  struct row {
    std::string prefix;
    json::value id;
  };
  for (const auto& r : std::vector<row>{
           {R"({"jsonrpc":"2.0","id":77,"method":"tools/call","params":{"pad":"xxxx)", 77},
           {R"({"id":"abc","jsonrpc":"2.0","params":{"id":5,"pad":"xx)", "abc"},
           {R"({"jsonrpc":"2.0","method":"tools/call","params":{"id":5,"pad":"xx)", nullptr},  // nested id is not the id
           {R"({"jsonrpc":"2.0","method":"x","id":12)", nullptr},  // the number may go on: not known yet
           {R"({"jsonrpc":"2.0","method":"x","id":12,)", 12},
           {R"([{"id":1)", nullptr},
           {"not json", nullptr},
           {"", nullptr},
       })
    EXPECT_EQ(id_from_prefix(r.prefix), r.id) << r.prefix;
}
