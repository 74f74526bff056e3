// Rate limits seen from both sides: what the server announces, when the next request reaches it,
// and when the editor gets its answer.

#include "mcp_fixture.hpp"

#include <ctime>
#include <mutex>
#include <optional>

using namespace std::chrono_literals;
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

}  // namespace

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
    // Not before the date (one clock, read by both processes), and not long after it.
    EXPECT_GE(*retried_at - *until, -20ms) << format;
    EXPECT_LT(*retried_at - *until, 1500ms) << format;
    bridge->close_stdin();
    bridge->wait();
  }
}
