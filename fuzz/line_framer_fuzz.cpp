// libFuzzer target: the stdin line framer, fed in random chunk splits.
// Input: the stdin bytes; the last byte picks the line limit and the 4 before it the chunk
// splits (FuzzedDataProvider takes them from the end, so plain text seeds stay readable).
#include "awork_mcp/core/line_framer.hpp"
#include "fuzz_support.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

using awork_mcp::framed_line;
using awork_mcp::line_framer;

namespace {

// How much the framer may hold beyond the line limit: a held-back BOM and a '\r', and the first
// bytes of an over-long line kept to read its id from.
constexpr std::size_t slack = 64 + line_framer::kept_prefix_bytes;

// The memory bound, where the framer can tell how much it holds (bytes_held(), if it has it).
template <class Framer>
void check_held(const Framer& framer, std::size_t limit) {
  if constexpr (requires { framer.bytes_held(); }) {
    FUZZ_CHECK(framer.bytes_held() <= limit + slack);
  } else {
    (void)framer;
    (void)limit;
  }
}

void append(std::vector<framed_line>& to, std::vector<framed_line> from) {
  for (auto& line : from) to.push_back(std::move(line));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider provider(data, size);
  const auto pick = provider.ConsumeIntegral<std::uint8_t>();
  const std::size_t limit = pick < 224 ? 1 + pick % 64 : std::size_t{16} << 20;  // tiny limits, or the default
  const auto seed = provider.ConsumeIntegral<std::uint32_t>();
  const std::string input = provider.ConsumeRemainingBytesAsString();

  // All at once ...
  line_framer whole(limit);
  std::vector<framed_line> expected = whole.feed(input);
  append(expected, whole.finish());

  // ... and in pieces: the same lines, and never more held than the limit.
  line_framer pieces(limit);
  std::vector<framed_line> got;
  for (auto chunk : fuzz::random_chunks(input, seed)) {
    append(got, pieces.feed(chunk));
    check_held(pieces, limit);
  }
  append(got, pieces.finish());
  check_held(pieces, limit);
  FUZZ_CHECK(got == expected);

  for (const auto& line : got) {
    if (line.what == framed_line::kind::line) {
      FUZZ_CHECK(!line.text.empty());
      FUZZ_CHECK(line.text.size() <= limit);
      FUZZ_CHECK(line.bytes == line.text.size());
      FUZZ_CHECK(line.text.find('\n') == std::string::npos);
    } else {
      // An over-long line is reported with its first bytes only (to read its id from).
      FUZZ_CHECK(line.text.size() <= line_framer::kept_prefix_bytes);
      FUZZ_CHECK(line.text.size() <= line.bytes);
      FUZZ_CHECK(line.bytes > limit);
    }
  }
  return 0;
}
