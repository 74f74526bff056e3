#include "awork_mcp/core/proxy.hpp"

#include <gtest/gtest.h>

#include <map>

using namespace awork_mcp;

namespace {
std::function<const char*(const char*)> env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}
}  // namespace

TEST(proxy, parse_table) {
  auto p = parse_proxy("http://proxy.corp:3128");
  EXPECT_EQ(p.host, "proxy.corp");
  EXPECT_EQ(p.port, "3128");
  EXPECT_EQ(p.authorization, "");
  EXPECT_EQ(parse_proxy("proxy.corp:8080").port, "8080");
  EXPECT_EQ(parse_proxy("http://proxy.corp").port, "80");
  EXPECT_EQ(parse_proxy("http://alice:s3cret@proxy:1").authorization, "Basic YWxpY2U6czNjcmV0");
  EXPECT_THROW(parse_proxy("https://proxy:443"), std::invalid_argument);
  EXPECT_THROW(parse_proxy("http://"), std::invalid_argument);
}

TEST(proxy, no_proxy_table) {
  struct row {
    const char* host;
    const char* no_proxy;
    bool bypass;
  };
  const row rows[] = {
      {"api.awork.com", "awork.com", true},       {"api.awork.com", ".awork.com", true},
      {"awork.com", ".awork.com", true},          {"notawork.com", "awork.com", false},
      {"api.awork.com", "example.com, *", true},  {"127.0.0.1", "localhost,127.0.0.1", true},
      {"api.awork.com", "api.awork.com:443", true}, {"api.awork.com", "", false},
      {"api.awork.com", " , other.org ", false},
  };
  for (const auto& r : rows) EXPECT_EQ(bypasses_proxy(r.host, r.no_proxy), r.bypass) << r.host << " / " << r.no_proxy;
}

TEST(proxy, chosen_from_the_environment_like_curl) {
  auto awork = parse_endpoint("https://api.awork.com/api/v1/mcp");
  auto plain = parse_endpoint("http://127.0.0.1:9/mcp");
  EXPECT_FALSE(proxy_for(awork, std::nullopt, env_of({})));
  EXPECT_EQ(proxy_for(awork, std::nullopt, env_of({{"HTTPS_PROXY", "http://p:1"}}))->host, "p");
  EXPECT_EQ(proxy_for(awork, std::nullopt, env_of({{"https_proxy", "http://lower:1"}, {"HTTPS_PROXY", "http://upper:1"}}))->host,
            "lower");
  EXPECT_FALSE(proxy_for(awork, std::nullopt, env_of({{"HTTP_PROXY", "http://p:1"}})));
  // httpoxy: curl ignores upper-case HTTP_PROXY (a CGI server sets it from a request header).
  EXPECT_FALSE(proxy_for(plain, std::nullopt, env_of({{"HTTP_PROXY", "http://p:2"}})));
  EXPECT_EQ(proxy_for(plain, std::nullopt, env_of({{"http_proxy", "http://p:2"}}))->port, "2");
  EXPECT_FALSE(proxy_for(awork, std::nullopt, env_of({{"HTTPS_PROXY", "http://p:1"}, {"NO_PROXY", "awork.com"}})));
  EXPECT_EQ(proxy_for(awork, std::string("http://explicit:3"), env_of({{"HTTPS_PROXY", "http://p:1"}}))->host, "explicit");
  EXPECT_FALSE(proxy_for(awork, std::string(""), env_of({{"HTTPS_PROXY", "http://p:1"}})));
}

TEST(proxy, errors_never_repeat_the_password) {
  for (const char* url : {"http://user:Pa55word@[bad", "http://user:Pa55word@", "ftp://user:Pa55word@host:1"}) {
    try {
      parse_proxy(url);
      ADD_FAILURE() << "accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).find("Pa55word"), std::string::npos) << e.what();
    }
  }
}

TEST(proxy, the_choice_names_the_variable_that_made_it) {
  const auto https = parse_endpoint("https://api.awork.com/mcp");
  const auto http = parse_endpoint("http://127.0.0.1:9/mcp");
  struct row {
    const endpoint* target;
    std::optional<std::string> explicit_proxy;
    std::map<std::string, std::string> env;
    std::optional<std::string> host;  // of the proxy chosen
    std::string variable;
  };
  const row rows[] = {
      {&https, std::nullopt, {}, std::nullopt, ""},
      {&https, std::nullopt, {{"HTTPS_PROXY", "http://p1:1"}}, "p1", "HTTPS_PROXY"},
      {&https, std::nullopt, {{"HTTPS_PROXY", "http://p1:1"}, {"https_proxy", "http://p2:1"}}, "p2", "https_proxy"},
      {&https, std::nullopt, {{"HTTPS_PROXY", "http://p1:1"}, {"NO_PROXY", "awork.com"}}, std::nullopt, "NO_PROXY"},
      {&https, std::nullopt, {{"HTTPS_PROXY", "http://p1:1"}, {"no_proxy", "other.com"}}, "p1", "HTTPS_PROXY"},
      {&https, std::string("http://p3:1"), {{"HTTPS_PROXY", "http://p1:1"}}, "p3", ""},
      {&https, std::string(""), {{"HTTPS_PROXY", "http://p1:1"}}, std::nullopt, ""},
      {&http, std::nullopt, {{"HTTP_PROXY", "http://p1:1"}}, std::nullopt, ""},  // httpoxy: never HTTP_PROXY
      {&http, std::nullopt, {{"http_proxy", "http://p4:1"}}, "p4", "http_proxy"},
  };
  for (const auto& r : rows) {
    const auto choice = choose_proxy(*r.target, r.explicit_proxy, env_of(r.env));
    SCOPED_TRACE(r.target->display() + " explicit=" + r.explicit_proxy.value_or("(none)"));
    EXPECT_EQ(choice.proxy ? std::optional(choice.proxy->host) : std::nullopt, r.host);
    EXPECT_EQ(choice.variable, r.variable);
    EXPECT_EQ(proxy_for(*r.target, r.explicit_proxy, env_of(r.env)).has_value(), r.host.has_value());
  }
}
