// libFuzzer target: the text/event-stream parser, fed in random chunk splits.
// Input: the body bytes; the last byte picks the event size limit and the 4 before it the
// chunk splits (FuzzedDataProvider takes them from the end).
#include "awork_mcp/core/sse_parser.hpp"
#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

using awork_mcp::sse_event;
using awork_mcp::sse_parser;

namespace {

struct outcome {
  std::vector<sse_event> events;
  bool too_large = false;
};

// What an event in progress may hold: the limit, plus the part of a line not yet known to be
// data (a partial line is held before its field name is known).
std::size_t limit_of = 0;
std::size_t parser_limit(const sse_parser&) { return limit_of + 1; }

outcome run(sse_parser& parser, const std::vector<std::string_view>& chunks) {
  outcome out;
  for (auto chunk : chunks) {
    for (auto& event : parser.feed(chunk)) out.events.push_back(std::move(event));
    FUZZ_CHECK(parser.pending_bytes() <= parser_limit(parser));
  }
  out.too_large = parser.too_large();  // the stream is given up; feed returns nothing more
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider provider(data, size);
  const auto pick = provider.ConsumeIntegral<std::uint8_t>();
  const std::size_t limit = pick < 224 ? 1 + pick % 128 : std::size_t{64} << 20;  // tiny limits, or the default
  const auto seed = provider.ConsumeIntegral<std::uint32_t>();
  const std::string input = provider.ConsumeRemainingBytesAsString();

  limit_of = limit;
  sse_parser whole(limit);
  const outcome expected = run(whole, {input});
  sse_parser pieces(limit);
  const outcome got = run(pieces, fuzz::random_chunks(input, seed));

  for (const auto* o : {&expected, &got}) {
    for (const auto& event : o->events) {
      FUZZ_CHECK(!event.data.empty());  // events without data are not returned
      FUZZ_CHECK(event.data.size() <= limit);
    }
  }
  // Where the limit is hit may depend on the splits (a partial line is held and counted, a
  // whole one is not); with no limit hit, the splits must not matter at all.
  if (!expected.too_large && !got.too_large) {
    FUZZ_CHECK(got.events == expected.events);
    FUZZ_CHECK(pieces.last_event_id() == whole.last_event_id());
    FUZZ_CHECK(pieces.saw_event_id() == whole.saw_event_id());
    FUZZ_CHECK(pieces.retry() == whole.retry());
  }
  return 0;
}
