// The 2024-11-05 HTTP+SSE fallback as tables: which refusals of the initialize POST are worth a GET,
// and where the `endpoint` event lets messages go.

#include "awork_mcp/era/http_sse_rules.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace awork_mcp;

TEST(http_sse_rules, only_plain_4xx_refusals_suggest_the_old_transport) {
  struct row {
    unsigned status;
    bool suggests;
  };
  const std::vector<row> table = {
      {400, true},  {404, true},  {405, true},  {406, true},  {415, true},  {410, true},
      {401, false}, {403, false}, {407, false}, {408, false}, {429, false},
      {200, false}, {202, false}, {301, false}, {399, false}, {500, false}, {502, false}, {503, false},
  };
  for (const auto& r : table) EXPECT_EQ(suggests_http_sse(r.status), r.suggests) << r.status;
}

TEST(http_sse_rules, the_endpoint_event_resolves_on_the_servers_origin) {
  const auto server = parse_endpoint("https://mcp.example.com/api/v1/sse?tenant=7");
  struct row {
    std::string type;
    std::string data;
    std::string target;  // empty: refused
    std::string problem_has;
  };
  const std::vector<row> table = {
      // The SDKs send a path with the session in the query.
      {"endpoint", "/messages?sessionId=abc-123", "/messages?sessionId=abc-123", ""},
      {"endpoint", "messages?sessionId=1", "/api/v1/messages?sessionId=1", ""},
      {"endpoint", "../x", "/api/x", ""},
      {"endpoint", "  /m  ", "/m", ""},
      {"endpoint", "https://mcp.example.com/m?s=1", "/m?s=1", ""},
      {"endpoint", "https://MCP.example.com:443/m", "/m", ""},
      {"endpoint", "HTTPS://mcp.example.com/m", "/m", ""},
      {"endpoint", "?sessionId=2", "/api/v1/sse?sessionId=2", ""},
      {"endpoint", "//mcp.example.com/m", "/m", ""},
      // Elsewhere: the credential would follow the messages there.
      {"endpoint", "https://evil.example/m", "", "another origin"},
      {"endpoint", "//evil.example/m", "", "another origin"},
      {"endpoint", "http://mcp.example.com/m", "", "another origin"},
      {"endpoint", "https://mcp.example.com:8443/m", "", "another origin"},
      {"endpoint", "https://user@mcp.example.com/m", "", "not usable"},
      {"endpoint", "ftp://mcp.example.com/m", "", "not usable"},
      // Not an endpoint at all.
      {"endpoint", "", "", "does not hold a URI"},
      {"endpoint", "   ", "", "does not hold a URI"},
      {"endpoint", "/a b", "", "does not hold a URI"},
      {"", "/messages", "", "not `endpoint`"},
      {"message", R"({"jsonrpc":"2.0","method":"x"})", "", "not `endpoint`"},
      {"Endpoint", "/m", "", "not `endpoint`"},
  };
  for (const auto& r : table) {
    sse_event event{r.type, r.data, {}};
    const auto verdict = judge_endpoint_event(event, server);
    EXPECT_EQ(verdict.usable, !r.target.empty()) << r.type << " " << r.data << ": " << verdict.problem;
    EXPECT_EQ(verdict.target, r.target) << r.data;
    if (!r.problem_has.empty()) {
      EXPECT_NE(verdict.problem.find(r.problem_has), std::string::npos) << r.data << ": " << verdict.problem;
    }
  }
}

TEST(http_sse_rules, a_loopback_server_keeps_its_port) {
  const auto server = parse_endpoint("http://127.0.0.1:3001/sse");
  const auto verdict = judge_endpoint_event(sse_event{"endpoint", "/messages?sessionId=9", {}}, server);
  EXPECT_TRUE(verdict.usable) << verdict.problem;
  EXPECT_EQ(verdict.target, "/messages?sessionId=9");
  EXPECT_FALSE(judge_endpoint_event(sse_event{"endpoint", "http://127.0.0.1:3002/m", {}}, server).usable);
  EXPECT_FALSE(judge_endpoint_event(sse_event{"endpoint", "http://localhost:3001/m", {}}, server).usable);
}
