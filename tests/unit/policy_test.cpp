// Table tests of the small socket-free rules: which requests may be repeated, keep-alive reuse,
// reconnect clamps and budgets, header values, and the answer ledger.

#include "awork_mcp/core/answer_ledger.hpp"
#include "awork_mcp/core/header_rules.hpp"
#include "awork_mcp/core/jsonrpc.hpp"
#include "awork_mcp/core/keep_alive.hpp"
#include "awork_mcp/core/reconnect.hpp"
#include "awork_mcp/core/request_safety.hpp"

#include <gtest/gtest.h>

using namespace awork_mcp;
using namespace std::chrono_literals;

TEST(request_safety, only_reading_methods_are_repeated) {
  for (const char* safe : {"initialize", "ping", "tools/list", "resources/list", "resources/templates/list",
                           "resources/read", "prompts/list", "prompts/get", "completion/complete"})
    EXPECT_TRUE(safe_to_repeat(safe)) << safe;
  for (const char* unsafe : {"tools/call", "logging/setLevel", "resources/subscribe", "sampling/createMessage",
                             "notifications/cancelled", "", "tools/list ", "Tools/List", "custom/thing"})
    EXPECT_FALSE(safe_to_repeat(unsafe)) << unsafe;
}

TEST(keep_alive, timeout_parameter_table) {
  struct row {
    const char* header;
    std::optional<std::chrono::seconds> timeout;
  };
  for (const auto& r : std::vector<row>{{"timeout=5", 5s},
                                        {"timeout=5, max=1000", 5s},
                                        {"max=100, Timeout = 30", 30s},
                                        {"", std::nullopt},
                                        {"max=100", std::nullopt},
                                        {"timeout=", std::nullopt},
                                        {"timeout=-1", std::nullopt},
                                        {"timeout=5s", std::nullopt},
                                        {"timeout=0", 0s}})
    EXPECT_EQ(keep_alive_timeout(r.header), r.timeout) << r.header;
}

TEST(keep_alive, connections_retire_before_the_server_closes_them) {
  EXPECT_EQ(reuse_limit(std::nullopt), default_reuse_limit);
  EXPECT_EQ(reuse_limit(5s), 4s);      // Node's default keepAliveTimeout: a second of margin
  EXPECT_EQ(reuse_limit(1s), 500ms);   // short timeouts: half
  EXPECT_EQ(reuse_limit(0s), 0ms);     // the server closes at once: never reuse
  EXPECT_EQ(reuse_limit(75s), 74s);    // nginx's default
  EXPECT_EQ(reuse_limit(std::chrono::seconds(86400)), default_reuse_limit * 4);
}

TEST(reconnect, delays_are_clamped_from_both_sides) {
  EXPECT_EQ(clamp_reconnect_delay(0ms), min_reconnect_delay);
  EXPECT_EQ(clamp_reconnect_delay(500ms), 500ms);
  EXPECT_EQ(clamp_reconnect_delay(86'400'000ms), max_reconnect_delay);  // retry: a day
  EXPECT_EQ(clamp_reconnect_delay(std::chrono::milliseconds::max()), max_reconnect_delay);
  EXPECT_EQ(max_reconnect_delay, 60s);
}

TEST(reconnect, resume_budget_doubles_counts_and_restarts_on_progress) {
  resume_budget budget;
  EXPECT_EQ(budget.next_delay(std::nullopt), 1s);
  EXPECT_EQ(budget.next_delay(std::nullopt), 2s);
  EXPECT_EQ(budget.next_delay(300ms), 300ms);  // the server's retry wins
  EXPECT_EQ(budget.next_delay(86'400'000ms), 60s);
  EXPECT_FALSE(budget.exhausted());
  EXPECT_EQ(budget.next_delay(std::nullopt), 16s);
  EXPECT_TRUE(budget.exhausted());
  budget.made_progress();
  EXPECT_FALSE(budget.exhausted());
  EXPECT_EQ(budget.next_delay(std::nullopt), 1s);
}

TEST(reconnect, listen_backoff_is_prompt_after_a_stream_that_worked) {
  listen_backoff backoff;
  EXPECT_EQ(backoff.next_delay(false, std::nullopt), 2s);
  EXPECT_EQ(backoff.next_delay(false, std::nullopt), 4s);
  for (int i = 0; i < 10; ++i) (void)backoff.next_delay(false, std::nullopt);
  EXPECT_EQ(backoff.next_delay(false, std::nullopt), 60s);
  EXPECT_EQ(backoff.next_delay(true, std::nullopt), 1s);
  EXPECT_EQ(backoff.next_delay(false, 500ms), 500ms);
  EXPECT_EQ(backoff.next_delay(true, 10ms), min_reconnect_delay);
}

TEST(header_rules, values_protocol_versions_and_session_ids) {
  EXPECT_TRUE(is_safe_header_value("Bearer abc def"));
  EXPECT_TRUE(is_safe_header_value(""));
  for (std::string bad : {std::string("a\rb"), std::string("a\nb"), std::string("a\0b", 3), std::string("x\r\nY: z")})
    EXPECT_FALSE(is_safe_header_value(bad));
  for (const char* ok : {"2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"}) EXPECT_TRUE(is_protocol_version(ok)) << ok;
  for (const char* bad : {"", "2025-6-18", "2025-06-18\r\nX: y", "2025/06/18", "v2025-06-18", "2025-06-18 ", "abcd-ef-gh"})
    EXPECT_FALSE(is_protocol_version(bad)) << bad;
  EXPECT_TRUE(is_session_id("1868a90c-2f9a-4a0e-9c2e-1b2c3d4e5f60"));
  EXPECT_FALSE(is_session_id(""));
  EXPECT_FALSE(is_session_id("a b"));
  EXPECT_FALSE(is_session_id("a\r\nb"));
  EXPECT_FALSE(is_session_id("caf\xc3\xa9"));
}

TEST(answer_ledger, each_id_is_answered_once) {
  answer_ledger ledger;
  EXPECT_EQ(ledger.admit(1), answer_ledger::admission::admitted);
  EXPECT_EQ(ledger.admit("1"), answer_ledger::admission::admitted);  // 1 and "1" are different ids
  EXPECT_EQ(ledger.admit(1), answer_ledger::admission::duplicate);
  EXPECT_TRUE(ledger.owed(id_key(1)));
  EXPECT_FALSE(ledger.all_settled({id_key(1), id_key("1")}));
  EXPECT_TRUE(ledger.settle(id_key(1)));
  EXPECT_FALSE(ledger.settle(id_key(1)));  // a second answer is dropped
  EXPECT_EQ(ledger.admit(1), answer_ledger::admission::admitted);  // the id is free again
  EXPECT_TRUE(ledger.settle(id_key(1)));
  EXPECT_FALSE(ledger.settle(id_key(99)));  // never asked
  ASSERT_NE(ledger.id_of(id_key("1")), nullptr);
  EXPECT_EQ(*ledger.id_of(id_key("1")), "1");
}

TEST(answer_ledger, close_hands_back_what_is_owed_and_admits_nothing_more) {
  answer_ledger ledger;
  (void)ledger.admit(1);
  (void)ledger.admit(2);
  EXPECT_TRUE(ledger.settle(id_key(2)));
  auto left = ledger.close();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0], 1);
  EXPECT_TRUE(ledger.closed());
  EXPECT_EQ(ledger.admit(3), answer_ledger::admission::closed);
  EXPECT_FALSE(ledger.settle(id_key(1)));  // a late answer after the shutdown error is dropped
  EXPECT_TRUE(ledger.all_settled({id_key(1)}));
}
