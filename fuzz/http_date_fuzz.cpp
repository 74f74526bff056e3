// libFuzzer target: HTTP dates (a server's Retry-After), and the wait retry_delay makes of them.
// The first byte picks the mode (even: text, odd: fields) and, in bits 1-2, the clock's now.
//   text    the rest is the header value: whatever parses is a real date (or the clock's end),
//           reads the same with whitespace around it, and reads back the same written as an
//           IMF-fixdate; the wait is never negative nor longer than longest_retry_wait.
//   fields  the rest picks a date and a form (FuzzedDataProvider): written in that form, it must
//           read as exactly that time (a date past the clock's ends as that end), or be refused if
//           the day does not exist; the wait is the whole seconds up to it, within the bounds.
#include "awork_mcp/core/http_date.hpp"
#include "awork_mcp/core/reply_policy.hpp"
#include "fuzz_support.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace {

using namespace std::chrono;
using awork_mcp::parse_http_date;

struct clock_now {
  long long seconds;  // since the epoch, UTC
  milliseconds fraction;
  int year;
};
constexpr std::array<clock_now, 4> nows = {{
    {1777636800, milliseconds(500), 2026},  // 2026-05-01 12:00:00.5
    {784111777, milliseconds(0), 1994},     // 1994-11-06 08:49:37, RFC 9110's example
    {3313526400, milliseconds(0), 2075},    // 2075-01-01 00:00:00
    {7258118399, milliseconds(999), 2199},  // 2199-12-31 23:59:59.999
}};

constexpr std::array<const char*, 7> short_days = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<const char*, 7> long_days = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
constexpr std::array<const char*, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

using clock = system_clock;
// The seconds the clock can hold (nanoseconds in 64 bits on Linux: 1677-09-21 to 2262-04-11).
constexpr long long latest = floor<seconds>(clock::duration::max()).count();
constexpr long long earliest = ceil<seconds>(clock::duration::min()).count();

std::string imf_fixdate(system_clock::time_point t) {
  const auto midnight = floor<days>(t);
  const year_month_day ymd(midnight);
  const hh_mm_ss time(floor<seconds>(t - midnight));
  char out[64];
  std::snprintf(out, sizeof out, "%s, %02u %s %04d %02d:%02d:%02d GMT", short_days[weekday(midnight).c_encoding()],
                static_cast<unsigned>(ymd.day()), months[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return out;
}

// The wait for a date, worked out in whole seconds: ceil(date - now), now being a whole second
// plus a fraction below one; none for a date past, and at most longest_retry_wait.
long long expected_wait(long long date_seconds, const clock_now& now) {
  return std::clamp(date_seconds - now.seconds, 0LL, static_cast<long long>(awork_mcp::longest_retry_wait.count()));
}

void check_wait(std::string_view text, long long date_seconds, const clock_now& now, clock::time_point at) {
  const auto wait = awork_mcp::retry_delay("", text, at);
  FUZZ_CHECK(wait.has_value() && wait->count() == expected_wait(date_seconds, now));
}

void text_mode(std::string_view text, const clock_now& now) {
  const auto at = clock::time_point(seconds(now.seconds)) + now.fraction;
  const auto date = parse_http_date(text, at);
  FUZZ_CHECK(parse_http_date(" \t" + std::string(text) + "\t ", at) == date);
  if (auto wait = awork_mcp::retry_delay("", text, at))
    FUZZ_CHECK(wait->count() >= 0 && *wait <= awork_mcp::longest_retry_wait);
  if (!date) return;
  // A date past the clock's ends is that end (years 0 to 9999 can be written).
  if (*date == clock::time_point::max() || *date == clock::time_point::min()) {
    check_wait(text, *date == clock::time_point::max() ? latest + 1 : earliest - 1, now, at);
    return;
  }
  // Else a real date at a whole second.
  const long long s = duration_cast<seconds>(date->time_since_epoch()).count();
  FUZZ_CHECK(seconds(s) == date->time_since_epoch());
  FUZZ_CHECK(s >= earliest && s <= latest);
  // Written as an IMF-fixdate (what senders must use), it reads back as the same time.
  const std::string fixdate = imf_fixdate(*date);
  FUZZ_CHECK(parse_http_date(fixdate, at) == date);
  check_wait(text, s, now, at);
}

void fields_mode(FuzzedDataProvider& provider, const clock_now& now) {
  const auto at = clock::time_point(seconds(now.seconds)) + now.fraction;
  const int form = provider.ConsumeIntegralInRange<int>(0, 2);
  const int y = provider.ConsumeIntegralInRange<int>(0, 9999);
  const unsigned m = provider.ConsumeIntegralInRange<unsigned>(1, 12);
  const unsigned d = provider.ConsumeIntegralInRange<unsigned>(1, 31);
  const int hour = provider.ConsumeIntegralInRange<int>(0, 23);
  const int minute = provider.ConsumeIntegralInRange<int>(0, 59);
  const int second = provider.ConsumeIntegralInRange<int>(0, 60);  // 60: a leap second
  const bool right_day_name = provider.ConsumeBool();
  const unsigned other_day = provider.ConsumeIntegralInRange<unsigned>(0, 6);
  const bool padded = provider.ConsumeBool();

  // The year the text means: an RFC 850 two-digit year is this century's, or the century
  // before's when that would be more than 50 years ahead (as http_date.hpp says).
  int year = y;
  if (form == 1) {
    year = now.year - now.year % 100 + y % 100;
    if (year > now.year + 50) year -= 100;
  }
  const year_month_day ymd{std::chrono::year(year), month(m), day(d)};
  const unsigned weekday_index = ymd.ok() ? weekday(sys_days(ymd)).c_encoding() : other_day;
  const unsigned name = right_day_name ? weekday_index : other_day;

  char text[96];
  switch (form) {
    case 0:  // Sun, 06 Nov 1994 08:49:37 GMT
      std::snprintf(text, sizeof text, "%s, %02u %s %04d %02d:%02d:%02d GMT", short_days[name], d, months[m - 1], y, hour,
                    minute, second);
      break;
    case 1:  // Sunday, 06-Nov-94 08:49:37 GMT
      std::snprintf(text, sizeof text, "%s, %02u-%s-%02d %02d:%02d:%02d GMT", long_days[name], d, months[m - 1], y % 100,
                    hour, minute, second);
      break;
    default:  // Sun Nov  6 08:49:37 1994
      std::snprintf(text, sizeof text, "%s %s %2u %02d:%02d:%02d %04d", short_days[name], months[m - 1], d, hour, minute,
                    second, y);
      break;
  }
  const std::string value = padded ? " \t" + std::string(text) + " " : std::string(text);

  if (!ymd.ok()) {
    FUZZ_CHECK(!parse_http_date(value, at));  // 31 Apr, 29 Feb of a common year
    return;
  }
  const long long expected = static_cast<long long>(sys_days(ymd).time_since_epoch().count()) * 86400 + hour * 3600LL +
                             minute * 60LL + second;
  const auto date = parse_http_date(value, at);
  if (expected > latest)
    FUZZ_CHECK(date == clock::time_point::max());
  else if (expected < earliest)
    FUZZ_CHECK(date == clock::time_point::min());
  else
    FUZZ_CHECK(date == clock::time_point(seconds(expected)));
  // Waiting for it: the whole seconds up to it, none once it is past, never more than a day.
  check_wait(value, expected, now, at);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const clock_now& now = nows[(data[0] >> 1) % nows.size()];
  if (data[0] % 2 == 0) {
    text_mode(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), now);
  } else {
    FuzzedDataProvider provider(data + 1, size - 1);
    fields_mode(provider, now);
  }
  return 0;
}
