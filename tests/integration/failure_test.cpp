// Every request gets one answer, even when the server or the network fails.

#include "mcp_fixture.hpp"

#include <boost/asio.hpp>

#include <thread>

using namespace std::chrono_literals;

namespace {
std::string error_message(const json::value& response) {
  return json::value_to<std::string>(response.at("error").at("message"));
}
bool fails_tools_call(const json::object& msg) { return msg.contains("method") && msg.at("method") == "tools/call"; }
}  // namespace

TEST_F(bridge_test, http_5xx_becomes_an_error_with_the_status) {
  mcp.on_post = [](const auto&, server_reply& reply, const json::object& msg) {
    if (!fails_tools_call(msg)) return false;
    reply.json(502, "<html>bad gateway</html>", {{"Content-Type", "text/html"}});
    return true;
  };
  start_bridge();
  handshake();
  bridge->send(request_line("a", "tools/call", {{"name", "x"}}));
  auto response = read_response("a");
  EXPECT_EQ(response.at("error").at("code"), -32003);
  EXPECT_EQ(response.at("error").at("data").at("httpStatus"), 502);
  EXPECT_NE(error_message(response).find("HTTP 502"), std::string::npos) << response;
  bridge->send(request_line("b", "ping"));
  EXPECT_TRUE(read_response("b").as_object().contains("result")) << "the bridge must keep going";
}

TEST_F(bridge_test, http_401_and_403_say_what_to_check) {
  mcp.on_post = [](const auto&, server_reply& reply, const json::object& msg) {
    if (!fails_tools_call(msg)) return false;
    auto name = msg.at("params").at("name");
    reply.empty(name == "unauthorized" ? 401 : 403);
    return true;
  };
  start_bridge({}, {{"AWORK_API_KEY", "a-key"}});  // with a key, a 401 is about that key
  handshake();
  bridge->send(request_line(1401, "tools/call", {{"name", "unauthorized"}}));
  EXPECT_NE(error_message(read_response(1401)).find("rejected the credential (HTTP 401"), std::string::npos);
  bridge->send(request_line(1403, "tools/call", {{"name", "forbidden"}}));
  EXPECT_NE(error_message(read_response(1403)).find("denied permission (HTTP 403"), std::string::npos);
}

TEST_F(bridge_test, jsonrpc_error_in_an_http_error_body_is_kept) {
  mcp.on_post = [](const auto&, server_reply& reply, const json::object& msg) {
    if (!fails_tools_call(msg)) return false;
    reply.json(400, R"({"jsonrpc":"2.0","id":null,"error":{"code":-32602,"message":"Unknown tool: nope"}})",
               {{"Content-Type", "application/json; charset=utf-8"}});
    return true;
  };
  start_bridge();
  handshake();
  bridge->send(request_line(8, "tools/call", {{"name", "nope"}}));
  auto response = read_response(8);
  EXPECT_EQ(response.at("id"), 8);
  EXPECT_EQ(response.at("error").at("code"), -32602);
  EXPECT_EQ(error_message(response).rfind("Unknown tool: nope", 0), 0u) << response;
}

TEST_F(bridge_test, rate_limit_429_waits_ratelimit_reset_and_retries) {
  std::atomic<int> calls{0};
  mcp.on_post = [&](const auto&, server_reply& reply, const json::object& msg) {
    if (!fails_tools_call(msg)) return false;
    if (++calls == 1) {
      reply.json(429, R"({"message":"Too many requests"})", {{"ratelimit-reset", "1"}});
      return true;
    }
    return false;
  };
  start_bridge();
  handshake();
  auto start = std::chrono::steady_clock::now();
  bridge->send(request_line(9, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "later"}}}}));
  auto response = read_response(9);
  EXPECT_EQ(response.at("result").at("content").at(0).at("text"), "later");
  EXPECT_GE(std::chrono::steady_clock::now() - start, 900ms);
  EXPECT_EQ(calls, 2);
}

TEST_F(bridge_test, rate_limit_longer_than_max_retry_wait_is_reported) {
  mcp.on_post = [&](const auto&, server_reply& reply, const json::object& msg) {
    if (!fails_tools_call(msg)) return false;
    reply.json(429, "{}", {{"ratelimit-reset", "60"}});
    return true;
  };
  start_bridge({"--max-retry-wait", "5"});
  handshake();
  bridge->send(request_line(9, "tools/call", {{"name", "x"}}));
  auto response = read_response(9);
  EXPECT_EQ(response.at("error").at("data").at("httpStatus"), 429);
  EXPECT_NE(error_message(response).find("retry in 60 s"), std::string::npos) << response;
}

TEST_F(bridge_test, request_timeout_answers_with_a_timeout_error) {
  mcp.on_post = [](const auto&, server_reply& reply, const json::object& msg) {
    if (!fails_tools_call(msg)) return false;
    std::this_thread::sleep_for(2s);
    reply.cut();
    return true;
  };
  start_bridge({"--request-timeout", "0.5"});
  handshake();
  auto start = std::chrono::steady_clock::now();
  bridge->send(request_line(12, "tools/call", {{"name", "hang"}}));
  auto response = read_response(12);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1800ms);
  EXPECT_EQ(response.at("error").at("code"), -32001);
  EXPECT_NE(error_message(response).find("did not answer in time"), std::string::npos) << response;
}

TEST_F(bridge_test, connection_refused_is_explained) {
  // A port that was just free: bind, note the port, close.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  auto port = probe.local_endpoint().port();
  probe.close();
  bridge_process::options opts;
  opts.args = {"--url", "http://127.0.0.1:" + std::to_string(port) + "/mcp"};
  bridge = std::make_unique<bridge_process>(opts);
  bridge->send(initialize_line(1));
  auto response = read_response(1);
  EXPECT_EQ(response.at("error").at("code"), -32000);
  EXPECT_NE(error_message(response).find("could not connect to 127.0.0.1:" + std::to_string(port)), std::string::npos)
      << response;
  EXPECT_NE(error_message(response).find("refused"), std::string::npos) << response;
}

TEST_F(bridge_test, unparsable_body_is_an_error_not_a_hang) {
  mcp.on_post = [](const auto&, server_reply& reply, const json::object& msg) {
    if (!fails_tools_call(msg)) return false;
    reply.json(200, "{not json");
    return true;
  };
  start_bridge();
  handshake();
  bridge->send(request_line(13, "tools/call", {{"name", "x"}}));
  auto response = read_response(13);
  EXPECT_EQ(response.at("error").at("code"), -32603);
  EXPECT_NE(error_message(response).find("cannot read"), std::string::npos) << response;
}

TEST_F(bridge_test, accepted_202_for_a_request_still_gets_an_answer) {
  mcp.on_post = [](const auto&, server_reply& reply, const json::object& msg) {
    if (!fails_tools_call(msg)) return false;
    reply.empty(202);
    return true;
  };
  start_bridge();
  handshake();
  bridge->send(request_line(14, "tools/call", {{"name", "x"}}));
  auto response = read_response(14);
  EXPECT_NE(error_message(response).find("sent no response"), std::string::npos) << response;
}

TEST_F(bridge_test, failed_notification_is_logged_not_printed) {
  mcp.on_post = [](const auto&, server_reply& reply, const json::object& msg) {
    if (msg.contains("method") && msg.at("method") == "notifications/cancelled") {
      reply.empty(500);
      return true;
    }
    return false;
  };
  start_bridge();
  handshake();
  bridge->send(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}})");
  ASSERT_TRUE(server->wait_for([](const recorded_request& r) { return r.body.find("cancelled") != std::string::npos; }));
  bridge->send(request_line(15, "ping"));
  EXPECT_EQ(read_json().at("id"), 15);
  bridge->close_stdin();
  bridge->wait();
  EXPECT_NE(bridge->stderr_text().find("notifications/cancelled"), std::string::npos) << bridge->stderr_text();
}

TEST_F(bridge_test, the_credential_never_appears_in_logs) {
  const std::string secret = "sk-very-secret-4711";
  start_bridge({"--log-level", "trace", "--header", "X-Api-Key: other-secret-0815"}, {{"AWORK_API_KEY", secret}});
  handshake();
  bridge->send(request_line(2, "ping"));
  read_response(2);
  bridge->close_stdin();
  bridge->wait();
  auto log = bridge->stderr_text();
  EXPECT_NE(log.find("POST"), std::string::npos) << "trace logging did not run";
  EXPECT_EQ(log.find(secret), std::string::npos);
  EXPECT_EQ(log.find("other-secret-0815"), std::string::npos);
  EXPECT_EQ(posts_with_method("ping").at(0).header("Authorization"), "Bearer " + secret);
}

namespace {

// An awork error object as awork documents it, with the traceId support asks for.
const std::string awork_validation_error = R"({"code":"validation-failed",)"
                                           R"("description":"The model sent in the request is invalid. See the validation errors for details.",)"
                                           R"("link":"https://developers.awork.com/#response-types",)"
                                           R"("validationErrors":[{"property":"Name","message":"'Name' should not be empty."},)"
                                           R"({"property":"DueOn","message":"'Due On' must be after 'Start On'."}],)"
                                           R"("traceId":"0HN7GKQ2B1S3D:00000001"})";

}  // namespace

TEST_F(bridge_test, awork_errors_reach_the_editor_with_their_description_violations_and_trace_id) {
  mcp.on_post = [](const auto&, server_reply& reply, const json::object& msg) {
    if (!fails_tools_call(msg)) return false;
    const auto name = msg.at("params").at("name");
    if (name == "validate")
      reply.json(422, awork_validation_error,
                 {{"Content-Type", "application/json; charset=utf-8"}, {"Trace-Id", "4bf92f3577b34da6a3ce929d0e0e4736"},
                  {"X-Edge-Ref", "Ref A: 1F2E3D Ref B: AMS231 Ref C: 2026-05-28T10:00:00Z"}});
    else if (name == "bad")
      reply.json(400, R"({"code":"invalid-operation","description":"The task list is archived.","validationErrors":[]})");
    else
      reply.json(500, R"({"code":"internal","description":"Something went wrong.","traceId":"trace-500-body"})",
                 {{"Trace-Id", "trace-500-body"}, {"X-Edge-Ref", "edge-500"}});
    return true;
  };
  start_bridge();
  handshake();

  bridge->send(request_line(31, "tools/call", {{"name", "validate"}}));
  auto response = read_response(31);
  auto message = error_message(response);
  EXPECT_EQ(response.at("error").at("code"), -32003);
  EXPECT_EQ(message.rfind("The model sent in the request is invalid.", 0), 0u) << message;
  EXPECT_NE(message.find("Name: 'Name' should not be empty."), std::string::npos) << message;
  EXPECT_NE(message.find("DueOn: 'Due On' must be after 'Start On'."), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 422"), std::string::npos) << message;
  EXPECT_NE(message.find("quote trace id 0HN7GKQ2B1S3D:00000001"), std::string::npos) << message;
  const auto& data = response.at("error").at("data");
  EXPECT_EQ(data.at("traceId"), "0HN7GKQ2B1S3D:00000001");
  EXPECT_EQ(data.at("errorCode"), "validation-failed");
  EXPECT_EQ(data.at("link"), "https://developers.awork.com/#response-types");
  EXPECT_EQ(data.at("validationErrors").at(1).at("property"), "DueOn");
  EXPECT_EQ(data.at("edgeRef"), "Ref A: 1F2E3D Ref B: AMS231 Ref C: 2026-05-28T10:00:00Z");
  EXPECT_EQ(data.at("httpStatus"), 422);

  bridge->send(request_line(32, "tools/call", {{"name", "bad"}}));
  response = read_response(32);
  message = error_message(response);
  EXPECT_EQ(message.rfind("The task list is archived. — ", 0), 0u) << message;
  EXPECT_NE(message.find("refused the request (HTTP 400"), std::string::npos) << message;
  EXPECT_EQ(message.find("trace id"), std::string::npos) << message;  // none was given
  EXPECT_EQ(response.at("error").at("data").at("errorCode"), "invalid-operation");

  bridge->send(request_line(33, "tools/call", {{"name", "crash"}}));
  response = read_response(33);
  message = error_message(response);
  EXPECT_EQ(message.rfind("Something went wrong. — ", 0), 0u) << message;
  EXPECT_NE(message.find("server error (HTTP 500"), std::string::npos) << message;
  EXPECT_NE(message.find("quote trace id trace-500-body"), std::string::npos) << message;
  EXPECT_EQ(response.at("error").at("data").at("traceId"), "trace-500-body");

  bridge->close_stdin();
  bridge->wait();
  // Every failure is in the log with the headers support can look the request up by.
  const auto log = bridge->stderr_text();
  EXPECT_NE(log.find("HTTP 422 Unprocessable Entity (Trace-Id: 4bf92f3577b34da6a3ce929d0e0e4736, X-Edge-Ref: Ref A: 1F2E3D"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("HTTP 400 Bad Request"), std::string::npos) << log;
  EXPECT_NE(log.find("HTTP 500 Internal Server Error (Trace-Id: trace-500-body, X-Edge-Ref: edge-500)"), std::string::npos)
      << log;
}

TEST_F(bridge_test, a_jsonrpc_error_in_a_200_reply_passes_byte_for_byte) {
  // The MCP server's own answer: the bridge describes HTTP failures only, never rewrites answers.
  const std::string answer =
      R"({"jsonrpc":"2.0","id":34,"error":{"code":-32602,"message":"Invalid params: Name",)"
      R"("data":{"code":"validation-failed","description":"d","traceId":"t-34","n":1.0,"e":"\u00e9"}}})";
  mcp.on_post = [&](const auto&, server_reply& reply, const json::object& msg) {
    if (!fails_tools_call(msg)) return false;
    reply.json(200, answer, {{"Trace-Id", "t-34"}});
    return true;
  };
  start_bridge();
  handshake();
  bridge->send(request_line(34, "tools/call", {{"name", "x"}}));
  auto line = bridge->read_until([](const std::string& l) { return l.find(R"("id":34)") != std::string::npos; });
  ASSERT_TRUE(line);
  EXPECT_EQ(*line, answer);
}
