#include "awork_mcp/core/line_framer.hpp"

#include <gtest/gtest.h>

using awork_mcp::framed_line;
using awork_mcp::line_framer;

namespace {

framed_line line(std::string text) { return {framed_line::kind::line, text, text.size()}; }
framed_line too_long(std::size_t bytes, std::string prefix) { return {framed_line::kind::too_long, prefix, bytes}; }

struct framing_case {
  const char* name;
  std::vector<std::string> chunks;
  std::vector<framed_line> expected;  // including what finish() returns
};

std::vector<framed_line> run(line_framer& framer, const std::vector<std::string>& chunks) {
  std::vector<framed_line> out;
  for (const auto& c : chunks)
    for (auto& l : framer.feed(c)) out.push_back(std::move(l));
  for (auto& l : framer.finish()) out.push_back(std::move(l));
  return out;
}

}  // namespace

TEST(line_framer, table) {
  const std::vector<framing_case> cases = {
      {"one line", {"{\"a\":1}\n"}, {line("{\"a\":1}")}},
      {"two lines in one chunk", {"a\nb\n"}, {line("a"), line("b")}},
      {"line split over chunks", {"ab", "c", "d\n"}, {line("abcd")}},
      {"CRLF stripped", {"a\r\nb\r\n"}, {line("a"), line("b")}},
      {"CR split from LF", {"a\r", "\nb\n"}, {line("a"), line("b")}},
      {"blank lines skipped", {"\n\r\n  \na\n\n"}, {line("a")}},
      {"last line without newline", {"a\nb"}, {line("a"), line("b")}},
      {"BOM skipped", {"\xEF\xBB\xBF{}\n"}, {line("{}")}},
      {"BOM split over chunks", {"\xEF", "\xBB", "\xBF{}\n"}, {line("{}")}},
      {"BOM only at start", {"a\n\xEF\xBB\xBF" "b\n"}, {line("a"), line("\xEF\xBB\xBF" "b")}},
      {"empty input", {}, {}},
  };
  for (const auto& c : cases) {
    line_framer framer(1024);
    EXPECT_EQ(run(framer, c.chunks), c.expected) << c.name;
  }
}

TEST(line_framer, over_long_line_is_reported_and_dropped_and_the_next_line_survives) {
  line_framer framer(8);
  auto out = run(framer, {"0123456789", "abcdef\nok\n"});
  EXPECT_EQ(out, (std::vector<framed_line>{too_long(16, "0123456789abcdef"), line("ok")}));
}

TEST(line_framer, line_exactly_at_the_limit_passes) {
  line_framer framer(4);
  EXPECT_EQ(run(framer, {"abcd\nabcde\n"}), (std::vector<framed_line>{line("abcd"), too_long(5, "abcde")}));
}

TEST(line_framer, memory_stays_bounded_while_discarding) {
  line_framer framer(16);
  std::string big(1 << 20, 'x');
  for (int i = 0; i < 8; ++i) {
    EXPECT_TRUE(framer.feed(big).empty());
    // The kept prefix, and the id scanner's parser state (under 1 KiB).
    EXPECT_LE(framer.bytes_held(), line_framer::kept_prefix_bytes + 1024) << "after " << i + 1 << " MiB";
  }
  auto out = framer.feed("\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], too_long(8u << 20, std::string(line_framer::kept_prefix_bytes, 'x')));
  EXPECT_LE(framer.bytes_held(), 1024u);  // the prefix went out with the report
}

TEST(line_framer, over_long_line_keeps_only_its_first_bytes_for_the_id) {
  line_framer framer(1024);
  std::string line = R"({"jsonrpc":"2.0","id":77,"method":"tools/call","params":{"pad":")" + std::string(20000, 'x') + "\"}}";
  auto out = run(framer, {line.substr(0, 100), line.substr(100, 3000), line.substr(3100) + "\n"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].what, framed_line::kind::too_long);
  EXPECT_EQ(out[0].bytes, line.size());
  EXPECT_EQ(out[0].text, line.substr(0, line_framer::kept_prefix_bytes));
}

TEST(line_framer, over_long_line_names_its_id_even_after_the_kept_prefix) {
  line_framer framer(1024);
  std::string line = R"({"jsonrpc":"2.0","method":"tools/call","params":{"pad":")" + std::string(20000, 'x') + R"("},"id":78})";
  auto out = run(framer, {line.substr(0, 100), line.substr(100, 3000), line.substr(3100) + "\n"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].what, framed_line::kind::too_long);
  EXPECT_EQ(out[0].id, boost::json::value(78));
  // And when the line ends without a newline.
  line_framer at_end(1024);
  (void)at_end.feed(line);
  auto last = at_end.finish();
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].id, boost::json::value(78));
}

TEST(line_framer, bytes_held_back_as_a_possible_bom_still_count_against_the_limit) {
  line_framer framer(1);
  EXPECT_TRUE(framer.feed("\xEF\xBB").empty());
  auto out = framer.finish();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].what, framed_line::kind::too_long);
  EXPECT_EQ(out[0].bytes, 2u);
}
