// End to end, the eras of MCP on both sides of the bridge: a legacy stdio client (initialize
// first) and a modern one (MCP 2026-07-28, the 2.x SDK's client pinned to it), each against a
// legacy server (server-everything) and a modern one (tests/peers/modern-server.mjs, the 2.x
// SDK's server; "reject" makes it 2026-07-28 only). The client runs the real bridge as its stdio
// server, as an editor does, and reports what it got (tests/peers/modern-client.mjs).

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
  std::map<std::string, std::string> lines;  // VERSION, ERA, TOOLS, RESULT
  std::string stderr_text;
};

/// Runs modern-client.mjs with the bridge as its server; `mode` pin (2026-07-28) or legacy.
client_report run_client(const std::string& url, const std::string& mode, const std::string& tool, const std::string& args) {
  bridge_process::options opts;
  opts.command = {test_support::peers_node(), test_support::peers_script("modern-client.mjs")};
  opts.args = {test_support::bridge_binary(), "--url", url, "--log-level", "info"};
  opts.env = {{"MODERN_MODE", mode}, {"MODERN_TOOL", tool}, {"MODERN_ARGS", args}, {"MODERN_TIMEOUT_MS", "15000"}};
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
  }
  void SetUp() override {
    ASSERT_TRUE(legacy_ && modern_ && dual_) << "a peer server is not running: " << start_error_;
  }
  static node_peer* legacy_;
  static node_peer* modern_;
  static node_peer* dual_;
  static std::string start_error_;
};
node_peer* eras::legacy_ = nullptr;
node_peer* eras::modern_ = nullptr;
node_peer* eras::dual_ = nullptr;
std::string eras::start_error_;

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
