// The rate pacer as tables: a reply's rate-limit fields in, how long the next request waits out.

#include "awork_mcp/core/rate_pacer.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace awork_mcp;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

const clock_type::time_point t0 = clock_type::time_point(1000h);
// 2015-10-21 07:28:00 UTC on the wall clock at t0.
const auto wall0 = std::chrono::system_clock::time_point(std::chrono::seconds(1445412480));

reply_times quick_reply() { return {t0 - 50ms, t0, wall0}; }

rate_limit_facts ok_reply() {
  rate_limit_facts f;
  f.status = 200;
  return f;
}

}  // namespace

TEST(rate_pacer, what_each_reply_holds_back) {
  struct row {
    const char* name;
    rate_limit_facts reply;
    std::chrono::milliseconds expected;
    rate_window window;
  };
  auto reply = [](unsigned status, const char* second, const char* minute, const char* remaining, const char* reset,
                  const char* retry_after = "") {
    rate_limit_facts f;
    f.status = status;
    f.remaining_second = second;
    f.remaining_minute = minute;
    f.remaining = remaining;
    f.reset = reset;
    f.retry_after = retry_after;
    return f;
  };
  const std::vector<row> rows = {
      {"no rate-limit fields", reply(200, "", "", "", ""), 0ms, rate_window::none},
      {"budget left everywhere", reply(200, "49", "999", "49", "1"), 0ms, rate_window::none},
      // awork (Kong): the window closest to its limit is the one RateLimit-* describe.
      {"second spent", reply(200, "0", "812", "0", "1"), 1s, rate_window::second},
      {"second spent, no RateLimit-*", reply(200, "0", "812", "", ""), 1s, rate_window::second},
      {"minute spent: its reset", reply(200, "3", "0", "0", "47"), 47s, rate_window::minute},
      {"both spent: the minute's reset", reply(200, "0", "0", "0", "12"), 12s, rate_window::minute},
      {"minute spent, reset unknown: a whole window", reply(200, "5", "0", "", ""), 60s, rate_window::minute},
      {"minute spent, RateLimit-* about another window", reply(200, "5", "0", "5", "1"), 60s, rate_window::minute},
      // The IETF draft's fields alone (any letter case reaches here as the same field).
      {"RateLimit-Remaining 0", reply(200, "", "", "0", "3"), 3s, rate_window::announced},
      {"RateLimit-Remaining 0 without a reset", reply(200, "", "", "0", ""), 1s, rate_window::announced},
      {"RateLimit-Remaining as a list", reply(200, "", "", "0, 0;w=60", "2"), 2s, rate_window::announced},
      {"RateLimit-Reset with budget left", reply(200, "", "", "7", "30"), 0ms, rate_window::none},
      {"reset 0: already reset", reply(200, "", "", "0", "0"), 0ms, rate_window::none},
      // A refusal asks everyone to wait.
      {"429 with Retry-After", reply(429, "", "", "", "", "3"), 3s, rate_window::retry_after},
      {"429 with ratelimit-reset", reply(429, "", "", "", "4"), 4s, rate_window::retry_after},
      {"429 with an HTTP date", reply(429, "", "", "", "", "Wed, 21 Oct 2015 07:28:05 GMT"), 5s, rate_window::retry_after},
      {"503 with Retry-After", reply(503, "", "", "", "", "2"), 2s, rate_window::retry_after},
      {"503 ignores ratelimit-reset", reply(503, "", "", "", "9"), 0ms, rate_window::none},
      {"Retry-After on a 200 means nothing", reply(200, "", "", "", "", "3"), 0ms, rate_window::none},
      {"429 and a spent minute: the longest", reply(429, "0", "0", "0", "20", "2"), 20s, rate_window::minute},
      // What does not parse holds nothing.
      {"garbage", reply(200, "none", "-1", "zero", "soon"), 0ms, rate_window::none},
      {"signed remaining", reply(200, "-0", "+0", "", ""), 0ms, rate_window::none},
      {"a huge reset is bounded", reply(200, "", "", "0", "9999999999999"), 60s, rate_window::announced},
      // Values near 2^63 seconds overflow milliseconds (UBSan stops the test): clamped first.
      {"reset near 2^63", reply(200, "", "", "0", "9223372036854775807"), 60s, rate_window::announced},
      {"minute spent, reset near 2^63", reply(200, "3", "0", "0", "9223372036854775807"), 60s, rate_window::minute},
      {"429, Retry-After near 2^63", reply(429, "", "", "", "", "9223372036854775807"), 60s, rate_window::retry_after},
      {"429, ratelimit-reset near 2^63", reply(429, "", "", "", "9223372036854775000"), 60s, rate_window::retry_after},
      {"429, a date in 9999", reply(429, "", "", "", "", "Fri, 31 Dec 9999 23:59:59 GMT"), 60s, rate_window::retry_after},
  };
  for (const auto& r : rows) {
    rate_pacer pacer(60s);
    pacer.observe(r.reply, quick_reply());
    auto pause = pacer.before_send(t0);
    EXPECT_EQ(pause.wait, r.expected) << r.name;
    EXPECT_EQ(pause.window, r.window) << r.name;
    EXPECT_EQ(pause.announce, r.expected > 0ms) << r.name;
  }
}

TEST(rate_pacer, the_wait_runs_from_the_reply_and_shrinks_with_time) {
  rate_pacer pacer(60s);
  auto reply = ok_reply();
  reply.remaining = "0";
  reply.reset = "2";
  pacer.observe(reply, quick_reply());
  EXPECT_EQ(pacer.before_send(t0).wait, 2s);
  EXPECT_EQ(pacer.before_send(t0 + 1500ms).wait, 500ms);
  EXPECT_EQ(pacer.before_send(t0 + 2s).wait, 0ms);
  EXPECT_EQ(pacer.before_send(t0 + 5s).wait, 0ms);
}

TEST(rate_pacer, a_slow_replys_window_counts_from_near_its_sending) {
  // A tool call that ran 30 s: the server counted it when it arrived, so its "1 s to reset" is long past.
  rate_pacer pacer(60s);
  auto reply = ok_reply();
  reply.remaining_second = "0";
  pacer.observe(reply, {t0 - 30s, t0, wall0});
  EXPECT_EQ(pacer.before_send(t0).wait, 0ms);
  EXPECT_FALSE(pacer.held_until());
  // Its minute, though, may still be spent: 47 s from (at most a second after) the sending.
  reply.remaining_minute = "0";
  reply.remaining = "0";
  reply.reset = "47";
  pacer.observe(reply, {t0 - 30s, t0, wall0});
  EXPECT_EQ(pacer.before_send(t0).wait, 18s);
}

TEST(rate_pacer, waits_are_bounded_by_max_retry_wait) {
  rate_pacer pacer(10s);
  auto reply = ok_reply();
  reply.remaining_minute = "0";
  pacer.observe(reply, quick_reply());
  auto pause = pacer.before_send(t0);
  EXPECT_EQ(pause.wait, 10s);
  EXPECT_TRUE(pause.capped);
  pause = pacer.before_send(t0 + 45s);  // 15 s left: under the bound again
  EXPECT_EQ(pause.wait, 10s);
  EXPECT_TRUE(pause.capped);
  pause = pacer.before_send(t0 + 55s);
  EXPECT_EQ(pause.wait, 5s);
  EXPECT_FALSE(pause.capped);

  rate_pacer off(0s);  // --max-retry-wait 0: never held
  off.observe(reply, quick_reply());
  EXPECT_EQ(off.before_send(t0).wait, 0ms);
}

TEST(rate_pacer, announces_once_per_window) {
  rate_pacer pacer(60s);
  auto second = ok_reply();
  second.remaining_second = "0";
  pacer.observe(second, quick_reply());
  EXPECT_TRUE(pacer.before_send(t0).announce);
  EXPECT_FALSE(pacer.before_send(t0 + 10ms).announce);
  // More replies about the same window while it holds: still the same hold, no new announcement.
  pacer.observe(second, {t0 + 10ms, t0 + 20ms, wall0});
  EXPECT_FALSE(pacer.before_send(t0 + 30ms).announce);
  // A longer hold for another reason is news.
  auto minute = ok_reply();
  minute.remaining_minute = "0";
  minute.remaining = "0";
  minute.reset = "5";
  pacer.observe(minute, {t0 + 30ms, t0 + 40ms, wall0});
  auto pause = pacer.before_send(t0 + 50ms);
  EXPECT_TRUE(pause.announce);
  EXPECT_EQ(pause.window, rate_window::minute);
  EXPECT_EQ(pause.wait, 4990ms);
  EXPECT_FALSE(pacer.before_send(t0 + 60ms).announce);
  // After the reset, the next spent window is announced again.
  pacer.observe(second, {t0 + 6s, t0 + 6s + 10ms, wall0});
  EXPECT_TRUE(pacer.before_send(t0 + 6s + 20ms).announce);
}

TEST(rate_pacer, a_shorter_window_never_cuts_a_longer_hold) {
  rate_pacer pacer(60s);
  auto minute = ok_reply();
  minute.remaining_minute = "0";
  minute.remaining = "0";
  minute.reset = "7";
  pacer.observe(minute, quick_reply());
  auto later = ok_reply();  // a reply counted before the minute was spent: budget left
  later.remaining_second = "0";
  later.remaining_minute = "4";
  pacer.observe(later, {t0, t0 + 100ms, wall0});
  later.remaining_second = "12";
  pacer.observe(later, {t0, t0 + 200ms, wall0});
  EXPECT_EQ(pacer.before_send(t0 + 1s).wait, 6s);
  EXPECT_EQ(pacer.before_send(t0 + 1s).window, rate_window::minute);
}

TEST(rate_pacer, nothing_held_costs_nothing) {
  rate_pacer pacer(10s);
  for (int i = 0; i < 3; ++i) pacer.observe(ok_reply(), quick_reply());
  EXPECT_FALSE(pacer.held_until());
  auto pause = pacer.before_send(t0);
  EXPECT_EQ(pause.wait, 0ms);
  EXPECT_FALSE(pause.announce);
}
