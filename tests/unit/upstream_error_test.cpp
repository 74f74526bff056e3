#include "awork_mcp/core/upstream_error.hpp"

#include "awork_mcp/core/endpoint.hpp"
#include "awork_mcp/core/jsonrpc.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <gtest/gtest.h>

using namespace awork_mcp;
namespace asio_error = boost::asio::error;

TEST(upstream_error, transport_error_table) {
  struct row {
    boost::system::error_code ec;
    exchange_stage stage;
    failure_kind expected;
  };
  const row rows[] = {
      {asio_error::host_not_found, exchange_stage::resolve, failure_kind::dns},
      {asio_error::host_not_found_try_again, exchange_stage::resolve, failure_kind::dns},
      {asio_error::connection_refused, exchange_stage::connect, failure_kind::connect},
      {asio_error::network_unreachable, exchange_stage::connect, failure_kind::connect},
      {boost::beast::error::timeout, exchange_stage::connect, failure_kind::timeout},
      {boost::beast::error::timeout, exchange_stage::read, failure_kind::timeout},
      {asio_error::connection_reset, exchange_stage::handshake, failure_kind::tls},
      {asio_error::connection_reset, exchange_stage::read, failure_kind::io},
  };
  for (const auto& r : rows) EXPECT_EQ(describe_transport_error(r.ec, r.stage).kind, r.expected) << r.ec.message();
}

TEST(upstream_error, messages_a_person_can_act_on) {
  auto awork = parse_endpoint("https://api.awork.com/api/v1/mcp");
  auto other = parse_endpoint("http://127.0.0.1:9/mcp");
  struct row {
    upstream_failure failure;
    const endpoint* server;
    int code;
    const char* must_contain;
  };
  const row rows[] = {
      {describe_http_status(401, "Unauthorized", "", "", {}), &awork, rpc_code::http_error, "AWORK_API_KEY"},
      {describe_http_status(401, "Unauthorized", "", "", {}), &other, rpc_code::http_error, "HTTP 401"},
      {describe_http_status(403, "Forbidden", "", "", {}), &awork, rpc_code::http_error, "permission"},
      {describe_http_status(404, "Not Found", "", "", {}), &other, rpc_code::http_error, "--url"},
      {describe_http_status(429, "Too Many Requests", "", "", std::chrono::seconds(7)), &awork, rpc_code::http_error, "in 7 s"},
      {describe_http_status(502, "Bad Gateway", "", "", {}), &other, rpc_code::http_error, "HTTP 502 Bad Gateway"},
      {{failure_kind::dns, "Host not found"}, &awork, rpc_code::connection_failed, "could not resolve api.awork.com"},
      {{failure_kind::connect, "Connection refused"}, &other, rpc_code::connection_failed, "Connection refused"},
      {{failure_kind::tls, "certificate verify failed"}, &awork, rpc_code::connection_failed, "--ca-file"},
      {{failure_kind::timeout, "timed out"}, &awork, rpc_code::request_timeout, "--request-timeout"},
      {{failure_kind::bad_body, "not JSON"}, &other, rpc_code::internal_error, "cannot read"},
  };
  for (const auto& r : rows) {
    auto e = to_rpc_error(r.failure, *r.server);
    EXPECT_EQ(e.code, r.code) << e.message;
    EXPECT_NE(e.message.find(r.must_contain), std::string::npos) << e.message;
  }
}

TEST(upstream_error, keeps_the_servers_jsonrpc_error) {
  auto f = describe_http_status(400, "Bad Request", "application/json; charset=utf-8",
                                R"({"jsonrpc":"2.0","id":null,"error":{"code":-32602,"message":"Invalid params","data":{"x":1}}})",
                                {});
  auto e = to_rpc_error(f, parse_endpoint("http://127.0.0.1/mcp"));
  EXPECT_EQ(e.code, -32602);
  EXPECT_EQ(e.message.rfind("Invalid params", 0), 0u) << e.message;
  EXPECT_EQ(e.data.at("httpStatus"), 400);
  EXPECT_EQ(e.data.at("serverData").at("x"), 1);
}

// What the server sent goes into the bridge's answer: it must stay one line of valid JSON
// whatever the bytes (a Latin-1 reason phrase, a number past a double's range, a code past int).
TEST(upstream_error, an_error_line_is_valid_json_whatever_the_server_sent) {
  struct row {
    const char* name;
    std::string reason, content_type, body;
    request_trace trace;
  } rows[] = {
      {"Latin-1 reason phrase", "Dienst nicht verf\xfcgbar", "text/plain", "busy", {}},
      {"Trace-Id not UTF-8", "Service Unavailable", "text/plain", "", {"abc\xff\xfe", "edge\xc3"}},
      {"error data 1e400", "Internal Server Error", "application/json",
       R"({"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"Internal error","data":{"limit":1e400,"nan":-1e999}}})", {}},
      {"error message not UTF-8 in data", "Bad", "application/json",
       R"({"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"m","data":["\u00e9"]}})", {}},
  };
  for (const auto& r : rows) {
    const auto failure = describe_http_status(503, r.reason, r.content_type, r.body, std::nullopt, r.trace);
    const auto error = to_rpc_error(failure, parse_endpoint("https://mcp.example/mcp"));
    const auto line = make_error_response(7, error.code, error.message, error.data);
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(line, ec);
    EXPECT_FALSE(ec) << r.name << ": " << line;
    EXPECT_EQ(line.find('\n'), std::string::npos) << r.name;
  }
  // A code that does not fit in an int is not wrapped into another (4294934528 is -32768 as int).
  const auto wrapped = describe_http_status(500, "", "application/json",
                                            R"({"jsonrpc":"2.0","id":1,"error":{"code":4294934528,"message":"m"}})", std::nullopt, {});
  EXPECT_NE(to_rpc_error(wrapped, parse_endpoint("https://mcp.example/mcp")).code, -32768);
}

TEST(upstream_error, uncertain_delivery_says_the_call_may_have_run) {
  auto e = to_rpc_error({failure_kind::uncertain, "end of stream"}, parse_endpoint("http://127.0.0.1/mcp"));
  EXPECT_EQ(e.code, rpc_code::connection_failed);
  EXPECT_NE(e.message.find("may or may not have run"), std::string::npos) << e.message;
}

TEST(upstream_error, error_data_never_shows_the_query) {
  auto e = to_rpc_error(describe_http_status(404, "Not Found", "", "", {}),
                        parse_endpoint("https://example.com/mcp?token=SECRET"));
  EXPECT_EQ(e.message.find("SECRET"), std::string::npos) << e.message;
  EXPECT_EQ(json::serialize(e.data).find("SECRET"), std::string::npos);
}

namespace {

constexpr const char* awork_validation_body = R"({
  "code": "validation-failed",
  "description": "The model sent in the request is invalid. See the validation errors for details.",
  "link": "https://developers.awork.com/#response-types",
  "details": ["Some more details about the error can go here."],
  "validationErrors": [
    {"property": "Name", "message": "'Name' should not be empty."},
    {"property": "DueOn", "message": "'Due On' must be after 'Start On'."}
  ],
  "traceId": "0HN7GKQ2B1S3D:00000001"
})";

}  // namespace

TEST(upstream_error, reads_service_error_bodies) {
  struct row {
    const char* name;
    const char* content_type;
    const char* body;
    bool expected;
    const char* description;
    std::size_t violations;
    const char* trace_id;
  };
  const row rows[] = {
      {"awork validation", "application/json; charset=utf-8", awork_validation_body, true,
       "The model sent in the request is invalid. See the validation errors for details.", 2, "0HN7GKQ2B1S3D:00000001"},
      {"awork without a trace id", "application/json",
       R"({"code":"not-found","description":"The requested resource could not be located.","link":"x"})", true,
       "The requested resource could not be located.", 0, ""},
      {"only a trace id (a 500)", "application/json", R"({"traceId":"abc-123"})", true, "", 0, "abc-123"},
      {"ASP.NET problem details", "application/problem+json",
       R"({"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.",)"
       R"("status":400,"errors":{"Name":["The Name field is required.","Too short."]},"traceId":"00-84c1-85d1-00"})",
       true, "One or more validation errors occurred.", 2, "00-84c1-85d1-00"},
      {"PascalCase", "application/json", R"({"Code":"x","Description":"Broken.","TraceId":"T1"})", true, "Broken.", 0, "T1"},
      {"bare strings as violations", "application/json", R"({"description":"Bad.","validationErrors":["one","two"]})", true,
       "Bad.", 2, ""},
      {"control characters are blanked", "application/json", "{\"description\":\"line\\none\\u001b[31m\"}", true,
       "line one [31m", 0, ""},
      // Not awork's shape: another server's words stay as they are handled today.
      {"another server's message", "application/json", R"({"message":"Too many requests"})", false, "", 0, ""},
      {"a JSON-RPC error", "application/json", R"({"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"x"}})", false, "", 0, ""},
      {"HTML", "text/html", "<h1>description</h1>", false, "", 0, ""},
      {"JSON but not an object", "application/json", R"(["description"])", false, "", 0, ""},
      {"not JSON", "application/json", "{description", false, "", 0, ""},
      {"description not a string", "application/json", R"({"description":42})", false, "", 0, ""},
  };
  for (const auto& r : rows) {
    auto parsed = parse_service_error(r.content_type, r.body);
    ASSERT_EQ(parsed.has_value(), r.expected) << r.name;
    if (!parsed) continue;
    EXPECT_EQ(parsed->description, r.description) << r.name;
    EXPECT_EQ(parsed->validation_errors.size(), r.violations) << r.name;
    EXPECT_EQ(parsed->trace_id, r.trace_id) << r.name;
  }
  auto awork = parse_service_error("application/json", awork_validation_body);
  ASSERT_TRUE(awork);
  EXPECT_EQ(awork->code, "validation-failed");
  EXPECT_EQ(awork->link, "https://developers.awork.com/#response-types");
  ASSERT_EQ(awork->details.size(), 1u);
  EXPECT_EQ(awork->validation_errors.at(1).property, "DueOn");
  EXPECT_EQ(awork->validation_errors.at(1).message, "'Due On' must be after 'Start On'.");
}

TEST(upstream_error, awork_errors_say_what_awork_said_and_which_trace_id_to_quote) {
  const auto awork = parse_endpoint("https://api.awork.com/api/v1/mcp");
  auto f = describe_http_status(422, "Unprocessable Entity", "application/json", awork_validation_body, {},
                                make_request_trace("4bf92f3577b34da6", "edge-ams-7"));
  ASSERT_TRUE(f.service);
  auto e = to_rpc_error(f, awork);
  EXPECT_EQ(e.code, rpc_code::http_error);
  const auto has = [&](const char* text) { return e.message.find(text) != std::string::npos; };
  EXPECT_EQ(e.message.rfind("The model sent in the request is invalid.", 0), 0u) << e.message;
  EXPECT_TRUE(has("Name: 'Name' should not be empty.")) << e.message;
  EXPECT_TRUE(has("DueOn: 'Due On' must be after 'Start On'.")) << e.message;
  EXPECT_TRUE(has("Some more details about the error can go here.")) << e.message;
  EXPECT_TRUE(has("awork refused the request (HTTP 422 Unprocessable Entity)")) << e.message;
  // The body's trace id is the one support knows; the header's is the same request seen by the edge.
  EXPECT_TRUE(has("quote trace id 0HN7GKQ2B1S3D:00000001 to awork support")) << e.message;
  EXPECT_EQ(e.data.at("traceId"), "0HN7GKQ2B1S3D:00000001");
  EXPECT_EQ(e.data.at("edgeRef"), "edge-ams-7");
  EXPECT_EQ(e.data.at("errorCode"), "validation-failed");
  EXPECT_EQ(e.data.at("link"), "https://developers.awork.com/#response-types");
  EXPECT_EQ(e.data.at("httpStatus"), 422);
  EXPECT_EQ(e.data.at("validationErrors").at(0).at("property"), "Name");
  EXPECT_EQ(e.data.at("validationErrors").at(0).at("message"), "'Name' should not be empty.");
}

TEST(upstream_error, a_trace_id_from_the_header_alone_is_quoted_too) {
  const auto awork = parse_endpoint("https://api.awork.com/api/v1/mcp");
  const auto other = parse_endpoint("http://127.0.0.1:9/mcp");
  // A gateway's HTML 502: no body to read, but the Trace-Id header.
  auto e = to_rpc_error(describe_http_status(502, "Bad Gateway", "text/html", "<h1>502</h1>", {},
                                             make_request_trace("trace-9", "")),
                        awork);
  EXPECT_NE(e.message.find("awork failed with a server error (HTTP 502 Bad Gateway); try again later; quote trace id "
                           "trace-9 to awork support"),
            std::string::npos)
      << e.message;
  EXPECT_EQ(e.data.at("traceId"), "trace-9");
  EXPECT_FALSE(e.data.contains("edgeRef"));
  // Another server: its own operator.
  e = to_rpc_error(describe_http_status(500, "Internal Server Error", "application/json", R"({"traceId":"t-500"})", {}),
                   other);
  EXPECT_NE(e.message.find("quote trace id t-500 to the server's operator"), std::string::npos) << e.message;
  // And a JSON-RPC error keeps its words, with the trace id after them.
  e = to_rpc_error(describe_http_status(400, "Bad Request", "application/json",
                                        R"({"jsonrpc":"2.0","id":null,"error":{"code":-32602,"message":"Unknown tool"}})",
                                        {}, make_request_trace("t-400", "")),
                   other);
  EXPECT_EQ(e.code, -32602);
  EXPECT_EQ(e.message.rfind("Unknown tool — ", 0), 0u) << e.message;
  EXPECT_NE(e.message.find("quote trace id t-400"), std::string::npos) << e.message;
}

TEST(upstream_error, other_servers_bodies_keep_todays_words) {
  const auto other = parse_endpoint("http://127.0.0.1:9/mcp");
  auto plain = to_rpc_error(describe_http_status(429, "Too Many Requests", "application/json",
                                                 R"({"message":"API rate limit exceeded"})", std::chrono::seconds(3)),
                            other);
  EXPECT_EQ(plain.message, "the MCP server is rate limiting requests (HTTP 429 Too Many Requests); retry in 3 s");
  EXPECT_FALSE(plain.data.contains("traceId"));
  EXPECT_FALSE(plain.data.contains("errorCode"));
}

TEST(upstream_error, long_service_errors_are_bounded) {
  std::string body = R"({"description":")" + std::string(5000, 'd') + R"(","validationErrors":[)";
  for (int i = 0; i < 80; ++i) body += (i ? "," : "") + std::string(R"({"property":"P)") + std::to_string(i) + R"(","message":"bad."})";
  body += "]}";
  auto f = describe_http_status(400, "Bad Request", "application/json", body, {});
  ASSERT_TRUE(f.service);
  EXPECT_LE(f.service->description.size(), 700u);
  EXPECT_EQ(f.service->validation_errors.size(), 50u);
  auto e = to_rpc_error(f, parse_endpoint("https://api.awork.com/api/v1/mcp"));
  EXPECT_NE(e.message.find("P9: bad."), std::string::npos) << e.message;
  EXPECT_EQ(e.message.find("P10: bad."), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("(and 40 more)"), std::string::npos) << e.message;
  EXPECT_LT(e.message.size(), 2000u);
}

TEST(upstream_error, trace_headers_for_log_lines) {
  EXPECT_EQ(trace_suffix(make_request_trace("", "")), "");
  EXPECT_EQ(trace_suffix(make_request_trace("abc", "")), " (Trace-Id: abc)");
  EXPECT_EQ(trace_suffix(make_request_trace("", "e1")), " (X-Edge-Ref: e1)");
  EXPECT_EQ(trace_suffix(make_request_trace(" abc ", "e1")), " (Trace-Id: abc, X-Edge-Ref: e1)");
  EXPECT_EQ(make_request_trace("a\r\nInjected: yes", "").trace_id, "a  Injected: yes");  // one log line, always
  EXPECT_LE(make_request_trace(std::string(1000, 'x'), "").trace_id.size(), 140u);
}
