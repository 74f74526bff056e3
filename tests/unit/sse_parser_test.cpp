#include "awork_mcp/core/sse_parser.hpp"

#include <gtest/gtest.h>

using awork_mcp::sse_event;
using awork_mcp::sse_parser;

namespace {

struct sse_case {
  const char* name;
  std::string stream;
  std::vector<sse_event> expected;
  std::string last_id;
  std::optional<long> retry_ms;
};

std::vector<sse_event> feed_all(sse_parser& parser, std::string_view stream, std::size_t piece) {
  std::vector<sse_event> out;
  for (std::size_t i = 0; i < stream.size(); i += piece)
    for (auto& e : parser.feed(stream.substr(i, piece))) out.push_back(std::move(e));
  return out;
}

}  // namespace

TEST(sse_parser, table_in_every_chunking) {
  const std::vector<sse_case> cases = {
      {"simple", "data: {}\n\n", {{"", "{}", ""}}, "", {}},
      {"no space after colon", "data:{}\n\n", {{"", "{}", ""}}, "", {}},
      {"only one leading space stripped", "data:  x\n\n", {{"", " x", ""}}, "", {}},
      {"multi-line data joined with LF", "data: a\ndata: b\n\n", {{"", "a\nb", ""}}, "", {}},
      {"CRLF line endings", "id: 1\r\ndata: x\r\n\r\n", {{"", "x", "1"}}, "1", {}},
      {"CR line endings", "data: x\r\r", {{"", "x", ""}}, "", {}},
      {"comments ignored", ": keep-alive\n\ndata: x\n\n", {{"", "x", ""}}, "", {}},
      {"priming event has no data and is not dispatched", "id: p1\ndata:\n\n", {}, "p1", {}},
      {"priming event with retry", "id: p1\nretry: 500\ndata: \n\n", {}, "p1", 500},
      {"event type kept", "event: ping\ndata: x\n\n", {{"ping", "x", ""}}, "", {}},
      {"id persists across events", "id: 7\ndata: a\n\ndata: b\n\n", {{"", "a", "7"}, {"", "b", "7"}}, "7", {}},
      {"invalid retry ignored", "retry: 5x\ndata: x\n\n", {{"", "x", ""}}, "", {}},
      {"negative retry ignored", "retry: -5\ndata: x\n\n", {{"", "x", ""}}, "", {}},
      {"a day of retry is kept as asked", "retry: 86400000\ndata: \n\n", {}, "", 86400000},
      {"retry beyond a day saturates", "retry: 9300000000000\ndata: \n\n", {}, "", 86400000},
      {"retry beyond any integer saturates", "retry: 99999999999999999999999\ndata: \n\n", {}, "", 86400000},
      {"unknown field ignored", "foo: bar\ndata: x\n\n", {{"", "x", ""}}, "", {}},
      {"field without colon", "data\n\n", {}, "", {}},
      {"incomplete event not dispatched", "data: x\n", {}, "", {}},
      {"BOM at start", "\xEF\xBB\xBF" "data: x\n\n", {{"", "x", ""}}, "", {}},
  };
  for (const auto& c : cases) {
    for (std::size_t piece : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}, c.stream.size()}) {
      sse_parser parser;
      EXPECT_EQ(feed_all(parser, c.stream, std::max<std::size_t>(piece, 1)), c.expected) << c.name << " piece=" << piece;
      EXPECT_EQ(parser.last_event_id(), c.last_id) << c.name;
      if (c.retry_ms)
        EXPECT_EQ(parser.retry(), std::chrono::milliseconds(*c.retry_ms)) << c.name;
      else
        EXPECT_FALSE(parser.retry()) << c.name;
    }
  }
}

TEST(sse_parser, event_is_returned_the_moment_it_completes) {
  sse_parser parser;
  EXPECT_TRUE(parser.feed("data: {\"progress\":1}\n").empty());
  auto events = parser.feed("\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "{\"progress\":1}");
}

TEST(sse_parser, message_events_are_those_without_type_or_of_type_message) {
  EXPECT_TRUE((sse_event{"", "x", ""}.is_message()));
  EXPECT_TRUE((sse_event{"message", "x", ""}.is_message()));
  EXPECT_FALSE((sse_event{"endpoint", "x", ""}.is_message()));
}

TEST(sse_parser, oversized_event_stops_the_parser_instead_of_growing) {
  sse_parser parser(16);
  EXPECT_TRUE(parser.feed("data: 0123456789abcdefghij\n").empty());
  EXPECT_TRUE(parser.too_large());
  EXPECT_TRUE(parser.feed("\ndata: small\n\n").empty());  // nothing more once stopped
  sse_parser unterminated(16);
  EXPECT_TRUE(unterminated.feed(std::string(64, 'x')).empty());
  EXPECT_TRUE(unterminated.too_large());
  EXPECT_LE(unterminated.pending_bytes(), 16u);
  sse_parser joined(4);  // the '\n' that joins two data lines counts against the limit
  EXPECT_TRUE(joined.feed("data: abcd\ndata:\n\n").empty());
  EXPECT_TRUE(joined.too_large());
  sse_parser fits(16);
  EXPECT_EQ(fits.feed("data: 0123456789\n\n").size(), 1u);
  EXPECT_FALSE(fits.too_large());
}

TEST(sse_parser, saw_event_id_distinguishes_empty_id_from_none) {
  sse_parser parser;
  parser.feed("data: x\n\n");
  EXPECT_FALSE(parser.saw_event_id());
  parser.feed("id:\ndata: y\n\n");
  EXPECT_TRUE(parser.saw_event_id());
  EXPECT_EQ(parser.last_event_id(), "");
}
