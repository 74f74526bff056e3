// Delivery: a call is never run twice, every request gets exactly one answer (even when the
// client misbehaves or the bridge is stopped mid-line), and broken streams resume on time.

#include "mcp_fixture.hpp"

#include <csignal>

using namespace std::chrono_literals;
using test_support::sse_event;

namespace {
// Every line with this id that is an answer (not a request from the server).
std::size_t answers_with_id(const std::vector<json::value>& lines, const json::value& id) {
  std::size_t n = 0;
  for (const auto& v : lines)
    if (v.is_object() && v.as_object().contains("id") && v.at("id") == id && !v.as_object().contains("method")) ++n;
  return n;
}
}  // namespace

TEST_F(bridge_test, tools_call_cut_after_it_was_read_on_a_reused_connection_is_not_sent_again) {
  mcp.on_post = [](const auto&, server_reply& reply, const json::object& msg) {
    if (!has_method(msg, "tools/call")) return false;
    reply.cut();  // the server read the whole request, may have run it, and never answers
    return true;
  };
  start_bridge();
  handshake();
  bridge->send(request_line(2, "ping"));  // leaves a proven keep-alive connection in the pool
  ASSERT_TRUE(read_response(2).as_object().contains("result"));
  bridge->send(request_line(3, "tools/call", {{"name", "transfer"}, {"arguments", {{"message", "once"}}}}));
  auto response = read_response(3);
  auto calls = posts_with_method("tools/call");
  ASSERT_FALSE(calls.empty());
  EXPECT_GT(calls[0].on_connection, 0u) << "premise: the call must go out on a reused keep-alive connection";
  EXPECT_EQ(calls.size(), 1u) << "a tools/call the server had read was sent again";
  EXPECT_EQ(response.at("error").at("code"), -32000) << response;
  EXPECT_NE(message_of(response).find("may or may not have run"), std::string::npos) << response;

  std::vector<json::value> before;
  bridge->send(request_line(4, "ping"));
  read_response(4, 5s, &before);
  EXPECT_EQ(answers_with_id(before, 3), 0u) << "a second answer for id 3";
  EXPECT_EQ(posts_with_method("tools/call").size(), 1u);
}

TEST_F(bridge_test, tools_list_cut_after_it_was_read_on_a_reused_connection_is_retried) {
  std::atomic<int> lists{0};
  mcp.on_post = [&](const auto&, server_reply& reply, const json::object& msg) {
    if (!has_method(msg, "tools/list")) return false;
    if (++lists == 1) {
      reply.cut();
      return true;
    }
    fake_mcp::answer(reply, msg.at("id"), json::object{{"tools", json::array{}}}, false);
    return true;
  };
  start_bridge();
  handshake();
  bridge->send(request_line(2, "ping"));
  ASSERT_TRUE(read_response(2).as_object().contains("result"));
  bridge->send(request_line(3, "tools/list"));
  auto response = read_response(3);
  EXPECT_TRUE(response.at("result").at("tools").is_array()) << response;
  auto list_posts = posts_with_method("tools/list");
  ASSERT_EQ(list_posts.size(), 2u);
  EXPECT_GT(list_posts[0].on_connection, 0u) << "premise: the first try went out on a reused connection";
}

TEST_F(bridge_test, line_over_max_line_bytes_is_answered_with_its_own_id) {
  start_bridge({"--max-line-bytes", "1024"});
  handshake();
  bridge->send(R"({"jsonrpc":"2.0","id":77,"method":"tools/call","params":{"pad":")" + std::string(20000, 'x') + "\"}}");
  auto response = read_json();
  EXPECT_EQ(response.at("id"), 77) << "the client cannot match an error with id null to its request";
  EXPECT_EQ(response.at("error").at("code"), -32600);
  EXPECT_NE(message_of(response).find("--max-line-bytes"), std::string::npos) << response;
  EXPECT_TRUE(posts_with_method("tools/call").empty());
  bridge->send(request_line(78, "ping"));
  EXPECT_TRUE(read_response(78).as_object().contains("result"));
}

// The kept prefix of an over-long line is 4 KiB; an id after it is still found (read as the line
// streams by) and answered.
TEST_F(bridge_test, line_over_max_line_bytes_with_its_id_at_the_end_is_answered_with_that_id) {
  start_bridge({"--max-line-bytes", "1024"});
  handshake();
  bridge->send(R"({"jsonrpc":"2.0","method":"tools/call","params":{"pad":")" + std::string(200000, 'x') + R"("},"id":"late-79"})");
  auto response = read_json();
  EXPECT_EQ(response.at("id"), "late-79") << response;
  EXPECT_EQ(response.at("error").at("code"), -32600);
  EXPECT_TRUE(posts_with_method("tools/call").empty());
}

// MCP ids are strings or integers: 2^64 is neither a 64-bit integer nor safely a double. The
// refusal carries it back exactly as written, which is how the client matches it.
TEST_F(bridge_test, a_request_id_beyond_64_bits_is_refused_with_its_own_spelling) {
  start_bridge();
  handshake();
  bridge->send(R"({"jsonrpc":"2.0","id":18446744073709551616,"method":"ping"})");
  auto line = bridge->read_line();
  ASSERT_TRUE(line);
  EXPECT_EQ(line->rfind(R"({"jsonrpc":"2.0","id":18446744073709551616,"error":{"code":-32600,)", 0), 0u) << *line;
  EXPECT_NE(line->find("64 bits"), std::string::npos) << *line;
  EXPECT_TRUE(posts_with_method("ping").empty());
}

TEST_F(bridge_test, client_id_that_looks_internal_still_gets_its_own_answer_during_renewal) {
  start_bridge();
  handshake();
  bridge->send(request_line(2, "ping"));
  read_response(2);
  mcp.forget_sessions = true;
  const json::value id = "awork-mcp-reinitialize-1";
  bridge->send(request_line(id, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "mine"}}}}));
  std::vector<json::value> before;
  auto response = read_response(id, 5s, &before);
  ASSERT_TRUE(response.is_object()) << "the client's request was never answered";
  EXPECT_EQ(response.at("result").at("content").at(0).at("text"), "mine") << response;
  EXPECT_EQ(answers_with_id(before, id), 0u);
  EXPECT_EQ(mcp.initialize_count, 2) << "premise: the session was renewed";

  bridge->send(request_line(3, "ping"));
  before.clear();
  read_response(3, 5s, &before);
  EXPECT_EQ(answers_with_id(before, id), 0u) << "a second answer for the client's id";
}

TEST_F(bridge_test, sigterm_never_forwards_a_line_without_its_newline) {
  start_bridge();
  handshake();
  bridge->send(request_line(2, "ping"));
  read_response(2);
  // A complete JSON text, but the editor has not finished the line yet.
  bridge->send_raw(R"({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"echo","arguments":{"message":"half-line"}}})");
  // The bridge answers nothing to half a line; its sign of having read the bytes is the empty pipe.
  ASSERT_TRUE(bridge->wait_stdin_read(5s)) << "premise: the bridge read the half line before the signal";
  bridge->signal(SIGTERM);
  EXPECT_EQ(bridge->wait(5s), 0);
  for (const auto& r : server->requests())
    EXPECT_EQ(r.body.find("half-line"), std::string::npos) << "an unterminated line reached the server: " << r.body;
}

TEST_F(bridge_test, duplicate_id_in_flight_gets_one_answer_per_request) {
  gate release;
  mcp.on_post = [&](const auto&, server_reply& reply, const json::object& msg) {
    if (!has_method(msg, "tools/call") || msg.at("params").at("name") != "slow") return false;
    release.wait_for(5s);
    fake_mcp::answer(reply, msg.at("id"), json::object{{"content", json::array{json::object{{"type", "text"}, {"text", "first"}}}}},
                     false);
    return true;
  };
  start_bridge();
  handshake();
  bridge->send(request_line(9, "tools/call", {{"name", "slow"}}));
  ASSERT_TRUE(server->wait_for([](const recorded_request& r) { return r.body.find("\"slow\"") != std::string::npos; }));
  bridge->send(request_line(9, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "second"}}}}));
  // The bridge takes its stdin in order: once a ping sent after the second 9 is answered, that 9
  // was handled (and any answer of its own is among `lines`) while the first was still in flight.
  std::vector<json::value> lines;
  bridge->send(request_line(8, "ping"));
  ASSERT_TRUE(read_response(8, 5s, &lines).as_object().contains("result")) << "the bridge hangs";
  release.open();

  auto deadline = std::chrono::steady_clock::now() + 4s;
  while (answers_with_id(lines, 9) < 2 && std::chrono::steady_clock::now() < deadline) {
    auto line = bridge->read_line(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
    if (!line) break;
    lines.push_back(json::parse(*line));
  }
  bridge->send(request_line(10, "ping"));
  EXPECT_TRUE(read_response(10, 5s, &lines).as_object().contains("result")) << "the bridge hangs";

  EXPECT_EQ(answers_with_id(lines, 9), 2u) << "two requests with id 9, answers: " << answers_with_id(lines, 9);
  bool first_seen = false;
  for (const auto& v : lines) {
    if (!v.as_object().contains("id") || v.at("id") != 9 || v.as_object().contains("method")) continue;
    if (v.as_object().contains("error")) {
      EXPECT_EQ(v.at("error").at("code"), -32600) << v;
    } else if (v.at("result").at("content").at(0).at("text") == "first") {
      first_seen = true;
    }
  }
  EXPECT_TRUE(first_seen) << "the call in flight lost its own answer";
}

TEST_F(bridge_test, batch_reusing_an_id_in_flight_is_refused_whole_and_never_sent) {
  gate release;
  mcp.on_post = [&](const auto&, server_reply& reply, const json::object& msg) {
    if (!has_method(msg, "tools/call") || msg.at("params").at("name") != "slow") return false;
    release.wait_for(5s);
    fake_mcp::answer(reply, msg.at("id"), json::object{{"content", json::array{json::object{{"type", "text"}, {"text", "first"}}}}},
                     false);
    return true;
  };
  start_bridge();
  handshake();
  bridge->send(request_line(9, "tools/call", {{"name", "slow"}}));
  ASSERT_TRUE(server->wait_for([](const recorded_request& r) { return r.body.find("\"slow\"") != std::string::npos; }));
  bridge->send("[" + request_line(9, "ping") + "," + request_line(11, "ping") + "]");
  std::vector<json::value> before;
  auto refused = read_response(11, 3s, &before);
  EXPECT_EQ(refused.at("error").at("code"), -32600) << refused;
  release.open();
  auto first = read_response(9, 5s, &before);
  ASSERT_TRUE(first.as_object().contains("error") || first.as_object().contains("result")) << first;
  if (first.as_object().contains("error")) first = read_response(9, 5s);  // the refusal of the batch's 9 came first
  EXPECT_EQ(first.at("result").at("content").at(0).at("text"), "first") << first;
  for (const auto& r : server->requests()) EXPECT_NE(r.body.front(), '[') << "the batch reached the server: " << r.body;
}

TEST_F(bridge_test, stream_is_resumed_no_sooner_and_not_much_later_than_its_retry) {
  std::mutex m;
  std::chrono::steady_clock::time_point cut_at{};
  mcp.on_post = [&](const auto&, server_reply& reply, const json::object& msg) {
    if (!has_method(msg, "tools/call")) return false;
    reply.start_sse();
    reply.sse(sse_event("", "e0", 300));
    reply.sse(sse_event(R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":1}})", "e1"));
    {
      std::lock_guard lock(m);
      cut_at = std::chrono::steady_clock::now();
    }
    reply.cut();
    return true;
  };
  mcp.on_get = [](const auto& req, server_reply& reply) {
    if (req.find("Last-Event-ID") == req.end()) return reply.empty(405);
    reply.start_sse();
    reply.sse(sse_event(R"({"jsonrpc":"2.0","id":7,"result":{"done":true}})", "e2"));
    reply.finish_sse();
  };
  start_bridge();
  handshake();
  bridge->send(request_line(7, "tools/call", {{"name", "long"}}));
  EXPECT_EQ(read_response(7).at("result").at("done"), true);
  auto resume = server->wait_for([](const recorded_request& r) { return r.method == "GET" && !r.header("Last-Event-ID").empty(); });
  ASSERT_TRUE(resume);
  std::lock_guard lock(m);
  auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(resume->received - cut_at);
  EXPECT_GE(waited, 250ms) << "resumed before the server's retry: 300";
  EXPECT_LE(waited, 1500ms) << "resumed long after the server's retry: 300";
}
