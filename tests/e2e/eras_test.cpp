// End to end, the eras of MCP on both sides of the bridge: a legacy stdio client (initialize
// first) and a modern one (MCP 2026-07-28, the 2.x SDK's client pinned to it), each against a
// legacy server (server-everything) and a modern one (tests/peers/modern-server.mjs, the 2.x
// SDK's server; "reject" makes it 2026-07-28 only). The client runs the real bridge as its stdio
// server, as an editor does, and reports what it got (tests/peers/modern-client.mjs).
//
// The 2x2 matrix: in each cell the client's full scenario (MODERN_SCENARIO=full) runs once and
// one test per feature checks its lines: resources, prompts, progress, elicitation, sampling and
// list changes. What cannot cross the eras (a legacy server's requests to a 2026-07-28 editor) is
// checked as the error the editor gets instead.

#include "bridge_process.hpp"
#include "node_peer.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <map>
#include <memory>

namespace json = boost::json;
using namespace std::chrono_literals;
using test_support::bridge_process;
using test_support::node_peer;

namespace {

struct client_report {
  std::optional<int> exit_code;
  std::map<std::string, std::string> lines;  // VERSION, ERA, TOOLS, RESULT; the scenario's lines
  std::string stderr_text;  // the client's and the bridge's
};

/// Runs modern-client.mjs with the bridge as its server; `mode` pin (2026-07-28) or legacy.
client_report run_client(const std::string& url, const std::string& mode, std::map<std::string, std::string> env,
                         const std::string& log_level = "info") {
  bridge_process::options opts;
  opts.command = {test_support::peers_node(), test_support::peers_script("modern-client.mjs")};
  opts.args = {test_support::bridge_binary(), "--url", url, "--log-level", log_level};
  opts.env = std::move(env);
  opts.env["MODERN_MODE"] = mode;
  opts.env.emplace("MODERN_TIMEOUT_MS", "15000");
  bridge_process client(opts);
  client_report report;
  while (auto line = client.read_line(30s)) {
    const auto space = line->find(' ');
    if (space != std::string::npos) report.lines[line->substr(0, space)] = line->substr(space + 1);
  }
  report.exit_code = client.wait(10s);
  report.stderr_text = client.stderr_text();
  return report;
}

client_report run_client(const std::string& url, const std::string& mode, const std::string& tool, const std::string& args) {
  return run_client(url, mode, {{"MODERN_TOOL", tool}, {"MODERN_ARGS", args}});
}

// What the client's sampling handler answers, as an editor's model would.
constexpr const char* editor_completion = "a completion from the matrix editor";

/// The client's full scenario (every feature in turn) in one cell of the matrix. A request is
/// given 10 s, so a cell that hangs fails in seconds rather than at the test's timeout.
client_report run_scenario(const std::string& url, const std::string& mode) {
  return run_client(url, mode,
                    {{"MODERN_SCENARIO", "full"}, {"MODERN_SAMPLE_TEXT", editor_completion}, {"MODERN_TIMEOUT_MS", "10000"}},
                    "debug");
}

::testing::AssertionResult contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << part << "\"";
}

::testing::AssertionResult starts_with(const std::string& text, const std::string& prefix) {
  if (text.starts_with(prefix)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << text << "\" does not start with \"" << prefix << "\"";
}

std::string text_of(const client_report& report) {
  auto it = report.lines.find("RESULT");
  if (it == report.lines.end()) return {};
  boost::system::error_code ec;
  auto result = json::parse(it->second, ec);
  if (ec) return {};
  return std::string(result.at("content").at(0).at("text").as_string());
}

// Peers start once per suite; one that cannot start fails every test with the reason.
class eras : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      legacy_ = new node_peer("node_modules/@modelcontextprotocol/server-everything/dist/index.js", {"streamableHttp"},
                              {{"PORT", "{port}"}});
      modern_ = new node_peer("modern-server.mjs", {"{port}"}, {{"MODERN_SERVER_LEGACY", "reject"}});
      dual_ = new node_peer("modern-server.mjs", {"{port}"});
    } catch (const std::exception& e) {
      start_error_ = e.what();
    }
  }
  static void TearDownTestSuite() {
    delete legacy_;
    delete modern_;
    delete dual_;
    legacy_ = modern_ = dual_ = nullptr;
    scenarios_.clear();
  }
  void SetUp() override {
    ASSERT_TRUE(legacy_ && modern_ && dual_) << "a peer server is not running: " << start_error_;
  }

  // The four cells of the matrix. Each runs its scenario once per test process; every feature's
  // test reads the same report.
  static const client_report& legacy_client_legacy_server() { return scenario(legacy_->url(), "legacy"); }
  static const client_report& legacy_client_modern_server() { return scenario(modern_->url(), "legacy"); }
  static const client_report& modern_client_legacy_server() { return scenario(legacy_->url(), "pin"); }
  static const client_report& modern_client_modern_server() { return scenario(modern_->url(), "pin"); }

  static const client_report& scenario(const std::string& url, const std::string& mode) {
    const auto key = mode + " " + url;
    auto found = scenarios_.find(key);
    if (found == scenarios_.end()) found = scenarios_.emplace(key, run_scenario(url, mode)).first;
    return found->second;
  }

  static node_peer* legacy_;
  static node_peer* modern_;
  static node_peer* dual_;
  static std::string start_error_;
  static std::map<std::string, client_report> scenarios_;
};
node_peer* eras::legacy_ = nullptr;
node_peer* eras::modern_ = nullptr;
node_peer* eras::dual_ = nullptr;
std::string eras::start_error_;
std::map<std::string, client_report> eras::scenarios_;

/// The scenario's line `key`, or a placeholder that names it.
std::string line(const client_report& report, const std::string& key) {
  auto found = report.lines.find(key);
  return found == report.lines.end() ? "<no " + key + " line>" : found->second;
}

/// The scenario connected and ran to its last step; otherwise what the client and the bridge said.
::testing::AssertionResult ran(const client_report& report) {
  if (report.exit_code == 0 && report.lines.count("LIST_CHANGED")) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "the scenario did not run to its end (exit "
                                       << (report.exit_code ? std::to_string(*report.exit_code) : "none") << "):\n"
                                       << report.stderr_text;
}

}  // namespace

TEST_F(eras, legacy_client_and_modern_only_server) {
  auto report = run_client(modern_->url(), "legacy", "echo", R"({"message":"old to new"})");
  ASSERT_EQ(report.exit_code, 0) << report.stderr_text;
  EXPECT_EQ(report.lines["ERA"], "legacy");
  EXPECT_EQ(text_of(report), "Echo: old to new") << report.lines["RESULT"];
}

TEST_F(eras, legacy_client_answers_a_modern_servers_input_request) {
  auto report = run_client(modern_->url(), "legacy", "confirm", "{}");
  ASSERT_EQ(report.exit_code, 0) << report.stderr_text;
  EXPECT_EQ(text_of(report), "answered accept") << report.lines["RESULT"];
}

TEST_F(eras, modern_client_and_modern_server) {
  auto report = run_client(dual_->url(), "pin", "confirm", "{}");
  ASSERT_EQ(report.exit_code, 0) << report.stderr_text;
  EXPECT_EQ(report.lines["VERSION"], "2026-07-28");
  EXPECT_EQ(text_of(report), "answered accept") << report.lines["RESULT"];
}

TEST_F(eras, modern_client_and_legacy_server) {
  auto report = run_client(legacy_->url(), "pin", "echo", R"({"message":"new to old"})");
  ASSERT_EQ(report.exit_code, 0) << report.stderr_text;
  EXPECT_EQ(report.lines["VERSION"], "2026-07-28");
  EXPECT_EQ(text_of(report), "Echo: new to old") << report.lines["RESULT"];
}

TEST_F(eras, legacy_client_and_legacy_server) {
  auto report = run_client(legacy_->url(), "legacy", "echo", R"({"message":"old to old"})");
  ASSERT_EQ(report.exit_code, 0) << report.stderr_text;
  EXPECT_EQ(text_of(report), "Echo: old to old") << report.lines["RESULT"];
}

// ---- the 2x2 matrix: one test per cell and feature -------------------------------------------

// Legacy client, legacy server: the bridge passes everything through, in a session with the GET
// stream.

TEST_F(eras, legacy_client_legacy_server_resources) {
  const auto& report = legacy_client_legacy_server();
  ASSERT_TRUE(ran(report));
  EXPECT_EQ(line(report, "RESOURCE_LISTED"), "1");
  EXPECT_EQ(line(report, "RESOURCE"), "# Everything Server – Server Instructions");
}

TEST_F(eras, legacy_client_legacy_server_prompts) {
  const auto& report = legacy_client_legacy_server();
  ASSERT_TRUE(ran(report));
  EXPECT_EQ(line(report, "PROMPT_LISTED"), "1");
  EXPECT_EQ(line(report, "PROMPT"), "What's weather in Lisbon?");
}

TEST_F(eras, legacy_client_legacy_server_progress) {
  const auto& report = legacy_client_legacy_server();
  ASSERT_TRUE(ran(report));
  EXPECT_EQ(line(report, "PROGRESS"), "3") << "the server sends one notification per step\n" << report.stderr_text;
  EXPECT_EQ(line(report, "PROGRESS_RESULT"), "Long running operation completed. Duration: 0.3 seconds, Steps: 3.");
}

TEST_F(eras, legacy_client_legacy_server_elicitation) {
  const auto& report = legacy_client_legacy_server();
  ASSERT_TRUE(ran(report));
  const auto elicit = line(report, "ELICIT");
  EXPECT_TRUE(contains(elicit, "User provided the requested information!")) << report.stderr_text;
  EXPECT_TRUE(contains(elicit, "- Name: matrix")) << "the client's form answer reached the server";
}

TEST_F(eras, legacy_client_legacy_server_sampling) {
  const auto& report = legacy_client_legacy_server();
  ASSERT_TRUE(ran(report));
  const auto sample = line(report, "SAMPLE");
  EXPECT_TRUE(starts_with(sample, "LLM sampling result:")) << report.stderr_text;
  EXPECT_TRUE(contains(sample, std::string(R"("text": ")") + editor_completion + "\""));
}

TEST_F(eras, legacy_client_legacy_server_list_changed) {
  const auto& report = legacy_client_legacy_server();
  ASSERT_TRUE(ran(report));
  EXPECT_EQ(report.lines.count("LISTEN"), 0u) << "a legacy client has no subscriptions/listen";
  EXPECT_EQ(line(report, "LIST_CHANGED"), "1") << "resources/list_changed on the GET stream\n" << report.stderr_text;
}

// Legacy client, modern server: the bridge answers initialize from server/discover, turns
// input_required results into requests to the client, and carries list changes from its own
// subscriptions/listen stream.

TEST_F(eras, legacy_client_modern_server_resources) {
  const auto& report = legacy_client_modern_server();
  ASSERT_TRUE(ran(report));
  EXPECT_EQ(line(report, "VERSION"), "2025-11-25") << "the client negotiated a legacy version with the bridge";
  EXPECT_EQ(line(report, "RESOURCE_LISTED"), "1");
  EXPECT_EQ(line(report, "RESOURCE"), "Hello, world!");
}

TEST_F(eras, legacy_client_modern_server_prompts) {
  const auto& report = legacy_client_modern_server();
  ASSERT_TRUE(ran(report));
  EXPECT_EQ(line(report, "PROMPT_LISTED"), "1");
  EXPECT_EQ(line(report, "PROMPT"), "Say hello to matrix");
}

TEST_F(eras, legacy_client_modern_server_progress) {
  const auto& report = legacy_client_modern_server();
  ASSERT_TRUE(ran(report));
  EXPECT_EQ(line(report, "PROGRESS"), "3") << "progress on the request's own stream\n" << report.stderr_text;
  EXPECT_EQ(line(report, "PROGRESS_RESULT"), "progress done 3");
}

TEST_F(eras, legacy_client_modern_server_elicitation) {
  const auto& report = legacy_client_modern_server();
  ASSERT_TRUE(ran(report));
  EXPECT_EQ(line(report, "ELICIT"), "answered accept") << report.stderr_text;
}

TEST_F(eras, legacy_client_modern_server_sampling) {
  const auto& report = legacy_client_modern_server();
  ASSERT_TRUE(ran(report));
  EXPECT_EQ(line(report, "SAMPLE"), std::string("sampled: ") + editor_completion) << report.stderr_text;
}

TEST_F(eras, legacy_client_modern_server_list_changed) {
  const auto& report = legacy_client_modern_server();
  ASSERT_TRUE(ran(report));
  EXPECT_EQ(line(report, "LIST_CHANGED"), "1") << "tools/list_changed from the bridge's listen stream\n"
                                               << report.stderr_text;
}

// Modern client, legacy server: the bridge makes the initialize handshake for the client and
// carries its requests in the session. The server's own requests (elicitation, sampling) cannot
// reach a 2026-07-28 client: the bridge answers them with an error, which the server's tool
// reports. Its subscriptions/listen is carried from the session's GET stream.

TEST_F(eras, modern_client_legacy_server_resources) {
  const auto& report = modern_client_legacy_server();
  ASSERT_TRUE(ran(report));
  EXPECT_EQ(line(report, "VERSION"), "2026-07-28");
  EXPECT_EQ(line(report, "RESOURCE_LISTED"), "1");
  EXPECT_EQ(line(report, "RESOURCE"), "# Everything Server – Server Instructions");
}

TEST_F(eras, modern_client_legacy_server_prompts) {
  const auto& report = modern_client_legacy_server();
  ASSERT_TRUE(ran(report));
  EXPECT_EQ(line(report, "PROMPT_LISTED"), "1");
  EXPECT_EQ(line(report, "PROMPT"), "What's weather in Lisbon?");
}

TEST_F(eras, modern_client_legacy_server_progress) {
  const auto& report = modern_client_legacy_server();
  ASSERT_TRUE(ran(report));
  EXPECT_EQ(line(report, "PROGRESS"), "3") << report.stderr_text;
  EXPECT_EQ(line(report, "PROGRESS_RESULT"), "Long running operation completed. Duration: 0.3 seconds, Steps: 3.");
}

TEST_F(eras, modern_client_legacy_server_elicitation_is_refused_with_an_error) {
  const auto& report = modern_client_legacy_server();
  ASSERT_TRUE(ran(report));
  EXPECT_EQ(line(report, "ELICIT"),
            "tool-error: MCP error -32601: the client speaks MCP 2026-07-28, which has no server-to-client requests; "
            "elicitation/create cannot reach it through this bridge")
      << report.stderr_text;
}

TEST_F(eras, modern_client_legacy_server_sampling_is_refused_with_an_error) {
  const auto& report = modern_client_legacy_server();
  ASSERT_TRUE(ran(report));
  EXPECT_EQ(line(report, "SAMPLE"),
            "tool-error: MCP error -32601: the client speaks MCP 2026-07-28, which has no server-to-client requests; "
            "sampling/createMessage cannot reach it through this bridge")
      << report.stderr_text;
}

TEST_F(eras, modern_client_legacy_server_list_changed) {
  const auto& report = modern_client_legacy_server();
  ASSERT_TRUE(ran(report));
  EXPECT_EQ(line(report, "LISTEN"), "ok") << report.stderr_text;
  EXPECT_EQ(line(report, "LIST_CHANGED"), "1") << "resources/list_changed from the session's GET stream, on the listen\n"
                                               << report.stderr_text;
}

// Modern client, modern server: the bridge carries the messages as they are, adding the headers.

TEST_F(eras, modern_client_modern_server_resources) {
  const auto& report = modern_client_modern_server();
  ASSERT_TRUE(ran(report));
  EXPECT_EQ(line(report, "VERSION"), "2026-07-28");
  EXPECT_EQ(line(report, "RESOURCE_LISTED"), "1");
  EXPECT_EQ(line(report, "RESOURCE"), "Hello, world!");
}

TEST_F(eras, modern_client_modern_server_prompts) {
  const auto& report = modern_client_modern_server();
  ASSERT_TRUE(ran(report));
  EXPECT_EQ(line(report, "PROMPT_LISTED"), "1");
  EXPECT_EQ(line(report, "PROMPT"), "Say hello to matrix");
}

TEST_F(eras, modern_client_modern_server_progress) {
  const auto& report = modern_client_modern_server();
  ASSERT_TRUE(ran(report));
  EXPECT_EQ(line(report, "PROGRESS"), "3") << report.stderr_text;
  EXPECT_EQ(line(report, "PROGRESS_RESULT"), "progress done 3");
}

TEST_F(eras, modern_client_modern_server_elicitation) {
  const auto& report = modern_client_modern_server();
  ASSERT_TRUE(ran(report));
  EXPECT_EQ(line(report, "ELICIT"), "answered accept") << report.stderr_text;
}

TEST_F(eras, modern_client_modern_server_sampling) {
  const auto& report = modern_client_modern_server();
  ASSERT_TRUE(ran(report));
  EXPECT_EQ(line(report, "SAMPLE"), std::string("sampled: ") + editor_completion) << report.stderr_text;
}

TEST_F(eras, modern_client_modern_server_list_changed) {
  const auto& report = modern_client_modern_server();
  ASSERT_TRUE(ran(report));
  EXPECT_EQ(line(report, "LISTEN"), "ok") << report.stderr_text;
  EXPECT_EQ(line(report, "LIST_CHANGED"), "1") << "tools/list_changed on the client's listen stream\n"
                                               << report.stderr_text;
}
