// The eras remembered between runs, as tables: what a file says, what is recalled when, and when
// the file is worth writing.

#include "awork_mcp/era/era_memory.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace awork_mcp;

namespace {
constexpr std::int64_t day = 24 * 3600;
constexpr std::int64_t t0 = 1'800'000'000;
const std::string awork = "https://api.awork.com/api/v1/mcp";
}  // namespace

TEST(era_memory, files_it_can_and_cannot_use) {
  struct row {
    const char* name;
    std::string text;
    remembered_era expected;
  };
  const std::vector<row> rows = {
      {"legacy", R"({"https://api.awork.com/api/v1/mcp":{"era":"legacy","seen":1800000000}})", remembered_era::legacy},
      {"modern", R"({"https://api.awork.com/api/v1/mcp":{"era":"modern","seen":1800000000}})", remembered_era::modern},
      {"http+sse", R"({"https://api.awork.com/api/v1/mcp":{"era":"http+sse","seen":1800000000}})", remembered_era::http_sse},
      {"another server", R"({"https://x.example/mcp":{"era":"legacy","seen":1800000000}})", remembered_era::unknown},
      {"an era it does not know", R"({"https://api.awork.com/api/v1/mcp":{"era":"future","seen":1800000000}})", remembered_era::unknown},
      {"seen not a number", R"({"https://api.awork.com/api/v1/mcp":{"era":"legacy","seen":"yesterday"}})", remembered_era::unknown},
      {"no era", R"({"https://api.awork.com/api/v1/mcp":{"seen":1800000000}})", remembered_era::unknown},
      {"not an object", R"({"https://api.awork.com/api/v1/mcp":"legacy"})", remembered_era::unknown},
      {"an array", R"([1,2])", remembered_era::unknown},
      {"cut short", R"({"https://api.awork.com/api/v1/mcp":{"era":"leg)", remembered_era::unknown},
      {"empty", "", remembered_era::unknown},
      {"binary", std::string("\0\xff\xfe", 3), remembered_era::unknown},
  };
  for (const auto& r : rows) EXPECT_EQ(era_memory::parse(r.text).recall(awork, t0 + 60), r.expected) << r.name;
}

TEST(era_memory, an_old_note_is_a_guess_no_longer) {
  era_memory memory;
  ASSERT_TRUE(memory.remember(awork, remembered_era::legacy, t0));
  struct row {
    std::int64_t now;
    remembered_era expected;
  };
  const std::vector<row> rows = {
      {t0, remembered_era::legacy},
      {t0 + day, remembered_era::legacy},
      {t0 + era_memory::max_age_seconds, remembered_era::legacy},
      {t0 + era_memory::max_age_seconds + 1, remembered_era::unknown},
      {t0 - 1, remembered_era::unknown},  // the clock went back: trust nothing
  };
  for (const auto& r : rows) EXPECT_EQ(memory.recall(awork, r.now), r.expected) << r.now - t0;
}

TEST(era_memory, the_file_is_written_when_something_changed_or_a_day_passed) {
  era_memory memory;
  struct row {
    remembered_era era;
    std::int64_t now;
    bool write;
  };
  const std::vector<row> rows = {
      {remembered_era::legacy, t0, true},               // new
      {remembered_era::legacy, t0 + 60, false},         // the same, fresh
      {remembered_era::legacy, t0 + day - 1, false},
      {remembered_era::legacy, t0 + day, true},         // the same, a day on: seen again
      {remembered_era::modern, t0 + day + 1, true},     // the server moved on
      {remembered_era::unknown, t0 + day + 2, false},   // nothing learned
      {remembered_era::modern, t0, true},               // the clock went back
  };
  for (const auto& r : rows) EXPECT_EQ(memory.remember(awork, r.era, r.now), r.write) << era_name(r.era) << " " << r.now - t0;
}

TEST(era_memory, round_trips_through_its_file_and_forgets_the_oldest_beyond_its_limit) {
  era_memory memory;
  for (std::size_t i = 0; i < era_memory::max_servers + 3; ++i)
    memory.remember("https://s" + std::to_string(i) + ".example/mcp", remembered_era::modern, t0 + static_cast<std::int64_t>(i));
  const auto again = era_memory::parse(memory.serialize());
  const auto now = t0 + 100;
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_EQ(again.recall("https://s" + std::to_string(i) + ".example/mcp", now), remembered_era::unknown) << i;
  for (std::size_t i = 3; i < era_memory::max_servers + 3; ++i)
    EXPECT_EQ(again.recall("https://s" + std::to_string(i) + ".example/mcp", now), remembered_era::modern) << i;
}
