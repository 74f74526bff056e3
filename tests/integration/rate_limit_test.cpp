// Rate limits seen from both sides: what the server announces, when the next request reaches it,
// and when the editor gets its answer.

#include "mcp_fixture.hpp"

#include <ctime>
#include <mutex>
#include <optional>

using namespace std::chrono_literals;
using std::chrono::steady_clock;
using std::chrono::system_clock;

namespace {

bool is_tool(const json::object& msg, std::string_view name) {
  if (!has_method(msg, "tools/call")) return false;
  const auto* params = msg.if_contains("params");
  if (!params || !params->is_object()) return false;
  const auto* tool = params->as_object().if_contains("name");
  return tool && tool->is_string() && tool->get_string() == name;
}

std::string empty_result(const json::value& id) {
  return json::serialize(json::object{{"jsonrpc", "2.0"}, {"id", id}, {"result", json::object{{"content", json::array{}}}}});
}

// A wall-clock time in one of the HTTP-date forms (strftime with the C locale the tests run in).
std::string http_date(system_clock::time_point when, const char* format) {
  const std::time_t t = system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[64];
  const auto n = std::strftime(text, sizeof text, format, &utc);
  return std::string(text, n);
}

std::size_t count(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_F(bridge_test, a_spent_budget_holds_the_next_requests_until_its_reset) {
  std::mutex mutex;
  std::optional<steady_clock::time_point> spent_at;  // when the server said nothing is left
  mcp.on_post = [&](const auto&, server_reply& reply, const json::object& msg) {
    if (!is_tool(msg, "spend")) return false;
    {
      std::lock_guard lock(mutex);
      spent_at = steady_clock::now();
    }
    // awork's fields (Kong's): the minute's budget is spent, and it resets in a second.
    reply.json(200, empty_result(msg.at("id")),
               {{"X-RateLimit-Limit-Second", "50"}, {"X-RateLimit-Remaining-Second", "48"},
                {"X-RateLimit-Limit-Minute", "1000"}, {"X-RateLimit-Remaining-Minute", "0"},
                {"RateLimit-Limit", "1000"}, {"RateLimit-Remaining", "0"}, {"RateLimit-Reset", "1"}});
    return true;
  };
  start_bridge({"--log-level", "info"});
  handshake();
  // The GET stream goes out beside `initialized`, before any budget is spent: let it arrive
  // first, or it would be counted among the requests sent after the budget ran out.
  ASSERT_TRUE(server->wait_for([](const recorded_request& r) { return r.method == "GET"; }));
  bridge->send(request_line("spend", "tools/call", {{"name", "spend"}}));
  read_response("spend");
  const auto answered_at = steady_clock::now();

  // Three messages at once: two requests and a notification, all held until the reset.
  bridge->send(request_line("b", "tools/call", {{"name", "echo"}, {"arguments", {{"message", "b"}}}}));
  bridge->send(request_line("c", "ping"));
  bridge->send(R"({"jsonrpc":"2.0","method":"notifications/roots/list_changed"})");
  EXPECT_EQ(read_response("b").at("result").at("content").at(0).at("text"), "b");
  EXPECT_TRUE(read_response("c").as_object().contains("result"));
  const auto waited = steady_clock::now() - answered_at;
  ASSERT_TRUE(server->wait_for([](const recorded_request& r) { return r.body.find("list_changed") != std::string::npos; }));

  // The editor's side: the answers came about a second later, not at once and not much later: a
  // hold for the whole minute's window would last until --max-retry-wait (10 s). The room above
  // the second is for a loaded machine.
  EXPECT_GE(waited, 900ms);
  EXPECT_LT(waited, 3500ms);
  // The server's side: nothing arrived while the budget was spent, everything soon after.
  const auto spent = [&] {
    std::lock_guard lock(mutex);
    return *spent_at;
  }();
  int after = 0;
  for (const auto& r : server->requests()) {
    if (r.received <= spent) continue;
    ++after;
    EXPECT_GE(r.received - spent, 990ms) << r.method << " " << r.body;
    EXPECT_LT(r.received - spent, 3000ms) << r.method << " " << r.body;
  }
  EXPECT_EQ(after, 3);

  bridge->close_stdin();
  bridge->wait();
  // One log line for the window, not one per request held.
  const auto log = bridge->stderr_text();
  EXPECT_EQ(count(log, "holding requests for"), 1u) << log;
  EXPECT_NE(log.find("per-minute request budget is spent"), std::string::npos) << log;
}

TEST_F(bridge_test, a_hold_longer_than_max_retry_wait_ends_at_the_bound) {
  std::mutex mutex;
  std::optional<steady_clock::time_point> spent_at;
  mcp.on_post = [&](const auto&, server_reply& reply, const json::object& msg) {
    if (!is_tool(msg, "spend")) return false;
    {
      std::lock_guard lock(mutex);
      spent_at = steady_clock::now();
    }
    reply.json(200, empty_result(msg.at("id")),
               {{"X-RateLimit-Remaining-Minute", "0"}, {"RateLimit-Remaining", "0"}, {"RateLimit-Reset", "40"}});
    return true;
  };
  start_bridge({"--log-level", "info", "--max-retry-wait", "1"});
  handshake();
  bridge->send(request_line("spend", "tools/call", {{"name", "spend"}}));
  read_response("spend");
  bridge->send(request_line("next", "ping"));
  read_response("next");
  auto next = posts_with_method("ping");
  ASSERT_EQ(next.size(), 1u);
  const auto spent = [&] {
    std::lock_guard lock(mutex);
    return *spent_at;
  }();
  EXPECT_GE(next.at(0).received - spent, 990ms);  // held...
  EXPECT_LT(next.at(0).received - spent, 3000ms);  // ...but no longer than --max-retry-wait, not the 40 s
  bridge->close_stdin();
  bridge->wait();
  EXPECT_NE(bridge->stderr_text().find("then they are sent anyway"), std::string::npos) << bridge->stderr_text();
}

TEST_F(bridge_test, rate_limit_429_waits_out_a_retry_after_http_date) {
  std::mutex mutex;
  const char* format = nullptr;
  std::optional<system_clock::time_point> until;  // what Retry-After named
  std::optional<system_clock::time_point> retried_at;
  mcp.on_post = [&](const auto&, server_reply& reply, const json::object& msg) {
    if (!is_tool(msg, "later")) return false;
    std::lock_guard lock(mutex);
    const auto now = system_clock::now();
    if (!until) {
      // HTTP dates have whole seconds: two to three seconds ahead.
      until = std::chrono::ceil<std::chrono::seconds>(now) + 2s;
      reply.json(429, R"({"message":"API rate limit exceeded"})", {{"Retry-After", http_date(*until, format)}});
      return true;
    }
    retried_at = now;
    reply.json(200, empty_result(msg.at("id")));
    return true;
  };
  peers_stopped_at_scope_end stop_peers_first{*this};  // the handlers use this test's locals
  // IMF-fixdate, and the obsolete asctime form recipients must read as well.
  for (const char* form : {"%a, %d %b %Y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"}) {
    {
      std::lock_guard lock(mutex);
      format = form;
      until.reset();
      retried_at.reset();
    }
    start_bridge();
    handshake();
    bridge->send(request_line("later", "tools/call", {{"name", "later"}}));
    auto response = read_response("later");
    EXPECT_TRUE(response.as_object().contains("result")) << format << ": " << response;
    std::lock_guard lock(mutex);
    ASSERT_TRUE(retried_at) << format;
    // Not before the date (one clock, read by both processes), and not long after it. Waiting
    // whole seconds, the retry comes up to 1 s after the date, by the sub-second phase it was
    // asked at; a retry that waited the asked delay twice would be >= 2 s late.
    EXPECT_GE(*retried_at - *until, -20ms) << format;
    EXPECT_LT(*retried_at - *until, 1900ms) << format;
    bridge->close_stdin();
    bridge->wait();
  }
}
