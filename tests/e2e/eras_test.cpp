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
//
// ctest runs every test in a process of its own. So that a cell's scenario still runs once per
// ctest run, eras_cells.<cell> runs it and writes its report to $AWORK_MCP_ERAS_REPORTS/<cell>.json
// (a ctest fixture, tests/CMakeLists.txt), and the feature tests read it from there. Without that
// variable (the binary run by hand) the feature tests run the cell themselves, once per process.

#include "bridge_process.hpp"
#include "node_peer.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using test_support::bridge_process;
using test_support::node_peer;

namespace {

struct client_report {
  std::optional<int> exit_code;
  std::map<std::string, std::string> lines;  // VERSION, ERA, TOOLS, RESULT; the scenario's lines
  std::string stderr_text;  // the client's and the bridge's
  std::string missing;      // why there is no report at all (a peer that did not start, no report file)
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

// ---- a report as a file: what eras_cells writes and the feature tests read --------------------

json::value to_json(const client_report& report) {
  json::object lines;
  for (const auto& [key, text] : report.lines) lines[key] = text;
  json::object out;
  out["exit_code"] = report.exit_code ? json::value(*report.exit_code) : json::value(nullptr);
  out["lines"] = std::move(lines);
  out["stderr"] = report.stderr_text;
  out["missing"] = report.missing;
  return out;
}

/// The report in `path`; one that cannot be read has `missing` set, saying why.
client_report read_report(const fs::path& path) {
  client_report report;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    report.missing =
        "no report at " + path.string() + ": its cell's test (eras_cells.*, the ctest fixture) did not write it";
    return report;
  }
  // A report older than the programs it speaks about is from an earlier build, never this run's.
  for (const fs::path& program : {fs::path("/proc/self/exe"), fs::path(test_support::bridge_binary())}) {
    std::error_code ec;
    const auto file = fs::canonical(program, ec);
    const auto built = fs::last_write_time(file, ec);
    if (ec) continue;  // a bridge run another way (AWORK_MCP_BRIDGE_COMMAND) has no such file
    if (const auto written = fs::last_write_time(path, ec); !ec && written < built) {
      report.missing = "the report at " + path.string() + " is older than " + file.string() + ": a stale one";
      return report;
    }
  }
  std::stringstream text;
  text << in.rdbuf();
  try {
    const auto value = json::parse(text.str()).as_object();
    if (const auto& code = value.at("exit_code"); !code.is_null()) report.exit_code = static_cast<int>(code.as_int64());
    for (const auto& [key, line] : value.at("lines").as_object()) report.lines[key] = std::string(line.as_string());
    report.stderr_text = std::string(value.at("stderr").as_string());
    report.missing = std::string(value.at("missing").as_string());
  } catch (const std::exception& e) {
    report = {};
    report.missing = "the report at " + path.string() + " is not one: " + e.what();
  }
  return report;
}

/// Where the cells' reports go, when ctest runs them as a fixture (AWORK_MCP_ERAS_REPORTS).
std::optional<fs::path> reports_dir() {
  const char* dir = std::getenv("AWORK_MCP_ERAS_REPORTS");
  if (!dir || !*dir) return std::nullopt;
  return fs::path(dir);
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

// The peer servers. Each starts on first use (a feature test that reads its cell's report starts
// none) and stops with the suite; one that cannot start fails every test that needs it, with the
// reason.
enum class peer_kind { legacy, modern_only, dual };

std::unique_ptr<node_peer> start_peer(peer_kind kind) {
  switch (kind) {
    case peer_kind::legacy:
      return std::make_unique<node_peer>("node_modules/@modelcontextprotocol/server-everything/dist/index.js",
                                         std::vector<std::string>{"streamableHttp"},
                                         std::map<std::string, std::string>{{"PORT", "{port}"}});
    case peer_kind::modern_only:
      return std::make_unique<node_peer>("modern-server.mjs", std::vector<std::string>{"{port}"},
                                         std::map<std::string, std::string>{{"MODERN_SERVER_LEGACY", "reject"}});
    case peer_kind::dual:
      return std::make_unique<node_peer>("modern-server.mjs", std::vector<std::string>{"{port}"});
  }
  throw std::logic_error("no such peer");
}

// The four cells of the matrix: which client meets which server.
struct cell {
  const char* name;
  peer_kind server;
  const char* mode;  // the client's MODERN_MODE
};
constexpr cell legacy_client_legacy_server_cell{"legacy_client_legacy_server", peer_kind::legacy, "legacy"};
constexpr cell legacy_client_modern_server_cell{"legacy_client_modern_server", peer_kind::modern_only, "legacy"};
constexpr cell modern_client_legacy_server_cell{"modern_client_legacy_server", peer_kind::legacy, "pin"};
constexpr cell modern_client_modern_server_cell{"modern_client_modern_server", peer_kind::modern_only, "pin"};

class eras_base : public ::testing::Test {
 protected:
  static void TearDownTestSuite() {
    peers_.clear();
    start_errors_.clear();
  }

  /// Starts the peer `kind` unless it runs already; a failure says why it did not start.
  static ::testing::AssertionResult running(peer_kind kind) {
    if (!peers_.contains(kind) && !start_errors_.contains(kind)) {
      try {
        peers_.emplace(kind, start_peer(kind));
      } catch (const std::exception& e) {
        start_errors_.emplace(kind, e.what());
      }
    }
    if (peers_.contains(kind)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "a peer server is not running: " << start_errors_.at(kind);
  }
  static std::string url(peer_kind kind) { return peers_.at(kind)->url(); }

  /// Runs the scenario of `c` here, once per test process: every feature's test reads the same
  /// report.
  static const client_report& run_here(const cell& c) {
    auto found = scenarios_.find(c.name);
    if (found != scenarios_.end()) return found->second;
    client_report report;
    if (auto started = running(c.server)) {
      report = run_scenario(url(c.server), c.mode);
    } else {
      report.missing = started.message();
    }
    return scenarios_.emplace(c.name, std::move(report)).first->second;
  }

  /// The report of `c`: its file when ctest ran the cells first, else run here.
  static const client_report& report_of(const cell& c) {
    const auto dir = reports_dir();
    if (!dir) return run_here(c);
    auto found = read_.find(c.name);
    if (found == read_.end()) found = read_.emplace(c.name, read_report(*dir / (std::string(c.name) + ".json"))).first;
    return found->second;
  }

  static std::map<peer_kind, std::unique_ptr<node_peer>> peers_;
  static std::map<peer_kind, std::string> start_errors_;
  static std::map<std::string, client_report> scenarios_;  // run here, kept across suites
  static std::map<std::string, client_report> read_;       // read from the reports' directory
};
std::map<peer_kind, std::unique_ptr<node_peer>> eras_base::peers_;
std::map<peer_kind, std::string> eras_base::start_errors_;
std::map<std::string, client_report> eras_base::scenarios_;
std::map<std::string, client_report> eras_base::read_;

/// Each cell's scenario, run once: under ctest, the fixture that writes the reports.
class eras_cells : public eras_base {
 protected:
  static void run_cell(const cell& c);
};

class eras : public eras_base {
 protected:
  static const client_report& legacy_client_legacy_server() { return report_of(legacy_client_legacy_server_cell); }
  static const client_report& legacy_client_modern_server() { return report_of(legacy_client_modern_server_cell); }
  static const client_report& modern_client_legacy_server() { return report_of(modern_client_legacy_server_cell); }
  static const client_report& modern_client_modern_server() { return report_of(modern_client_modern_server_cell); }
};

/// The scenario's line `key`, or a placeholder that names it.
std::string line(const client_report& report, const std::string& key) {
  auto found = report.lines.find(key);
  return found == report.lines.end() ? "<no " + key + " line>" : found->second;
}

/// The scenario connected and ran to its last step; otherwise what the client and the bridge said.
::testing::AssertionResult ran(const client_report& report) {
  if (!report.missing.empty()) return ::testing::AssertionFailure() << "no scenario report: " << report.missing;
  if (report.exit_code == 0 && report.lines.count("LIST_CHANGED")) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "the scenario did not run to its end (exit "
                                       << (report.exit_code ? std::to_string(*report.exit_code) : "none") << "):\n"
                                       << report.stderr_text;
}

void eras_cells::run_cell(const cell& c) {
  const auto dir = reports_dir();
  std::optional<fs::path> path;
  if (dir) {
    // This run's report or none: a report left by an earlier run is never read.
    path = *dir / (std::string(c.name) + ".json");
    std::error_code ec;
    fs::remove(*path, ec);
    ASSERT_FALSE(ec) << "cannot remove the old report " << path->string() << ": " << ec.message();
    fs::create_directories(*dir, ec);
    ASSERT_FALSE(ec) << "cannot make " << dir->string() << ": " << ec.message();
  }
  const auto& report = run_here(c);
  if (path) {
    // Written even when the scenario failed (ctest then runs none of the cell's feature tests):
    // a feature test run on its own still says what the client and the bridge said.
    const auto temporary = path->string() + ".partial";
    {
      std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
      out << json::serialize(to_json(report));
      ASSERT_TRUE(out.flush()) << "cannot write " << temporary;
    }
    std::error_code ec;
    fs::rename(temporary, *path, ec);
    ASSERT_FALSE(ec) << "cannot write " << path->string() << ": " << ec.message();
  }
  ASSERT_TRUE(ran(report));
}

}  // namespace

// Before the feature tests, so that a run by hand with AWORK_MCP_ERAS_REPORTS writes the reports
// before it reads them.
TEST_F(eras_cells, legacy_client_legacy_server) { run_cell(legacy_client_legacy_server_cell); }
TEST_F(eras_cells, legacy_client_modern_server) { run_cell(legacy_client_modern_server_cell); }
TEST_F(eras_cells, modern_client_legacy_server) { run_cell(modern_client_legacy_server_cell); }
TEST_F(eras_cells, modern_client_modern_server) { run_cell(modern_client_modern_server_cell); }

TEST_F(eras, legacy_client_and_modern_only_server) {
  ASSERT_TRUE(running(peer_kind::modern_only));
  auto report = run_client(url(peer_kind::modern_only), "legacy", "echo", R"({"message":"old to new"})");
  ASSERT_EQ(report.exit_code, 0) << report.stderr_text;
  EXPECT_EQ(report.lines["ERA"], "legacy");
  EXPECT_EQ(text_of(report), "Echo: old to new") << report.lines["RESULT"];
}

TEST_F(eras, legacy_client_answers_a_modern_servers_input_request) {
  ASSERT_TRUE(running(peer_kind::modern_only));
  auto report = run_client(url(peer_kind::modern_only), "legacy", "confirm", "{}");
  ASSERT_EQ(report.exit_code, 0) << report.stderr_text;
  EXPECT_EQ(text_of(report), "answered accept") << report.lines["RESULT"];
}

TEST_F(eras, modern_client_and_modern_server) {
  ASSERT_TRUE(running(peer_kind::dual));
  auto report = run_client(url(peer_kind::dual), "pin", "confirm", "{}");
  ASSERT_EQ(report.exit_code, 0) << report.stderr_text;
  EXPECT_EQ(report.lines["VERSION"], "2026-07-28");
  EXPECT_EQ(text_of(report), "answered accept") << report.lines["RESULT"];
}

TEST_F(eras, modern_client_and_legacy_server) {
  ASSERT_TRUE(running(peer_kind::legacy));
  auto report = run_client(url(peer_kind::legacy), "pin", "echo", R"({"message":"new to old"})");
  ASSERT_EQ(report.exit_code, 0) << report.stderr_text;
  EXPECT_EQ(report.lines["VERSION"], "2026-07-28");
  EXPECT_EQ(text_of(report), "Echo: new to old") << report.lines["RESULT"];
}

TEST_F(eras, legacy_client_and_legacy_server) {
  ASSERT_TRUE(running(peer_kind::legacy));
  auto report = run_client(url(peer_kind::legacy), "legacy", "echo", R"({"message":"old to old"})");
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
