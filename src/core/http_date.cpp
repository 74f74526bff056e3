#include "awork_mcp/core/http_date.hpp"

#include "awork_mcp/core/text.hpp"

#include <array>
#include <cstddef>

namespace awork_mcp {

namespace {

using std::chrono::seconds;

constexpr std::array<std::string_view, 7> day_names = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> long_day_names = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                            "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> month_names = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm): portable, unlike timegm.
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

// The civil year of a day count since 1970-01-01 (the inverse of the above, year only).
long long year_from_days(long long z) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  return static_cast<long long>(yoe) + era * 400 + (mp >= 10 ? 1 : 0);
}

bool leap(long long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(long long y, unsigned m) {
  constexpr std::array<unsigned, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

// Reads the grammar left to right; every step either consumes what it expects or fails.
class cursor {
 public:
  explicit cursor(std::string_view text) : rest_(text) {}

  bool literal(std::string_view s) {
    if (!rest_.starts_with(s)) return false;
    rest_.remove_prefix(s.size());
    return true;
  }
  template <std::size_t N>
  std::optional<unsigned> one_of(const std::array<std::string_view, N>& names) {
    for (std::size_t i = 0; i < N; ++i)
      if (literal(names[i])) return static_cast<unsigned>(i);
    return std::nullopt;
  }
  std::optional<unsigned> digits(std::size_t n) {
    if (rest_.size() < n) return std::nullopt;
    unsigned value = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const char c = rest_[i];
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    rest_.remove_prefix(n);
    return value;
  }
  bool at_end() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

struct civil_time {
  long long year = 0;
  unsigned month = 0;  // 1..12
  unsigned day = 0;
  unsigned hour = 0, minute = 0, second = 0;
};

// time-of-day = hour ":" minute ":" second (second 60: a leap second)
bool read_time(cursor& c, civil_time& t) {
  auto hour = c.digits(2);
  if (!hour || !c.literal(":")) return false;
  auto minute = c.digits(2);
  if (!minute || !c.literal(":")) return false;
  auto second = c.digits(2);
  if (!second || *hour > 23 || *minute > 59 || *second > 60) return false;
  t.hour = *hour;
  t.minute = *minute;
  t.second = *second;
  return true;
}

std::optional<unsigned> read_month(cursor& c) {
  auto month = c.one_of(month_names);
  if (!month) return std::nullopt;
  return *month + 1;
}

// "Sun, 06 Nov 1994 08:49:37 GMT"
std::optional<civil_time> imf_fixdate(std::string_view text) {
  cursor c(text);
  civil_time t;
  if (!c.one_of(day_names) || !c.literal(", ")) return std::nullopt;
  auto day = c.digits(2);
  if (!day || !c.literal(" ")) return std::nullopt;
  auto month = read_month(c);
  if (!month || !c.literal(" ")) return std::nullopt;
  auto year = c.digits(4);
  if (!year || !c.literal(" ") || !read_time(c, t) || !c.literal(" GMT") || !c.at_end()) return std::nullopt;
  t.year = *year;
  t.month = *month;
  t.day = *day;
  return t;
}

// "Sunday, 06-Nov-94 08:49:37 GMT"
std::optional<civil_time> rfc850_date(std::string_view text, long long current_year) {
  cursor c(text);
  civil_time t;
  if (!c.one_of(long_day_names) || !c.literal(", ")) return std::nullopt;
  auto day = c.digits(2);
  if (!day || !c.literal("-")) return std::nullopt;
  auto month = read_month(c);
  if (!month || !c.literal("-")) return std::nullopt;
  auto two_digits = c.digits(2);
  if (!two_digits || !c.literal(" ") || !read_time(c, t) || !c.literal(" GMT") || !c.at_end()) return std::nullopt;
  // RFC 9110: more than 50 years ahead means the most recent past year with these digits.
  long long year = current_year - current_year % 100 + *two_digits;
  if (year > current_year + 50) year -= 100;
  t.year = year;
  t.month = *month;
  t.day = *day;
  return t;
}

// "Sun Nov  6 08:49:37 1994" (a day below 10 is a space and one digit)
std::optional<civil_time> asctime_date(std::string_view text) {
  cursor c(text);
  civil_time t;
  if (!c.one_of(day_names) || !c.literal(" ")) return std::nullopt;
  auto month = read_month(c);
  if (!month || !c.literal(" ")) return std::nullopt;
  std::optional<unsigned> day;
  if (c.literal(" "))
    day = c.digits(1);
  else
    day = c.digits(2);
  if (!day || !c.literal(" ") || !read_time(c, t) || !c.literal(" ")) return std::nullopt;
  auto year = c.digits(4);
  if (!year || !c.at_end()) return std::nullopt;
  t.year = *year;
  t.month = *month;
  t.day = *day;
  return t;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text,
                                                                     std::chrono::system_clock::time_point now) {
  text = trim(text);
  const long long current_year = year_from_days(std::chrono::floor<std::chrono::days>(now).time_since_epoch().count());
  auto t = imf_fixdate(text);
  if (!t) t = rfc850_date(text, current_year);
  if (!t) t = asctime_date(text);
  if (!t || t->day < 1 || t->day > days_in_month(t->year, t->month)) return std::nullopt;
  const long long days = days_from_civil(t->year, t->month, t->day);
  const long long since_epoch = days * 86400 + t->hour * 3600LL + t->minute * 60LL + static_cast<long long>(t->second);
  // The clock counts nanoseconds on most systems (1677 to 2262): a date past its ends is its end,
  // not an overflow.
  using clock = std::chrono::system_clock;
  constexpr auto latest = std::chrono::floor<seconds>(clock::duration::max()).count();
  constexpr auto earliest = std::chrono::ceil<seconds>(clock::duration::min()).count();
  if (since_epoch > latest) return clock::time_point::max();
  if (since_epoch < earliest) return clock::time_point::min();
  return clock::time_point(seconds(since_epoch));
}

}  // namespace awork_mcp
