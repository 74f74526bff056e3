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
      {R"([{"jsonrpc":"2.0","id":1,"method":"a"}, 3])", message_kind::batch, 1},  // 3 is refused on its own
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

// MCP ids are strings or integers. A number that is not a 64-bit integer (a fraction, an
// exponent, 2^64) cannot be carried as one: it is refused, and the refusal carries the id back as
// the client wrote it, so that the client can match it.
TEST(jsonrpc, an_id_that_is_not_a_64_bit_integer_is_refused_and_answered_with_its_own_text) {
  struct row {
    const char* id;
    bool accepted;
  } rows[] = {
      {"18446744073709551615", true},  {"-9223372036854775808", true}, {"0", true},
      {"18446744073709551616", false}, {"1.5", false},                 {"1e3", false},
      {"-9223372036854775809", false}, {"1.0", false},
  };
  for (const auto& r : rows) {
    const std::string text = std::string(R"({"jsonrpc":"2.0","id":)") + r.id + R"(,"method":"ping"})";
    auto m = classify(text);
    if (r.accepted) {
      EXPECT_EQ(m.kind, message_kind::request) << text;
      EXPECT_EQ(id_key(m.id), r.id) << text;
      continue;
    }
    EXPECT_EQ(m.kind, message_kind::invalid) << text;
    EXPECT_NE(m.problem.find("integer"), std::string::npos) << m.problem;
    EXPECT_EQ(m.id_text, r.id) << text;
    const auto reply = make_error_response(m, rpc_code::invalid_request, m.problem);
    EXPECT_NE(reply.find(std::string(R"("id":)") + r.id + ","), std::string::npos) << reply;
    boost::system::error_code ec;
    (void)boost::json::parse(reply, ec);
    EXPECT_FALSE(ec) << reply;
  }
}

// Found by fuzz_jsonrpc: a message refused for another reason (no "jsonrpc") whose id is a number
// beyond 64 bits was answered with that number re-serialized from a double, which does not come
// back as the same text (98446744073709551616 became 9.844674407370955E19).
TEST(jsonrpc, an_invalid_message_with_a_non_integer_id_is_answered_with_its_own_spelling) {
  const struct {
    const char* text;
    const char* id;
  } rows[] = {
      {R"({"id":98446744073709551616,"json$rpc":"2.0","result":{}})", "98446744073709551616"},
      {R"({"id":1.25,"method":"ping"})", "1.25"},
      {R"({"jsonrpc":"1.0","id":1e3,"method":"ping"})", "1e3"},
  };
  for (const auto& [text, id] : rows) {
    auto m = classify(text);
    ASSERT_EQ(m.kind, message_kind::invalid) << text;
    const auto reply = make_error_response(m, rpc_code::invalid_request, m.problem);
    EXPECT_NE(reply.find(std::string(R"("id":)") + id + ","), std::string::npos) << reply;
  }
}

// JSON-RPC 2.0: a batch's elements are answered one by one; an invalid element does not take its
// valid neighbours down with it.
TEST(jsonrpc, a_batch_with_invalid_elements_refuses_each_of_them_and_keeps_the_rest) {
  auto m = classify(R"([{"jsonrpc":"2.0","id":1,"method":"a"},3,{"jsonrpc":"2.0","id":2},)"
                    R"({"jsonrpc":"2.0","id":1.5,"method":"c"},{"jsonrpc":"2.0","id":"z","method":"d"}])");
  EXPECT_EQ(m.kind, message_kind::batch) << m.problem;
  ASSERT_EQ(m.request_ids.size(), 2u);
  EXPECT_EQ(m.request_ids[0], json::value(1));
  EXPECT_EQ(m.request_ids[1], json::value("z"));
  ASSERT_EQ(m.refused.size(), 3u);
  EXPECT_EQ(m.refused[0].index, 1u);
  EXPECT_TRUE(m.refused[0].id.is_null());
  EXPECT_EQ(m.refused[1].index, 2u);
  EXPECT_EQ(m.refused[1].id, json::value(2));
  EXPECT_EQ(m.refused[2].index, 3u);
  EXPECT_EQ(m.refused[2].id_text, "1.5");
  for (const auto& r : m.refused) EXPECT_FALSE(r.problem.empty());
  // A batch of nothing but invalid elements is still answered element by element.
  auto all_bad = classify(R"([1,{"jsonrpc":"2.0","id":4}])");
  EXPECT_EQ(all_bad.kind, message_kind::batch);
  EXPECT_EQ(all_bad.refused.size(), 2u);
  EXPECT_TRUE(all_bad.request_ids.empty());
}

// A line too long to keep is read piece by piece; its id is found wherever it stands at the top
// level, without keeping the line.
TEST(jsonrpc, the_id_of_a_line_read_in_pieces_is_found_after_megabytes) {
  const std::string pad(3 << 20, 'x');
  struct row {
    std::string text;
    json::value id;
  } rows[] = {
      {R"({"jsonrpc":"2.0","method":"tools/call","params":{"p":")" + pad + R"("},"id":"late"})", "late"},
      {R"({"id":42,"params":{"p":")" + pad + R"("}})", 42},
      {R"({"params":{"id":7,"p":")" + pad + R"("},"id":9})", 9},  // a nested "id" is not the request's
      {R"([{"id":1,"p":")" + pad + R"("}])", nullptr},              // a batch: no one id
      {R"({"p":")" + pad + R"("})", nullptr},
      {R"({"id":")" + pad + R"("})", nullptr},  // an id too long to keep
  };
  for (const auto& r : rows) {
    id_scanner scanner;
    for (std::size_t at = 0; at < r.text.size(); at += 65536) scanner.feed(std::string_view(r.text).substr(at, 65536));
    EXPECT_EQ(scanner.id(), r.id) << r.text.substr(0, 60);
    EXPECT_LT(scanner.bytes_held(), 64u * 1024) << r.text.substr(0, 60);
  }
}

// Found by fuzz_line_framer: the scanner read on after a first value ended (a number before the
// object), so the same line had an id when read in pieces and none when read whole. What follows
// the first value is never part of the message, however the line is cut.
TEST(jsonrpc, the_id_scanner_stops_where_the_first_value_ends_however_the_line_is_cut) {
  const struct {
    const char* text;
    json::value id;
  } rows[] = {
      {R"(3&{"jsonrpc":"2.0","id":2})", nullptr},
      {R"(3 {"jsonrpc":"2.0","id":2})", nullptr},
      {R"("a"{"id":2})", nullptr},
      {R"({"id":1}{"id":2})", 1},
      {R"({"id":1} x)", 1},
  };
  for (const auto& r : rows) {
    const std::string_view text = r.text;
    for (std::size_t cut = 0; cut <= text.size(); ++cut) {
      id_scanner scanner;
      scanner.feed(text.substr(0, cut));
      scanner.feed(text.substr(cut));
      EXPECT_EQ(scanner.id(), r.id) << text << " cut at " << cut;
    }
  }
}
