#include "awork_mcp/core/endpoint.hpp"

#include <gtest/gtest.h>

using namespace awork_mcp;

TEST(endpoint, parse_table) {
  struct row {
    const char* url;
    bool tls;
    const char* host;
    const char* port;
    const char* target;
    const char* host_header;
    bool loopback;
    bool awork;
  };
  const row rows[] = {
      {"https://api.awork.com/api/v1/mcp", true, "api.awork.com", "443", "/api/v1/mcp", "api.awork.com", false, true},
      {"http://127.0.0.1:8080/mcp", false, "127.0.0.1", "8080", "/mcp", "127.0.0.1:8080", true, false},
      {"http://localhost/mcp?x=1", false, "localhost", "80", "/mcp?x=1", "localhost", true, false},
      {"https://[::1]:9443/", true, "::1", "9443", "/", "[::1]:9443", true, false},
      {"HTTPS://Example.COM", true, "example.com", "443", "/", "example.com", false, false},
      {"https://notawork.com/mcp", true, "notawork.com", "443", "/mcp", "notawork.com", false, false},
  };
  for (const auto& r : rows) {
    auto ep = parse_endpoint(r.url);
    EXPECT_EQ(ep.tls, r.tls) << r.url;
    EXPECT_EQ(ep.host, r.host) << r.url;
    EXPECT_EQ(ep.port, r.port) << r.url;
    EXPECT_EQ(ep.target, r.target) << r.url;
    EXPECT_EQ(ep.host_header(), r.host_header) << r.url;
    EXPECT_EQ(ep.is_loopback(), r.loopback) << r.url;
    EXPECT_EQ(ep.is_awork(), r.awork) << r.url;
  }
}

TEST(endpoint, rejects_bad_urls) {
  for (const char* url : {"ftp://x/y", "not a url", "https://user:pw@host/", "/relative", "http://localhost:omcp",
                          "http://h:/x", "http://h:0/x", "http://h:99999/x", "http:x"})
    EXPECT_THROW(parse_endpoint(url), std::invalid_argument) << url;
}

TEST(endpoint, display_hides_the_query_and_url_keeps_it) {
  auto ep = parse_endpoint("https://example.com:8443/mcp?token=SECRET");
  EXPECT_EQ(ep.display(), "https://example.com:8443/mcp?…");
  EXPECT_EQ(ep.url(), "https://example.com:8443/mcp?token=SECRET");
  EXPECT_EQ(ep.origin(), "https://example.com:8443");
  EXPECT_EQ(parse_endpoint("https://example.com/mcp").display(), "https://example.com/mcp");
}
