// The entry `awork-mcp install` writes, from the credential situation, as tables: the key is never
// written in clear into an editor's configuration.

#include "awork_mcp/install/entry_plan.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace awork_mcp::install;
namespace json = boost::json;

namespace {

const std::string exe = "/opt/awork-mcp/bin/awork-mcp";
const std::string key_file = "/home/ann/secrets/awork-key";
const std::string private_file = "/home/ann/.config/awork-mcp/api-key";

credential_facts facts(std::string file, bool in_hand, bool signed_in) {
  return {std::move(file), in_hand, signed_in, private_file};
}

}  // namespace

TEST(install_entry, the_credential_decides_the_entry) {
  struct row {
    const char* name;
    client who;
    credential_facts credential;
    std::vector<std::string> bridge_args;
    std::string url;
    credential_way way;
    std::string entry;  // as JSON
    bool input;
    const char* explained;
  };
  const std::vector<row> rows = {
      {"signed in", client::claude_desktop, facts("", false, true), {}, "", credential_way::sign_in,
       R"({"command":"/opt/awork-mcp/bin/awork-mcp"})", false, "stored sign-in"},
      {"signed in, Claude Code", client::claude_code, facts("", false, true), {}, "", credential_way::sign_in,
       R"({"type":"stdio","command":"/opt/awork-mcp/bin/awork-mcp"})", false, "stored sign-in"},
      {"signed in, with a key in the environment too", client::cursor, facts("", true, true), {}, "",
       credential_way::sign_in, R"({"command":"/opt/awork-mcp/bin/awork-mcp"})", false, "AWORK_API_KEY is not used"},
      {"a key file", client::cursor, facts(key_file, false, false), {}, "", credential_way::key_file,
       R"({"command":"/opt/awork-mcp/bin/awork-mcp","args":["--api-key-file","/home/ann/secrets/awork-key"]})", false,
       "reads the key from /home/ann/secrets/awork-key"},
      {"a key file wins over a sign-in", client::windsurf, facts(key_file, false, true), {}, "",
       credential_way::key_file,
       R"({"command":"/opt/awork-mcp/bin/awork-mcp","args":["--api-key-file","/home/ann/secrets/awork-key"]})", false,
       "--api-key-file"},
      {"a key file, VS Code", client::vscode, facts(key_file, false, false), {}, "", credential_way::key_file,
       R"({"type":"stdio","command":"/opt/awork-mcp/bin/awork-mcp","args":["--api-key-file","/home/ann/secrets/awork-key"]})",
       false, "names the file, not the key"},
      {"a key in the environment, VS Code", client::vscode, facts("", true, false), {}, "", credential_way::prompt,
       R"({"type":"stdio","command":"/opt/awork-mcp/bin/awork-mcp","env":{"AWORK_API_KEY":"${input:awork-api-key}"}})",
       true, "VS Code asks for the key"},
      {"a key in the environment, Claude Desktop", client::claude_desktop, facts("", true, false), {}, "",
       credential_way::private_key_file,
       R"({"command":"/opt/awork-mcp/bin/awork-mcp","args":["--api-key-file","/home/ann/.config/awork-mcp/api-key"]})",
       false, "kept in /home/ann/.config/awork-mcp/api-key"},
      {"a key in the environment, Claude Code", client::claude_code, facts("", true, false), {}, "",
       credential_way::private_key_file,
       R"({"type":"stdio","command":"/opt/awork-mcp/bin/awork-mcp","args":["--api-key-file","/home/ann/.config/awork-mcp/api-key"]})",
       false, "readable only by you"},
      {"nothing at all", client::cursor, facts("", false, false), {}, "", credential_way::none,
       R"({"command":"/opt/awork-mcp/bin/awork-mcp"})", false, "awork-mcp login"},
      {"nothing at all, VS Code", client::vscode, facts("", false, false), {}, "", credential_way::none,
       R"({"type":"stdio","command":"/opt/awork-mcp/bin/awork-mcp"})", false, "opens your browser"},
      {"bridge options go last", client::cursor, facts(key_file, false, false), {"--url", "https://x.example/mcp", "--no-get-stream"},
       "", credential_way::key_file,
       R"({"command":"/opt/awork-mcp/bin/awork-mcp","args":["--api-key-file","/home/ann/secrets/awork-key","--url","https://x.example/mcp","--no-get-stream"]})",
       false, "--api-key-file"},
      {"a key file among the bridge options is the one", client::cursor, facts(key_file, true, true),
       {"--api-key-file", "/etc/awork/key"}, "", credential_way::key_file,
       R"({"command":"/opt/awork-mcp/bin/awork-mcp","args":["--api-key-file","/etc/awork/key"]})", false,
       "among the bridge options"},
      {"another server given to install", client::claude_desktop, facts("", false, true), {}, "https://mcp.example/mcp",
       credential_way::sign_in, R"({"command":"/opt/awork-mcp/bin/awork-mcp","args":["--url","https://mcp.example/mcp"]})",
       false, "sign-in"},
      {"a --url among the bridge options wins", client::claude_desktop, facts("", false, false),
       {"--url=https://b.example/mcp"}, "https://a.example/mcp", credential_way::none,
       R"({"command":"/opt/awork-mcp/bin/awork-mcp","args":["--url=https://b.example/mcp"]})", false, "sign in"},
  };
  for (const auto& r : rows) {
    entry_request request;
    request.executable = exe;
    request.bridge_args = r.bridge_args;
    request.url = r.url;
    request.credential = r.credential;
    const auto plan = plan_entry(layout_of(r.who), request);
    EXPECT_EQ(plan.refusal, "") << r.name;
    EXPECT_EQ(plan.way, r.way) << r.name;
    EXPECT_EQ(plan.entry.name, "awork") << r.name;
    EXPECT_EQ(json::serialize(plan.entry.value), r.entry) << r.name;
    EXPECT_EQ(plan.entry.input.has_value(), r.input) << r.name;
    EXPECT_NE(plan.explanation.find(r.explained), std::string::npos) << r.name << ": " << plan.explanation;
  }
}

// Run through npx, the entry runs the package through npx as the user did: a path inside npx's
// cache would be gone after its next clean-up.
TEST(install_entry, started_by_the_npm_launcher_the_entry_runs_npx) {
  entry_request request;
  request.executable = "/root/.npm/_npx/0123abcd/node_modules/awork-mcp-bridge-linux-x64/bin/awork-mcp";
  request.npm_package = npm_package_of_launcher("npm:awork-mcp-bridge");
  request.bridge_args = {"--read-only"};
  request.credential = facts("/home/me/.awork-key", false, false);
  const auto plan = plan_entry(layout_of(client::cursor), request);
  EXPECT_EQ(json::serialize(plan.entry.value),
            R"({"command":"npx","args":["-y","awork-mcp-bridge","--api-key-file","/home/me/.awork-key","--read-only"]})");
}

TEST(install_entry, the_launchers_package_name_is_taken_only_when_it_is_a_plain_npm_name) {
  const struct {
    const char* launched_by;
    const char* package;
  } rows[] = {
      {"npm:awork-mcp-bridge", "awork-mcp-bridge"},
      {"npm:@awork/mcp-bridge", "@awork/mcp-bridge"},
      {"", ""},
      {"npm:", ""},
      {"awork-mcp-bridge", ""},
      {"npm:awork mcp", ""},
      {"npm:awork-mcp-bridge;rm -rf", ""},
      {"npm:Awork", ""},
      {"npm:a/b", ""},
      {"npm:@a/b/c", ""},
      {"npm:.hidden", ""},
  };
  for (const auto& r : rows) EXPECT_EQ(npm_package_of_launcher(r.launched_by), r.package) << r.launched_by;
}

TEST(install_entry, vscode_asks_with_a_password_prompt) {
  entry_request request;
  request.executable = exe;
  request.credential = facts("", true, false);
  const auto plan = plan_entry(layout_of(client::vscode), request);
  ASSERT_TRUE(plan.entry.input);
  EXPECT_EQ(json::serialize(*plan.entry.input),
            R"({"type":"promptString","id":"awork-api-key","description":"awork API key","password":true})");
}

TEST(install_entry, refusals) {
  struct row {
    const char* name;
    std::string entry_name;
    std::vector<std::string> bridge_args;
    credential_facts credential;
    const char* refusal;
  };
  const std::vector<row> rows = {
      {"a key in the bridge options", "awork", {"--api-key", "sk-1"}, facts("", false, false), "--api-key among"},
      {"a key in the bridge options, with =", "awork", {"--api-key=sk-1"}, facts("", false, false), "in clear"},
      {"a client secret", "awork", {"--client-secret", "s"}, facts("", false, false), "--client-secret-file"},
      {"no place for the key file", "awork", {}, {"", true, false, ""}, "AWORK_MCP_CONFIG_DIR"},
      {"an empty name", "", {}, facts("", false, true), "--name"},
      {"a name with a space", "my awork", {}, facts("", false, true), "\"my awork\""},
      {"a name with a quote", "a\"b", {}, facts("", false, true), "letter"},
      {"a name starting with a digit", "1awork", {}, facts("", false, true), "letter"},
      // A header's value or a proxy's password would stand in clear in the editor's file.
      {"an Authorization header", "awork", {"--header", "Authorization: Bearer sk-1"}, facts("", false, false), "--header-file"},
      {"a header with =", "awork", {"--header=X-Api-Key:sk-1"}, facts("", false, false), "--header-file"},
      {"a proxy with a password", "awork", {"--proxy", "http://me:sk-1@proxy:3128"}, facts("", false, false), "HTTPS_PROXY"},
      {"a proxy with a password, with =", "awork", {"--proxy=http://me:sk-1@proxy:3128"}, facts("", false, false), "password"},
  };
  for (const auto& r : rows) {
    entry_request request;
    request.name = r.entry_name;
    request.executable = exe;
    request.bridge_args = r.bridge_args;
    request.credential = r.credential;
    const auto plan = plan_entry(layout_of(client::cursor), request);
    EXPECT_NE(plan.refusal.find(r.refusal), std::string::npos) << r.name << ": " << plan.refusal;
    EXPECT_EQ(plan.refusal.find("sk-1"), std::string::npos) << r.name << ": the refusal repeats the key";
  }
  for (const char* good : {"awork", "awork-staging", "awork_2", "A"}) EXPECT_TRUE(valid_entry_name(good)) << good;
  // What holds no secret is written: a header taken from the environment, a proxy without a password.
  for (const std::vector<std::string>& fine : std::vector<std::vector<std::string>>{
           {"--header", "Authorization: Bearer ${AWORK_TOKEN}"}, {"--proxy", "http://proxy:3128"}, {"--header-file", "/h"}}) {
    entry_request request;
    request.name = "awork";
    request.executable = exe;
    request.bridge_args = fine;
    request.credential = facts("", false, true);
    EXPECT_EQ(plan_entry(layout_of(client::cursor), request).refusal, "") << fine.at(0) << " " << fine.at(1);
  }
}

TEST(install_entry, bridge_options_that_name_files_become_absolute) {
  const auto absolute = [](const std::string& p) { return p.starts_with("/") ? p : "/cwd/" + p; };
  struct row {
    std::vector<std::string> in;
    std::vector<std::string> out;
  };
  const std::vector<row> rows = {
      {{"--ca-file", "ca.pem", "--url", "https://x/mcp"}, {"--ca-file", "/cwd/ca.pem", "--url", "https://x/mcp"}},
      {{"--config=awork.toml", "--log-file", "/var/log/a.log"}, {"--config=/cwd/awork.toml", "--log-file", "/var/log/a.log"}},
      {{"--api-key-file", "k", "--client-secret-file=s"}, {"--api-key-file", "/cwd/k", "--client-secret-file=/cwd/s"}},
      {{"--header-file", "headers.txt", "--header=X-Team:blue"}, {"--header-file", "/cwd/headers.txt", "--header=X-Team:blue"}},
      {{"--header", "X: ca.pem", "--ca-file"}, {"--header", "X: ca.pem", "--ca-file"}},
      {{"--log-file="}, {"--log-file="}},
  };
  for (const auto& r : rows) EXPECT_EQ(with_absolute_paths(r.in, absolute), r.out);

  EXPECT_EQ(option_value({"--url", "u1"}, "--url"), "u1");
  EXPECT_EQ(option_value({"--url=u2"}, "--url"), "u2");
  EXPECT_EQ(option_value({"--urls", "x"}, "--url"), "");
  EXPECT_EQ(option_value({"--url"}, "--url"), "");
}

TEST(install_entry, a_homebrew_cellar_path_becomes_the_one_that_survives_upgrades) {
  struct row {
    const char* executable;
    const char* unversioned;
  };
  for (const auto& r : std::vector<row>{
           {"/opt/homebrew/Cellar/awork-mcp/1.4.0/bin/awork-mcp", "/opt/homebrew/bin/awork-mcp"},
           {"/usr/local/Cellar/awork-mcp/1.4.0_1/bin/awork-mcp", "/usr/local/bin/awork-mcp"},
           {"/home/linuxbrew/.linuxbrew/Cellar/awork-mcp/HEAD-04253b9/bin/awork-mcp",
            "/home/linuxbrew/.linuxbrew/bin/awork-mcp"},
           {"/usr/bin/awork-mcp", ""},
           {"/opt/homebrew/bin/awork-mcp", ""},
           {"/opt/homebrew/Cellar/awork-mcp/1.4.0/libexec/awork-mcp", ""},  // not bin/
           {"/opt/homebrew/Cellar/awork-mcp/1.4.0/bin/x/awork-mcp", ""},
           {"/opt/homebrew/Cellar/awork-mcp/bin/awork-mcp", ""},
           {"/opt/homebrew/Cellar/awork-mcp//bin/awork-mcp", ""},
           {"/opt/homebrew/Cellar/awork-mcp/1.4.0/bin/", ""},
           {"/Cellar/awork-mcp/1.4.0/bin/awork-mcp", ""},  // no prefix to put bin/ under
           {"C:\\Program Files\\awork-mcp\\awork-mcp.exe", ""},
       })
    EXPECT_EQ(unversioned_executable(r.executable), r.unversioned) << r.executable;
}
