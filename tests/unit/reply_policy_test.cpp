// The reply policy as a table: status, media type, session and body in; the action out.

#include "awork_mcp/core/redirect_rules.hpp"
#include "awork_mcp/core/reply_policy.hpp"

#include <gtest/gtest.h>

using namespace awork_mcp;
using namespace std::chrono_literals;

namespace {

constexpr const char* sdk_no_session =
    R"({"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"Bad Request: No valid session ID provided"}})";
constexpr const char* validation_mentions_session =
    R"({"jsonrpc":"2.0","id":2,"error":{"code":-32602,"message":"Invalid params: sessionName is required"}})";

}  // namespace

TEST(reply_policy, decision_table) {
  struct row {
    const char* name;
    unsigned status;
    const char* media;
    bool had_session;
    const char* body;
    retries_used used;
    bool can_renew;
    reply_action expected;
  };
  const std::vector<row> rows = {
      {"json reply", 200, "application/json", true, "", {}, true, reply_action::read_json},
      {"event stream", 200, "text/event-stream", true, "", {}, true, reply_action::read_stream},
      {"202 accepted", 202, "", true, "", {}, true, reply_action::accepted},
      {"404 with a session: expired", 404, "text/plain", true, "", {}, true, reply_action::renew_session},
      {"404 without a session: wrong URL", 404, "text/plain", false, "", {}, true, reply_action::fail},
      {"SDK 400 no valid session", 400, "application/json", true, sdk_no_session, {}, true, reply_action::renew_session},
      {"400 mentioning session", 400, "application/json", true, validation_mentions_session, {}, true, reply_action::fail},
      {"plain 400 saying session", 400, "text/plain", true, "session is bad", {}, true, reply_action::fail},
      {"expiry but nothing to replay", 404, "", true, "", {}, false, reply_action::fail},
      {"expiry after one renewal", 404, "", true, "", {1, 0, 0, 0}, true, reply_action::fail},
      {"401 first time", 401, "", true, "", {}, true, reply_action::refresh_credential},
      {"401 after a refresh", 401, "", true, "", {0, 1, 0, 0}, true, reply_action::fail},
      {"429 without a delay: a second", 429, "", true, "", {}, true, reply_action::wait_and_retry},
      {"429 after three waits", 429, "", true, "", {0, 0, 3, 0}, true, reply_action::fail},
      {"503 without Retry-After", 503, "", true, "", {}, true, reply_action::fail},
      {"307", 307, "", true, "", {}, true, reply_action::follow_redirect},
      {"308 past the hop limit", 308, "", true, "", {0, 0, 0, max_redirect_hops}, true, reply_action::fail},
      {"500", 500, "text/html", true, "<h1>oops</h1>", {}, true, reply_action::fail},
  };
  for (const auto& r : rows) {
    reply_facts facts;
    facts.status = r.status;
    facts.media_type = r.media;
    facts.had_session = r.had_session;
    facts.body = r.body;
    facts.content_type = r.media;
    facts.awaits_answer = true;
    reply_limits limits;
    limits.can_renew_session = r.can_renew;
    EXPECT_EQ(decide_reply(facts, r.used, limits).action, r.expected) << r.name;
  }
}

TEST(reply_policy, a_400_that_is_not_an_expiry_keeps_the_servers_error) {
  reply_facts facts;
  facts.status = 400;
  facts.media_type = "application/json";
  facts.content_type = "application/json";
  facts.had_session = true;
  facts.body = validation_mentions_session;
  auto d = decide_reply(facts, {}, {true});
  ASSERT_EQ(d.action, reply_action::fail);
  EXPECT_EQ(d.failure.server_error.at("code"), -32602);
}

TEST(reply_policy, rate_limit_waits_are_bounded_by_max_retry_wait) {
  reply_facts facts;
  facts.status = 429;
  reply_limits limits;
  limits.max_retry_wait = 10s;
  facts.ratelimit_reset = "3";
  auto d = decide_reply(facts, {}, limits);
  EXPECT_EQ(d.action, reply_action::wait_and_retry);
  EXPECT_EQ(d.wait, 3s);
  facts.ratelimit_reset = "11";
  d = decide_reply(facts, {}, limits);
  EXPECT_EQ(d.action, reply_action::fail);
  EXPECT_EQ(d.failure.retry_after, 11s);
  facts.ratelimit_reset = "0";
  EXPECT_EQ(decide_reply(facts, {}, limits).wait, 100ms);  // never a busy loop
}

TEST(reply_policy, retry_delay_reads_seconds_and_http_dates_in_every_form) {
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1445412480));  // 2015-10-21 07:28:00 UTC
  EXPECT_EQ(retry_delay("12", "", now), 12s);
  EXPECT_EQ(retry_delay("", "7", now), 7s);
  EXPECT_EQ(retry_delay("5", "99", now), 5s);  // ratelimit-reset first
  EXPECT_EQ(retry_delay("", "Wed, 21 Oct 2015 07:28:30 GMT", now), 30s);
  EXPECT_EQ(retry_delay("", "Wed, 21 Oct 2015 07:27:00 GMT", now), 0s);  // in the past
  EXPECT_EQ(retry_delay("", "Wednesday, 21-Oct-15 07:28:45 GMT", now), 45s);  // RFC 850
  EXPECT_EQ(retry_delay("", "Wed Oct 21 07:29:00 2015", now), 60s);           // asctime
  EXPECT_EQ(retry_delay("", "Wed Oct 21 07:00:00 2015", now), 0s);            // in the past, too
  EXPECT_EQ(retry_delay("", "Wed, 21 Oct 2015 07:28:00 GMT", now + 400ms), 0s);  // a moment ago
  EXPECT_EQ(retry_delay("", "Wed, 21 Oct 2015 07:28:01 GMT", now + 400ms), 1s);  // rounded up, never early
  EXPECT_EQ(retry_delay("", "Thu, 01 Jan 1970 00:00:00 GMT", std::chrono::system_clock::time_point{}), 0s);
  for (const char* bad : {"", "soon", "-3", "1.5", "Wed, 21 Oct 2015 07:28:30 UTC", "Wed, 32 Foo 2015 07:28:30 GMT"})
    EXPECT_FALSE(retry_delay("", bad, now)) << bad;
}

// A wait is later converted to milliseconds and added to clocks: whatever the server says, it is
// at most longest_retry_wait (values near 2^63 seconds, dates in year 9999).
TEST(reply_policy, retry_delay_is_clamped_so_that_no_clock_overflows) {
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1445412480));
  EXPECT_EQ(retry_delay("9223372036854775807", "", now), longest_retry_wait);
  EXPECT_EQ(retry_delay("", "9223372036854775807", now), longest_retry_wait);
  EXPECT_EQ(retry_delay("", "Fri, 31 Dec 9999 23:59:59 GMT", now), longest_retry_wait);
  EXPECT_EQ(retry_delay("", "Mon, 01 Jan 0001 00:00:00 GMT", now), 0s);
  EXPECT_EQ(retry_delay("86399", "", now), 86399s);
  const auto as_ms = std::chrono::milliseconds(*retry_delay("", "9223372036854775807", now));
  EXPECT_EQ(as_ms, std::chrono::milliseconds(longest_retry_wait));
}

TEST(redirect_rules, decision_table) {
  const auto https = parse_endpoint("https://api.awork.com/api/v1/mcp");
  const auto http_local = parse_endpoint("http://127.0.0.1:8080/mcp");
  struct row {
    const char* name;
    const endpoint* from;
    unsigned status;
    const char* location;
    int hops;
    bool follow, same_origin;
    const char* target;  // display() of the target when followed
  };
  const std::vector<row> rows = {
      {"trailing slash", &https, 308, "/api/v1/mcp/", 0, true, true, "https://api.awork.com/api/v1/mcp/"},
      {"relative path", &https, 307, "v2/mcp", 0, true, true, "https://api.awork.com/api/v1/v2/mcp"},
      {"absolute same origin", &https, 307, "https://api.awork.com/mcp", 0, true, true, "https://api.awork.com/mcp"},
      {"another host", &https, 307, "https://mcp.example.com/mcp", 0, true, false, "https://mcp.example.com/mcp"},
      {"another port", &https, 307, "https://api.awork.com:8443/mcp", 0, true, false, "https://api.awork.com:8443/mcp"},
      {"upgrade to https", &http_local, 308, "https://127.0.0.1:8443/mcp", 0, true, false, "https://127.0.0.1:8443/mcp"},
      {"downgrade refused", &https, 308, "http://api.awork.com/api/v1/mcp", 0, false, false, ""},
      {"plain http elsewhere refused", &http_local, 307, "http://example.com/mcp", 0, false, false, ""},
      {"302 refused", &https, 302, "/x", 0, false, false, ""},
      {"no location", &https, 307, "", 0, false, false, ""},
      {"hop limit", &https, 307, "/x", max_redirect_hops, false, false, ""},
  };
  for (const auto& r : rows) {
    auto d = decide_redirect(*r.from, r.status, r.location, r.hops);
    EXPECT_EQ(d.follow, r.follow) << r.name << ": " << d.refusal;
    if (!r.follow) {
      EXPECT_FALSE(d.refusal.empty()) << r.name;
      continue;
    }
    EXPECT_EQ(d.same_origin, r.same_origin) << r.name;
    EXPECT_EQ(d.target.display(), r.target) << r.name;
  }
  EXPECT_TRUE(decide_redirect(http_local, 307, "http://example.com/mcp", 0, true).follow);  // --allow-http
}

TEST(redirect_rules, refusals_never_show_the_query) {
  const auto from = parse_endpoint("https://api.awork.com/mcp?token=SECRET");
  auto d = decide_redirect(from, 308, "http://api.awork.com/mcp?token=SECRET", 0);
  EXPECT_FALSE(d.follow);
  EXPECT_EQ(d.refusal.find("SECRET"), std::string::npos) << d.refusal;
}

TEST(reply_policy, a_403_asking_for_more_scope_is_a_step_up_with_a_limit) {
  struct row {
    const char* name;
    unsigned status;
    const char* www_authenticate;
    int step_ups;
    reply_action expected;
  };
  const std::vector<row> rows = {
      {"insufficient_scope", 403, R"(Bearer error="insufficient_scope", scope="mcp:write")", 0, reply_action::refresh_credential},
      {"second step-up", 403, R"(Bearer error="insufficient_scope", scope="mcp:write")", 1, reply_action::refresh_credential},
      {"past the limit", 403, R"(Bearer error="insufficient_scope", scope="mcp:write")", reply_limits::max_step_ups, reply_action::fail},
      {"403 without a challenge", 403, "", 0, reply_action::fail},
      {"403 for another reason", 403, R"(Bearer error="invalid_token")", 0, reply_action::fail},
      {"another scheme", 403, R"(Basic realm="insufficient_scope")", 0, reply_action::fail},
  };
  for (const auto& r : rows) {
    reply_facts facts;
    facts.status = r.status;
    facts.www_authenticate = r.www_authenticate;
    facts.awaits_answer = true;
    retries_used used;
    used.step_ups = r.step_ups;
    EXPECT_EQ(decide_reply(facts, used, reply_limits{}).action, r.expected) << r.name;
  }
}
