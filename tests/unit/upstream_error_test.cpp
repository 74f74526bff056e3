#include "awork_mcp/core/upstream_error.hpp"

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
