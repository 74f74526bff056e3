#include "awork_mcp/core/request_builder.hpp"

#include "awork_mcp/version.hpp"

#include <boost/beast/http/parser.hpp>
#include <gtest/gtest.h>

using namespace awork_mcp;
namespace http = boost::beast::http;

namespace {
request_builder builder(header_list extra = {}) { return request_builder(parse_endpoint("https://api.awork.com/api/v1/mcp"), extra); }
std::string field(const http_request& r, std::string_view name) {
  auto it = r.find(name);
  return it == r.end() ? std::string{} : std::string(it->value());
}
}  // namespace

TEST(request_builder, post_before_initialize_has_no_session_headers) {
  auto req = builder().post("{}", {}, std::string("Bearer k"));
  EXPECT_EQ(req.method(), http::verb::post);
  EXPECT_EQ(req.target(), "/api/v1/mcp");
  EXPECT_EQ(field(req, "Host"), "api.awork.com");
  EXPECT_EQ(field(req, "Accept"), "application/json, text/event-stream");
  EXPECT_EQ(field(req, "Content-Type"), "application/json");
  EXPECT_EQ(field(req, "Authorization"), "Bearer k");
  EXPECT_EQ(field(req, "User-Agent"), user_agent);
  EXPECT_EQ(field(req, "Content-Length"), "2");
  EXPECT_EQ(req.count("Mcp-Session-Id"), 0u);
  EXPECT_EQ(req.count("MCP-Protocol-Version"), 0u);
}

TEST(request_builder, session_headers_and_no_authorization) {
  auto req = builder().post("{}", {"sess-1", "2025-06-18"}, std::nullopt);
  EXPECT_EQ(field(req, "Mcp-Session-Id"), "sess-1");
  EXPECT_EQ(field(req, "MCP-Protocol-Version"), "2025-06-18");
  EXPECT_EQ(req.count(http::field::authorization), 0u);
}

TEST(request_builder, get_stream_and_resume) {
  auto open = builder().get_stream({"s", "2025-11-25"}, std::nullopt, std::nullopt);
  EXPECT_EQ(open.method(), http::verb::get);
  EXPECT_EQ(field(open, "Accept"), "text/event-stream");
  EXPECT_EQ(open.count("Last-Event-ID"), 0u);
  auto resume = builder().get_stream({"s", "2025-11-25"}, std::nullopt, std::string("ev-9"));
  EXPECT_EQ(field(resume, "Last-Event-ID"), "ev-9");
  auto end = builder().end_session({"s", "2025-11-25"}, std::nullopt);
  EXPECT_EQ(end.method(), http::verb::delete_);
  EXPECT_EQ(field(end, "Mcp-Session-Id"), "s");
}

TEST(request_builder, extra_headers_are_added) {
  auto req = builder({{"X-Workspace", "w1"}}).post("{}", {}, std::nullopt);
  EXPECT_EQ(field(req, "X-Workspace"), "w1");
}

TEST(request_builder, header_argument_table) {
  EXPECT_EQ(parse_header_arg("X-A: b c"), (std::pair<std::string, std::string>{"X-A", "b c"}));
  EXPECT_EQ(parse_header_arg("X-A:b"), (std::pair<std::string, std::string>{"X-A", "b"}));
  for (const char* bad : {"no colon", ": v", "Bad Name: v", "X: a\r\nInjected: 1", "Host: evil", "Content-Length: 3"})
    EXPECT_THROW(parse_header_arg(bad), std::invalid_argument) << bad;
}

TEST(request_builder, redacted_head_masks_every_secret) {
  // Every --header value is masked, whatever its name: a name says nothing about the value.
  auto b = builder({{"X-Api-Key", "secret-2"}, {"X-Trace", "secret-3"}, {"Accept", "secret-4"}});
  auto req = b.post("{}", {"sess-1", "2025-11-25"}, std::string("Bearer secret-1"));
  auto text = b.redacted_head(req);
  for (const char* secret : {"secret-1", "secret-2", "secret-3", "secret-4"})
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in " << text;
  EXPECT_NE(text.find("2025-11-25"), std::string::npos) << text;
  EXPECT_NE(text.find("User-Agent: awork-mcp-bridge/"), std::string::npos) << text;
}

TEST(request_builder, redacted_head_hides_the_query) {
  request_builder b(parse_endpoint("https://example.com/mcp?token=SECRET"), {});
  auto text = b.redacted_head(b.post("{}", {}, std::nullopt));
  EXPECT_EQ(text.find("SECRET"), std::string::npos) << text;
  EXPECT_NE(text.find("/mcp?…"), std::string::npos) << text;
}

TEST(request_builder, serializer_refuses_line_breaks_and_nul_in_any_value) {
  for (std::string bad : {std::string("2025-06-18\r\nX-Injected: yes"), std::string("a\nb"), std::string("a\0b", 3)}) {
    auto req = builder({}).post("{}", {"s", bad}, std::nullopt);
    EXPECT_FALSE(serialize_head(req)) << bad;
  }
  EXPECT_TRUE(serialize_head(builder({}).post("{}", {"s", "2025-06-18"}, std::nullopt)));
}

TEST(request_builder, credentials_stay_with_the_configured_origin) {
  auto b = builder({{"X-Custom", "v"}});
  b.retarget(parse_endpoint("https://api.awork.com/api/v1/mcp/"), true);
  auto same = b.post("{}", {}, std::string("Bearer k"));
  EXPECT_EQ(same[http::field::authorization], "Bearer k");
  EXPECT_EQ(same["X-Custom"], "v");
  EXPECT_EQ(same.target(), "/api/v1/mcp/");
  b.retarget(parse_endpoint("https://elsewhere.example/mcp"), false);
  auto other = b.post("{}", {}, std::string("Bearer k"));
  EXPECT_EQ(other.count(http::field::authorization), 0u);
  EXPECT_EQ(other.count("X-Custom"), 0u);
  EXPECT_EQ(other[http::field::host], "elsewhere.example");
  b.retarget(parse_endpoint("https://api.awork.com/api/v1/mcp"), true);  // never regained
  EXPECT_EQ(b.post("{}", {}, std::string("Bearer k")).count(http::field::authorization), 0u);
}

TEST(request_builder, media_type_table) {
  EXPECT_EQ(media_type("application/json"), "application/json");
  EXPECT_EQ(media_type("Application/JSON; charset=utf-8"), "application/json");
  EXPECT_EQ(media_type(" text/event-stream ;x=y"), "text/event-stream");
  EXPECT_EQ(media_type(""), "");
}

TEST(request_builder, serialized_head_is_what_beast_would_send) {
  auto req = builder({{"X-A", "1"}}).post("{\"x\":1}", {"s-1", "2025-11-25"}, std::string("Bearer k"));
  auto head = serialize_head(req).value();
  EXPECT_EQ(head.rfind("POST /api/v1/mcp HTTP/1.1\r\n", 0), 0u) << head;
  EXPECT_EQ(head.substr(head.size() - 4), "\r\n\r\n");
  // Parse it back with Beast: every field must survive.
  http::request_parser<http::string_body> parser;
  boost::system::error_code ec;
  std::string wire = head + req.body();
  parser.put(boost::asio::buffer(wire), ec);
  ASSERT_FALSE(ec) << ec.message();
  ASSERT_TRUE(parser.is_header_done());
  auto& parsed = parser.get();
  for (const auto& field : req) EXPECT_EQ(parsed[field.name_string()], field.value()) << field.name_string();
  EXPECT_EQ(parsed[http::field::content_length], "7");
}
