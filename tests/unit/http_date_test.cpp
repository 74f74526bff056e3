// HTTP dates as a table: every form RFC 9110 names, the two-digit years of RFC 850, and what is
// not a date.

#include "awork_mcp/core/http_date.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace awork_mcp;

namespace {

std::chrono::system_clock::time_point at(long long epoch_seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(epoch_seconds));
}

constexpr long long sun_06_nov_1994 = 784111777;  // 1994-11-06 08:49:37 UTC
constexpr long long may_2026 = 1779926400;        // 2026-05-28 00:00:00 UTC

}  // namespace

TEST(http_date, reads_the_three_forms) {
  struct row {
    const char* text;
    long long now;
    long long expected;
  };
  const std::vector<row> rows = {
      {"Sun, 06 Nov 1994 08:49:37 GMT", may_2026, sun_06_nov_1994},       // IMF-fixdate
      {"Sunday, 06-Nov-94 08:49:37 GMT", 820454400, sun_06_nov_1994},     // RFC 850, read in 1996
      {"Sun Nov  6 08:49:37 1994", may_2026, sun_06_nov_1994},            // asctime, one-digit day
      {"Thu Feb 29 12:00:00 2024", may_2026, 1709208000},                 // asctime, two-digit day, leap day
      {"  Sun, 06 Nov 1994 08:49:37 GMT\t", may_2026, sun_06_nov_1994},   // surrounding blanks
      {"Sat, 31 Dec 2016 23:59:60 GMT", may_2026, 1483228799 + 1},        // a leap second
      {"Sun, 01 Mar 2026 00:00:00 GMT", may_2026, 1772323200},
      // RFC 850's two-digit years: more than 50 years ahead is the past century.
      {"Wednesday, 01-Jan-76 00:00:00 GMT", may_2026, 3345062400},  // 2076: 50 years ahead, not more
      {"Saturday, 01-Jan-77 00:00:00 GMT", may_2026, 220924800},    // 2077 would be 51: 1977
      {"Sunday, 05-May-30 05:05:05 GMT", may_2026, 1904187905},     // 2030
  };
  for (const auto& r : rows) {
    auto parsed = parse_http_date(r.text, at(r.now));
    ASSERT_TRUE(parsed) << r.text;
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(parsed->time_since_epoch()).count(), r.expected)
        << r.text;
  }
}

TEST(http_date, refuses_what_is_not_an_http_date) {
  for (const char* bad : {
           "",
           "12",
           "soon",
           "Sun, 06 Nov 1994 08:49:37 UTC",   // only GMT
           "Sun, 06 Nov 1994 08:49:37",       // no zone
           "Sun, 6 Nov 1994 08:49:37 GMT",    // IMF-fixdate has two-digit days
           "Sun, 06 Nov 94 08:49:37 GMT",     // and four-digit years
           "Sunday, 06 Nov 1994 08:49:37 GMT",  // a long day name is RFC 850's
           "Sun, 06-Nov-94 08:49:37 GMT",     // and RFC 850 needs it
           "Sunday, 06-Nov-1994 08:49:37 GMT",
           "Sun Nov 6 08:49:37 1994",         // asctime pads the day with a space
           "Sun Nov  6 08:49:37 1994 GMT",
           "Sun, 32 Nov 1994 08:49:37 GMT",   // no such day
           "Sun, 31 Nov 1994 08:49:37 GMT",   // November has 30
           "Thu, 29 Feb 2023 12:00:00 GMT",   // not a leap year
           "Tue, 29 Feb 2100 12:00:00 GMT",   // nor is 2100
           "Sun, 00 Nov 1994 08:49:37 GMT",
           "Sun, 06 Foo 1994 08:49:37 GMT",
           "Sun, 06 nov 1994 08:49:37 GMT",   // names are case-sensitive
           "Sun, 06 Nov 1994 24:00:00 GMT",
           "Sun, 06 Nov 1994 08:60:00 GMT",
           "Sun, 06 Nov 1994 08:49:61 GMT",
           "Sun, 06 Nov 1994 8:49:37 GMT",
           "Sun, 06 Nov 1994 08:49:37 GMTX",
           "Xyz, 06 Nov 1994 08:49:37 GMT",
           "Sun, 06 Nov 1994 08:49:3",
       })
    EXPECT_FALSE(parse_http_date(bad, at(may_2026))) << bad;
}

// Four-digit years can reach past what the clock holds (libstdc++ counts nanoseconds: 1677 to
// 2262; libc++ microseconds): such a date is the clock's own end, never an overflow.
namespace {
std::chrono::system_clock::time_point second_or_clock_end(long long since_epoch) {
  using clock = std::chrono::system_clock;
  if (since_epoch > std::chrono::floor<std::chrono::seconds>(clock::duration::max()).count()) return clock::time_point::max();
  if (since_epoch < std::chrono::ceil<std::chrono::seconds>(clock::duration::min()).count()) return clock::time_point::min();
  return clock::time_point(std::chrono::seconds(since_epoch));
}
}  // namespace

TEST(http_date, years_beyond_the_clock_are_its_ends) {
  constexpr long long end_of_9999 = 253402300799, start_of_year_1 = -62135596800;
  EXPECT_EQ(parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT", at(may_2026)), second_or_clock_end(end_of_9999));
  EXPECT_EQ(parse_http_date("Fri Dec 31 23:59:59 9999", at(may_2026)), second_or_clock_end(end_of_9999));
  EXPECT_EQ(parse_http_date("Mon, 01 Jan 0001 00:00:00 GMT", at(may_2026)), second_or_clock_end(start_of_year_1));
}

TEST(http_date, leap_years_of_the_gregorian_calendar) {
  EXPECT_TRUE(parse_http_date("Tue, 29 Feb 2000 00:00:00 GMT", at(may_2026)));  // divisible by 400
  EXPECT_TRUE(parse_http_date("Thu, 29 Feb 2024 00:00:00 GMT", at(may_2026)));
}
