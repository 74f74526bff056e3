// What arrives on stdin, and how the process ends.

#include "mcp_fixture.hpp"

#include <fcntl.h>

#include <csignal>
#include <thread>

using namespace std::chrono_literals;

TEST_F(bridge_test, bad_input_gets_errors_and_the_bridge_keeps_going) {
  start_bridge({"--max-line-bytes", "200"});
  handshake();
  bridge->send("this is not json");
  auto parse_error = read_json();
  EXPECT_EQ(parse_error.at("error").at("code"), -32700);
  EXPECT_TRUE(parse_error.at("id").is_null());

  bridge->send(R"({"id":5,"method":"ping"})");
  auto invalid = read_json();
  EXPECT_EQ(invalid.at("error").at("code"), -32600);
  EXPECT_EQ(invalid.at("id"), 5);

  bridge->send(request_line(6, "tools/call", {{"name", "echo"}, {"arguments", {{"message", std::string(500, 'x')}}}}));
  auto too_long = read_json();
  EXPECT_EQ(too_long.at("error").at("code"), -32600);
  EXPECT_NE(json::value_to<std::string>(too_long.at("error").at("message")).find("--max-line-bytes"), std::string::npos);

  bridge->send("\r");
  bridge->send(request_line(7, "ping") + "\r");
  EXPECT_EQ(read_json().at("id"), 7);
}

TEST_F(bridge_test, stdin_can_be_a_regular_file) {
  test_support::temp_dir dir;
  std::string script = initialize_line(1) + "\n" + R"({"jsonrpc":"2.0","method":"notifications/initialized"})" + "\n";
  for (int i = 2; i <= 6; ++i) script += request_line(i, "ping") + "\n";
  bridge_process::options opts;
  opts.args = {"--url", server->url()};
  opts.stdin_file = dir.file("requests.jsonl", script);
  bridge = std::make_unique<bridge_process>(opts);
  std::set<long long> ids;
  for (int i = 1; i <= 6; ++i) ids.insert(read_json().at("id").as_int64());
  EXPECT_EQ(ids, (std::set<long long>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(bridge->wait(10s), 0) << bridge->stderr_text();
}

TEST_F(bridge_test, eof_drains_in_flight_requests_before_exit) {
  mcp.on_post = [](const auto&, server_reply& reply, const json::object& msg) {
    if (!msg.contains("method") || msg.at("method") != "tools/call") return false;
    std::this_thread::sleep_for(500ms);
    fake_mcp::answer(reply, msg.at("id"), json::object{{"late", true}}, false);
    return true;
  };
  start_bridge();
  handshake();
  bridge->send(request_line(30, "tools/call", {{"name", "slow"}}));
  bridge->close_stdin();
  EXPECT_EQ(read_response(30).at("result").at("late"), true);
  EXPECT_EQ(bridge->wait(5s), 0);
}

TEST_F(bridge_test, sigterm_answers_what_is_left_and_exits_zero) {
  mcp.on_post = [](const auto&, server_reply& reply, const json::object& msg) {
    if (!msg.contains("method") || msg.at("method") != "tools/call") return false;
    std::this_thread::sleep_for(4s);
    reply.cut();
    return true;
  };
  start_bridge({"--drain-timeout", "0.3"});
  handshake();
  bridge->send(request_line(31, "tools/call", {{"name", "forever"}}));
  ASSERT_TRUE(server->wait_for([](const recorded_request& r) { return r.body.find("forever") != std::string::npos; }));
  auto start = std::chrono::steady_clock::now();
  bridge->signal(SIGTERM);
  auto response = read_response(31);
  EXPECT_NE(json::value_to<std::string>(response.at("error").at("message")).find("shutting down"), std::string::npos);
  EXPECT_EQ(bridge->wait(5s), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_TRUE(server->wait_for([](const recorded_request& r) { return r.method == "DELETE"; }, 1s));
}

TEST_F(bridge_test, closed_stdout_makes_the_bridge_exit_promptly) {
  start_bridge();
  handshake();
  bridge->close_stdout();
  bridge->send(request_line(2, "ping"));  // its answer meets a closed pipe
  EXPECT_TRUE(bridge->wait(5s).has_value()) << "the bridge kept running with nobody reading";
}

TEST_F(bridge_test, without_a_key_or_sign_in_status_says_how_to_sign_in) {
  test_support::temp_dir config;
  bridge_process::options opts;  // default URL is awork's; no key given, nothing stored
  opts.args = {"status"};
  opts.env = {{"AWORK_MCP_CONFIG_DIR", config.path()}};
  bridge = std::make_unique<bridge_process>(opts);
  auto line = bridge->read_line(5s);
  ASSERT_TRUE(line) << bridge->stderr_text();
  if (line->ends_with('\r')) line->pop_back();  // the Windows program's text-mode stdout
  EXPECT_EQ(*line, "Not signed in to https://api.awork.com/api/v1/mcp (run `awork-mcp login`).");
  bridge->expect_exit(1);
  EXPECT_EQ(bridge->wait(5s), 1);
}

TEST_F(bridge_test, stdin_can_be_a_terminal_and_is_left_blocking) {
  bridge_process::options opts;
  opts.args = {"--url", server->url()};
  opts.stdin_terminal = true;
  bridge = std::make_unique<bridge_process>(opts);
  // Read before the bridge started: once it runs, it may have made the terminal non-blocking already.
  ASSERT_EQ(bridge->terminal_flags_before_start() & O_NONBLOCK, 0) << "premise: a new terminal is blocking";
  handshake();
  bridge->send(request_line(2, "ping"));
  EXPECT_EQ(read_response(2).at("result"), json::object{});
  // While it runs, Asio has the shared terminal in non-blocking mode; a shell would inherit
  // that after exit unless the bridge puts it back.
  EXPECT_NE(bridge->terminal_flags() & O_NONBLOCK, 0) << "premise: Asio made the terminal non-blocking";
  bridge->signal(SIGTERM);
  EXPECT_EQ(bridge->wait(std::chrono::seconds(5)), 0);
  EXPECT_EQ(bridge->terminal_flags() & O_NONBLOCK, 0) << "the terminal was left non-blocking";
}
