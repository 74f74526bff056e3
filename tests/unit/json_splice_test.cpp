// Editing one member of a JSON object in its text, as tables: object text and key in, the value
// text or the whole new text out, every other byte as it was.

#include "awork_mcp/core/json_splice.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

using namespace awork_mcp;

namespace {

using opt = std::optional<std::string>;

opt text_of(std::optional<std::string_view> v) { return v ? opt(std::string(*v)) : std::nullopt; }

// Texts that are not one JSON object, or are cut short: every function answers nullopt for them.
const std::vector<std::string> not_objects = {
    "",
    "   ",
    "[]",
    "[{\"a\":1}]",
    "\"a\"",
    "1",
    "null",
    "{",
    "}",
    "{\"a\"",
    "{\"a\":",
    "{\"a\":1",
    "{\"a\"}",
    "{\"a\":}",
    "{\"a\":1,}",
    "{,\"a\":1}",
    "{\"a\" 1}",
    "{a:1}",
    "{\"a\":1} x",
    "{\"a\":1}{}",
    "{\"a\":[1}",
    "{\"a\":{\"b\":1]}",
    "{\"a\":\"unterminated}",
    "{\"a\\",
    "{\"a\":\"x\\\"}",
    "{\"a\":1 2}",
    "{\"a\"::1}",
    "{\"a\":\"line\nbreak\"}",
};

}  // namespace

TEST(json_splice, member_text_table) {
  struct row {
    const char* name;
    std::string object;
    std::string key;
    opt value;
  };
  const std::vector<row> rows = {
      {"first", R"({"a":1,"b":2})", "a", "1"},
      {"last", R"({"a":1,"b":2})", "b", "2"},
      {"own members only", R"({"b":{"a":2}})", "a", std::nullopt},
      {"object value", R"({"b":{"a":2},"c":3})", "b", R"({"a":2})"},
      {"whitespace around", " {\n \"a\" :\t[1, {\"x\":\"]\"}] , \"b\":2 }\r\n", "a", R"([1, {"x":"]"}])"},
      {"number kept: 1.0", R"({"n":1.0})", "n", "1.0"},
      {"number kept: 2.50", R"({"n":2.50})", "n", "2.50"},
      {"number kept: -0.0", R"({"n":-0.0,"m":0})", "n", "-0.0"},
      {"number kept: 1e400", R"({"n":1e400})", "n", "1e400"},
      {"literals", R"({"t":true,"f":false,"z":null})", "z", "null"},
      {"string with escapes", R"({"s":"a\\\"}{\u00e9","t":0})", "s", R"("a\\\"}{\u00e9")"},
      {"after string with brackets", R"({"s":"a\\\"}{","t":0})", "t", "0"},
      {"escaped key", R"({"a\u0062":true})", "ab", "true"},
      {"key with escaped quote", R"({"q\"k":"v"})", "q\"k", R"("v")"},
      {"key with escaped backslash", R"({"q\\":"v"})", "q\\", R"("v")"},
      {"escaped key is not its raw text", R"({"a\u0062":true})", "a\\u0062", std::nullopt},
      {"unicode key", "{\"\xC3\xA9\":1}", "\xC3\xA9", "1"},
      {"repeated key: the last", R"({"a":1,"a":2})", "a", "2"},
      {"empty key", R"({"":5})", "", "5"},
      {"empty object", "{}", "a", std::nullopt},
      {"absent", R"({"a":1})", "b", std::nullopt},
      {"case matters", R"({"A":1})", "a", std::nullopt},
      {"deep nesting", R"({"d":[[[[{"a":[[]]}]]]],"a":1})", "a", "1"},
  };
  for (const auto& r : rows) EXPECT_EQ(text_of(member_text(r.object, r.key)), r.value) << r.name;
}

TEST(json_splice, find_member_gives_byte_offsets) {
  const std::string text = R"({ "id" : "x-1" , "b":[1]})";
  const auto span = find_member(text, "id");
  ASSERT_TRUE(span);
  EXPECT_EQ(span->value_begin, 9u);
  EXPECT_EQ(span->value_end, 14u);
  const auto b = find_member(text, "b");
  ASSERT_TRUE(b);
  EXPECT_EQ(text.substr(b->value_begin, b->value_end - b->value_begin), "[1]");
}

TEST(json_splice, set_member_table) {
  struct row {
    const char* name;
    std::string object;
    std::string key;
    std::string value;
    opt result;
  };
  const std::vector<row> rows = {
      {"added first", R"({"a":1})", "b", "2", R"({"b":2,"a":1})"},
      {"added to empty", "{}", "b", "2", R"({"b":2})"},
      {"added to empty with space", "{ }", "b", "2", R"({"b":2 })"},
      {"added, rest byte for byte", " {\n\"z\": 1.0, \"a\": -0.0, \"s\": \"\\u00e9\"}", "k", R"({"x":2.50})",
       " {\"k\":{\"x\":2.50},\n\"z\": 1.0, \"a\": -0.0, \"s\": \"\\u00e9\"}"},
      {"replaced in place", R"({"a":1.0,"b":2,"c":1e400})", "b", "[3]", R"({"a":1.0,"b":[3],"c":1e400})"},
      {"replaced, whitespace kept", R"({ "b" : 2 , "c":1})", "b", "null", R"({ "b" : null , "c":1})"},
      {"replaced object value", R"({"p":{"x":{"y":1}},"q":0})", "p", "{}", R"({"p":{},"q":0})"},
      {"repeated key: the last replaced", R"({"a":1,"a":2})", "a", "3", R"({"a":1,"a":3})"},
      {"escaped key matched", R"({"\u0069d":1})", "id", "7", R"({"\u0069d":7})"},
      {"key quoted", "{}", "q\"k\\", "1", R"({"q\"k\\":1})"},
      {"nested key not touched", R"({"x":{"b":1}})", "b", "2", R"({"b":2,"x":{"b":1}})"},
  };
  for (const auto& r : rows) EXPECT_EQ(set_member(r.object, r.key, r.value), r.result) << r.name;
}

TEST(json_splice, remove_member_table) {
  struct row {
    const char* name;
    std::string object;
    std::string key;
    opt result;
  };
  const std::vector<row> rows = {
      {"first", R"({"a":1,"b":2,"c":3})", "a", R"({"b":2,"c":3})"},
      {"middle", R"({"a":1,"b":2,"c":3})", "b", R"({"a":1,"c":3})"},
      {"last", R"({"a":1,"b":2,"c":3})", "c", R"({"a":1,"b":2})"},
      {"only", R"({"a":1})", "a", "{}"},
      {"only, spaced", R"({ "a" : 1 })", "a", "{  }"},
      {"first, spaced", R"({ "a" : 1 , "b" : 2 })", "a", R"({ "b" : 2 })"},
      {"last, spaced", R"({ "a" : 1 , "b" : 2 })", "b", R"({ "a" : 1 })"},
      {"absent: unchanged", R"({"a":1.0, "s":"\u00e9"})", "x", R"({"a":1.0, "s":"\u00e9"})"},
      {"empty object", "{}", "x", "{}"},
      {"every repeat", R"({"a":1,"b":2,"a":3})", "a", R"({"b":2})"},
      {"repeats only", R"({"a":1,"a":2})", "a", "{}"},
      {"nested key not touched", R"({"x":{"a":1}})", "a", R"({"x":{"a":1}})"},
      {"escaped key", R"({"k":0,"\u0061":1})", "a", R"({"k":0})"},
      {"object value", R"({"a":{"b":[1,{"c":"}"}]},"d":-0.0})", "a", R"({"d":-0.0})"},
  };
  for (const auto& r : rows) EXPECT_EQ(remove_member(r.object, r.key), r.result) << r.name;
}

TEST(json_splice, json_quote_table) {
  struct row {
    std::string text;
    std::string quoted;
  };
  for (const auto& r : std::vector<row>{
           {"plain", R"("plain")"},
           {"", R"("")"},
           {"a\"b\\c", R"("a\"b\\c")"},
           {"tab\tnl\ncr\r", R"("tab\tnl\ncr\r")"},
           {std::string("nul\0x", 5), R"("nul\u0000x")"},
           {"\x1f", R"("\u001f")"},
           {"\xC3\xA9 \xE4\xB8\x96", "\"\xC3\xA9 \xE4\xB8\x96\""},
           {"io.modelcontextprotocol/clientInfo", R"("io.modelcontextprotocol/clientInfo")"},
       })
    EXPECT_EQ(json_quote(r.text), r.quoted) << r.text;
}

TEST(json_splice, json_unquote_table) {
  struct row {
    std::string literal;
    opt text;
  };
  for (const auto& r : std::vector<row>{
           {R"("x")", "x"},
           {R"("")", ""},
           {R"("a\u00e9\n\"")", "a\xC3\xA9\n\""},
           {R"("\ud83d\ude00")", "\xF0\x9F\x98\x80"},
           {"x", std::nullopt},
           {"", std::nullopt},
           {"\"", std::nullopt},
           {R"("unterminated)", std::nullopt},
           {R"("a"b")", std::nullopt},
           {R"("a" )", std::nullopt},
           {R"("\x")", std::nullopt},
           {"1", std::nullopt},
       })
    EXPECT_EQ(json_unquote(r.literal), r.text) << r.literal;
}

TEST(json_splice, object_members_in_order_with_their_text) {
  using members = std::vector<std::pair<std::string, std::string_view>>;
  EXPECT_EQ(object_members(R"({"b":1.0, "a\u0021" : [2] ,"c":{"d":"}"}})"),
            (members{{"b", "1.0"}, {"a!", "[2]"}, {"c", R"({"d":"}"})"}}));
  EXPECT_EQ(object_members("{}"), members{});
  EXPECT_EQ(object_members(R"({"a":1,"a":2})"), (members{{"a", "1"}, {"a", "2"}}));
}

TEST(json_splice, not_an_object_gives_nullopt_everywhere) {
  for (const auto& text : not_objects) {
    EXPECT_EQ(find_member(text, "a"), std::nullopt) << text;
    EXPECT_EQ(member_text(text, "a"), std::nullopt) << text;
    EXPECT_EQ(set_member(text, "a", "1"), std::nullopt) << text;
    EXPECT_EQ(remove_member(text, "a"), std::nullopt) << text;
    EXPECT_EQ(object_members(text), std::nullopt) << text;
  }
}

TEST(json_splice, every_cut_of_a_message_is_answered_without_a_throw) {
  const std::string message =
      R"({"jsonrpc":"2.0","id":"a\"b","method":"tools/call","params":{"name":"t","arguments":{"n":[1.0,-0.0,1e400,{"s":"\\\"}]"}],"u":"\u00e9"},"_meta":{"progressToken":7}}})";
  for (std::size_t n = 0; n <= message.size(); ++n) {
    const auto cut = std::string_view(message).substr(0, n);
    EXPECT_NO_THROW({
      (void)member_text(cut, "params");
      (void)set_member(cut, "id", "1");
      (void)remove_member(cut, "id");
      (void)object_members(cut);
      (void)json_unquote(cut);
    }) << cut;
    if (n < message.size()) {
      EXPECT_EQ(member_text(cut, "jsonrpc"), std::nullopt) << cut;
    }
  }
  EXPECT_EQ(text_of(member_text(message, "id")), R"("a\"b")");
}

TEST(json_splice, typed_member_readers) {
  const std::string text = R"({"o":{"k":1},"s":"a\u00e9","t":true,"f":false,"n":null,"q":"true"})";
  EXPECT_EQ(object_member(text, "o"), std::optional<std::string_view>(R"({"k":1})"));
  EXPECT_EQ(object_member(text, "s"), std::nullopt);
  EXPECT_EQ(object_member(text, "missing"), std::nullopt);
  EXPECT_EQ(string_member(text, "s"), std::optional<std::string>("a\xc3\xa9"));
  EXPECT_EQ(string_member(text, "o"), std::nullopt);
  EXPECT_TRUE(member_is_true(text, "t"));
  for (const char* key : {"f", "n", "q", "o", "missing"}) EXPECT_FALSE(member_is_true(text, key)) << key;
}
