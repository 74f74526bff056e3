// `awork-mcp install CLIENT` and `uninstall CLIENT`, run as a user runs them: the real binary, with
// HOME and XDG_CONFIG_HOME pointing at a fixture home directory, one test per client's layout.
// Checked: the file written, the backup, a second run that writes nothing, --dry-run, uninstall
// leaving the other entries, a file with comments refused untouched, and the key never in clear
// anywhere but our private key file (0600), nor in the output.

#include "awork_mcp/auth/token_store.hpp"
#include "awork_mcp/core/endpoint.hpp"
#include "awork_mcp/oauth/discovery.hpp"
#include "bridge_process.hpp"

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

using namespace std::chrono_literals;
using test_support::bridge_process;
using test_support::temp_dir;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

constexpr std::string_view key = "sk-awork-INSTALL-TEST-0123456789";

struct run_result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0;
}

/// A home directory of its own: HOME, XDG_CONFIG_HOME and awork-mcp's config directory in it.
class install_test : public ::testing::Test {
 protected:
  temp_dir home_dir;
  fs::path home{home_dir.path()};
  fs::path config_dir = home / ".config" / "awork-mcp";
  std::map<std::string, std::string> env{{"HOME", home.string()},
                                         {"XDG_CONFIG_HOME", (home / ".config").string()},
                                         {"AWORK_MCP_CONFIG_DIR", config_dir.string()}};

  run_result run(std::vector<std::string> args, std::map<std::string, std::string> extra_env = {},
                 std::vector<std::string> command = {}) {
    bridge_process::options opts;
    opts.command = std::move(command);
    opts.args = std::move(args);
    opts.env = env;
    for (auto& [k, v] : extra_env) opts.env[k] = v;
    bridge_process bridge(opts);
    bridge.expect_any_exit();  // returned in run_result: the caller asserts it
    bridge.close_stdin();
    run_result r;
    while (auto line = bridge.read_line(10s)) r.out += *line + "\n";
    r.exit_code = bridge.wait(10s).value_or(-1);
    r.err = bridge.stderr_text();
    return r;
  }

  /// Every file under the home directory with its content.
  std::map<fs::path, std::string> files() const {
    std::map<fs::path, std::string> all;
    for (const auto& entry : fs::recursive_directory_iterator(home))
      if (entry.is_regular_file()) all[entry.path()] = read_text(entry.path());
    return all;
  }

  fs::path write(const fs::path& relative, std::string_view content) {
    const auto p = home / relative;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

  std::vector<fs::path> backups_of(const fs::path& file) const {
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(file.parent_path())) {
      const auto name = entry.path().filename().string();
      if (name.starts_with(file.filename().string() + ".") && name.ends_with(".bak")) found.push_back(entry.path());
    }
    return found;
  }

  /// Stores a sign-in to awork's server, as `awork-mcp login` would.
  void store_sign_in() {
    awork_mcp::sign_in_record record;
    record.resource = awork_mcp::canonical_resource(awork_mcp::parse_endpoint(awork_mcp::awork_default_url));
    record.issuer = "https://api.awork.com";
    record.token_endpoint = "https://api.awork.com/api/v1/accounts/token";
    record.client.client_id = "client-1";
    record.tokens.access_token = "access-1";
    record.tokens.refresh_token = "refresh-1";
    awork_mcp::token_store store(config_dir / "oauth");
    ASSERT_EQ(store.save(record), "");
    ASSERT_TRUE(store.load(record.resource));
  }

  /// The key appears in no file but `allowed`, and in no output.
  void expect_key_only_in(const run_result& r, const std::set<fs::path>& allowed) {
    EXPECT_EQ(r.out.find(key), std::string::npos) << r.out;
    EXPECT_EQ(r.err.find(key), std::string::npos) << r.err;
    for (const auto& [path, content] : files())
      if (!allowed.contains(path)) {
        EXPECT_EQ(content.find(key), std::string::npos) << "the key is in " << path;
      }
  }
};

std::string this_binary() { return fs::canonical(test_support::bridge_binary()).string(); }

json::value parse_file(const fs::path& p) { return json::parse(read_text(p)); }

}  // namespace

TEST_F(install_test, claude_desktop_new_file_then_nothing_to_do) {
  store_sign_in();
  const auto file = home / ".config" / "Claude" / "claude_desktop_config.json";
  const auto first = run({"install", "claude-desktop"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find(file.string()), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("created the file"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("stored sign-in"), std::string::npos) << first.out;
  EXPECT_EQ(read_text(file), "{\n  \"mcpServers\": {\n    \"awork\": {\n      \"command\": " +
                                 json::serialize(json::value(this_binary())) + "\n    }\n  }\n}\n");
  EXPECT_TRUE(backups_of(file).empty()) << "there was nothing to back up";

  const auto before = files();
  const auto mtime = fs::last_write_time(file);
  const auto second = run({"install", "claude-desktop"});
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("already there as it would be written"), std::string::npos) << second.out;
  EXPECT_EQ(files(), before) << "a second run writes nothing";
  EXPECT_EQ(fs::last_write_time(file), mtime);
}

// Homebrew starts the program from <prefix>/Cellar/<formula>/<version>/bin, which the next
// upgrade deletes: the entry names <prefix>/bin's link instead, when it leads to this program.
TEST_F(install_test, a_homebrew_install_is_named_by_its_unversioned_link) {
  store_sign_in();
  const auto prefix = home / "homebrew";
  const auto cellar_binary = prefix / "Cellar" / "awork-mcp" / "1.4.0" / "bin" / "awork-mcp";
  fs::create_directories(cellar_binary.parent_path());
  fs::copy_file(this_binary(), cellar_binary);
  fs::permissions(cellar_binary, fs::perms::owner_all);
  const auto file = home / ".config" / "Claude" / "claude_desktop_config.json";
  const auto command_in = [&] { return parse_file(file).at("mcpServers").at("awork").at("command").as_string(); };

  // No link yet: the Cellar path is all there is.
  auto unlinked = run({"install", "claude-desktop"}, {}, {cellar_binary.string()});
  ASSERT_EQ(unlinked.exit_code, 0) << unlinked.err;
  EXPECT_EQ(command_in(), cellar_binary.string());

  fs::create_directories(prefix / "bin");
  fs::create_symlink(cellar_binary, prefix / "bin" / "awork-mcp");
  auto linked = run({"install", "claude-desktop"}, {}, {cellar_binary.string()});
  ASSERT_EQ(linked.exit_code, 0) << linked.err;
  EXPECT_EQ(command_in(), (prefix / "bin" / "awork-mcp").string());

  // A link that leads to another program is not this one.
  fs::remove(prefix / "bin" / "awork-mcp");
  fs::create_symlink(this_binary(), prefix / "bin" / "awork-mcp");
  auto elsewhere = run({"install", "claude-desktop"}, {}, {cellar_binary.string()});
  ASSERT_EQ(elsewhere.exit_code, 0) << elsewhere.err;
  EXPECT_EQ(command_in(), cellar_binary.string());
}

TEST_F(install_test, claude_desktop_keeps_the_other_servers_and_backs_the_file_up) {
  const std::string original =
      "{\n    \"globalShortcut\": \"Ctrl+Space\",\n    \"mcpServers\": {\n"
      "        \"files\": {\"command\": \"npx\", \"args\": [\"-y\", \"@modelcontextprotocol/server-filesystem\"]},\n"
      "        \"awork\": {\"command\": \"/old/awork-mcp\", \"env\": {\"AWORK_API_KEY\": \"" + std::string(key) + "\"}},\n"
      "        \"git\": {\"command\": \"uvx\", \"args\": [\"mcp-server-git\"], \"timeout\": 60.0}\n    },\n"
      "    \"zoom\": 1.50\n}\n";
  const auto file = write(".config/Claude/claude_desktop_config.json", original);
  ::chmod(file.c_str(), 0644);
  store_sign_in();
  const auto r = run({"install", "claude-desktop"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("replaced \"awork\" in its place"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("before: /old/awork-mcp (environment: AWORK_API_KEY)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 other servers kept: files, git"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("the backup keeps it"), std::string::npos) << r.out;
  EXPECT_EQ(read_text(file),
            "{\n  \"globalShortcut\": \"Ctrl+Space\",\n  \"mcpServers\": {\n"
            "    \"files\": {\n      \"command\": \"npx\",\n      \"args\": [\n        \"-y\",\n"
            "        \"@modelcontextprotocol/server-filesystem\"\n      ]\n    },\n"
            "    \"awork\": {\n      \"command\": " + json::serialize(json::value(this_binary())) + "\n    },\n"
            "    \"git\": {\n      \"command\": \"uvx\",\n      \"args\": [\n        \"mcp-server-git\"\n      ],\n"
            "      \"timeout\": 60.0\n    }\n  },\n  \"zoom\": 1.50\n}\n");
  EXPECT_EQ(mode_of(file), 0644u) << "the editor's file keeps its permissions";
  const auto backups = backups_of(file);
  ASSERT_EQ(backups.size(), 1u);
  EXPECT_EQ(read_text(backups[0]), original);
  EXPECT_EQ(mode_of(backups[0]), 0600u) << "the backup may hold a key: private";
  EXPECT_NE(r.out.find(backups[0].string()), std::string::npos) << r.out;
  expect_key_only_in(r, {backups[0]});
}

TEST_F(install_test, claude_code_user_scope_in_claude_json_with_a_key_file) {
  const auto key_file = write("secrets/awork-key", std::string(key) + "\n");
  ::chmod(key_file.c_str(), 0600);
  const std::string original =
      R"({"numStartups":42,"lastCost":0.0123,"projects":{"/home/ann/app":{"mcpServers":{"local":{"type":"stdio","command":"x"}}}},)"
      R"("mcpServers":{"github":{"type":"http","url":"https://api.githubcopilot.com/mcp/"}}})";
  const auto file = write(".claude.json", original);
  const auto r = run({"install", "claude-code", "--api-key-file", key_file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("reads the key from " + key_file.string()), std::string::npos) << r.out;
  const auto doc = parse_file(file);
  EXPECT_EQ(doc.at("mcpServers").at("awork"),
            json::parse(R"({"type":"stdio","command":)" + json::serialize(json::value(this_binary())) +
                        R"(,"args":["--api-key-file",)" + json::serialize(json::value(key_file.string())) + "]}"));
  EXPECT_EQ(doc.at("mcpServers").at("github"), json::parse(R"({"type":"http","url":"https://api.githubcopilot.com/mcp/"})"));
  EXPECT_EQ(doc.at("projects"), json::parse(original).at("projects")) << "the project scopes are not ours";
  const auto text = read_text(file);
  EXPECT_NE(text.find("\"lastCost\": 0.0123"), std::string::npos) << "numbers keep their spelling:\n" << text;
  EXPECT_EQ(backups_of(file).size(), 1u);
  expect_key_only_in(r, {key_file});

  // The same, given as AWORK_API_KEY_FILE: nothing changes.
  const auto again = run({"install", "claude-code"}, {{"AWORK_API_KEY_FILE", key_file.string()}});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("already there"), std::string::npos) << again.out;
  EXPECT_EQ(backups_of(file).size(), 1u);
}

TEST_F(install_test, cursor_key_from_the_environment_goes_to_a_private_file_and_dry_run_writes_nothing) {
  const auto file = home / ".cursor" / "mcp.json";
  const auto key_file = config_dir / "api-key";
  const std::map<std::string, std::string> with_key{{"AWORK_API_KEY", std::string(key)}};

  const auto dry = run({"install", "cursor", "--dry-run"}, with_key);
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("dry run: nothing is written"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("would write the key to " + key_file.string()), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("would create the file"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("\"--api-key-file\""), std::string::npos) << "it shows the entry:\n" << dry.out;
  EXPECT_TRUE(files().empty()) << "--dry-run wrote " << files().begin()->first;
  EXPECT_FALSE(fs::exists(home / ".cursor"));

  const auto r = run({"install", "cursor", "--", "--log-level", "info"}, with_key);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("wrote the key to " + key_file.string()), std::string::npos) << r.out;
  EXPECT_EQ(read_text(key_file), std::string(key) + "\n");
  EXPECT_EQ(mode_of(key_file), 0600u);
  EXPECT_EQ(parse_file(file).at("mcpServers").at("awork"),
            json::parse(R"({"command":)" + json::serialize(json::value(this_binary())) +
                        R"(,"args":["--api-key-file",)" + json::serialize(json::value(key_file.string())) +
                        R"(,"--log-level","info"]})"));
  expect_key_only_in(r, {key_file});

  const auto again = run({"install", "cursor", "--", "--log-level", "info"}, with_key);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("already holds this key"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("already there"), std::string::npos) << again.out;
  EXPECT_TRUE(backups_of(file).empty());

  // A key among the bridge options is refused: it would be in clear in the file.
  const auto refused = run({"install", "cursor", "--", "--api-key", std::string(key)});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("in clear"), std::string::npos) << refused.err;
  expect_key_only_in(refused, {key_file});
}

TEST_F(install_test, vscode_prompts_for_the_key_and_refuses_a_file_with_comments) {
  const auto file = home / ".config" / "Code" / "User" / "mcp.json";
  const auto r = run({"install", "vscode"}, {{"AWORK_API_KEY", std::string(key)}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("VS Code asks for the key"), std::string::npos) << r.out;
  const auto doc = parse_file(file);
  EXPECT_EQ(doc.at("servers").at("awork"),
            json::parse(R"({"type":"stdio","command":)" + json::serialize(json::value(this_binary())) +
                        R"(,"env":{"AWORK_API_KEY":"${input:awork-api-key}"}})"));
  EXPECT_EQ(doc.at("inputs"),
            json::parse(R"([{"type":"promptString","id":"awork-api-key","description":"awork API key","password":true}])"));
  EXPECT_FALSE(fs::exists(config_dir / "api-key")) << "VS Code keeps the key itself";
  expect_key_only_in(r, {});

  const std::string jsonc = "{\n  // my servers\n  \"servers\": {\n    \"gh\": {\"type\": \"http\", \"url\": \"https://x\"},\n  },\n}\n";
  write(".config/Code/User/mcp.json", jsonc);
  const auto refused = run({"install", "vscode"}, {{"AWORK_API_KEY", std::string(key)}});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("comments"), std::string::npos) << refused.err;
  EXPECT_NE(refused.out.find("Merge this into it by hand"), std::string::npos) << refused.out;
  EXPECT_NE(refused.out.find("\"${input:awork-api-key}\""), std::string::npos) << refused.out;
  EXPECT_EQ(read_text(file), jsonc) << "the file with comments is untouched";
  EXPECT_TRUE(backups_of(file).empty());
  expect_key_only_in(refused, {});

  const auto not_removed = run({"uninstall", "vscode"});
  EXPECT_EQ(not_removed.exit_code, 1);
  EXPECT_EQ(read_text(file), jsonc);
}

TEST_F(install_test, windsurf_uninstall_leaves_the_other_entries) {
  const std::string original =
      R"({"mcpServers":{"a":{"command":"a","disabled":false},"awork":{"command":"/opt/awork-mcp","args":["--api-key-file","/k"]},"b":{"serverUrl":"https://b/mcp"}}})";
  const auto file = write(".codeium/windsurf/mcp_config.json", original);

  const auto dry = run({"uninstall", "windsurf", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("would remove \"awork\""), std::string::npos) << dry.out;
  EXPECT_EQ(read_text(file), original);
  EXPECT_TRUE(backups_of(file).empty());

  const auto r = run({"uninstall", "windsurf"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("removed \"awork\" (2 other servers kept: a, b"), std::string::npos) << r.out;
  EXPECT_EQ(read_text(file), "{\n  \"mcpServers\": {\n    \"a\": {\n      \"command\": \"a\",\n      \"disabled\": false\n"
                             "    },\n    \"b\": {\n      \"serverUrl\": \"https://b/mcp\"\n    }\n  }\n}\n");
  const auto backups = backups_of(file);
  ASSERT_EQ(backups.size(), 1u);
  EXPECT_EQ(read_text(backups[0]), original);

  const auto before = files();
  const auto again = run({"uninstall", "windsurf"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("nothing to remove"), std::string::npos) << again.out;
  EXPECT_EQ(files(), before);

  // Install and uninstall again: the other entries come through both unchanged.
  ASSERT_EQ(run({"install", "windsurf"}).exit_code, 0);
  ASSERT_EQ(run({"uninstall", "windsurf"}).exit_code, 0);
  EXPECT_EQ(parse_file(file),
            json::parse(R"({"mcpServers":{"a":{"command":"a","disabled":false},"b":{"serverUrl":"https://b/mcp"}}})"));
}

TEST_F(install_test, files_that_are_not_a_json_object_are_refused_untouched) {
  for (const std::string& bad : {std::string("[]"), std::string("{\"mcpServers\": "), std::string("mcpServers:\n  awork: x\n"),
                                std::string("{\"mcpServers\": [1]}")}) {
    const auto file = write(".cursor/mcp.json", bad);
    const auto r = run({"install", "cursor"});
    EXPECT_EQ(r.exit_code, 1) << bad;
    EXPECT_NE(r.err.find("the file was left as it is"), std::string::npos) << r.err;
    EXPECT_EQ(read_text(file), bad);
    EXPECT_TRUE(backups_of(file).empty()) << bad;
  }
}

TEST_F(install_test, a_symbolic_link_stays_a_link_and_its_target_is_written) {
  const auto real = write("dotfiles/cursor-mcp.json", R"({"mcpServers":{"gh":{"command":"gh"}}})");
  fs::create_directories(home / ".cursor");
  fs::create_symlink(real, home / ".cursor" / "mcp.json");
  const auto r = run({"install", "cursor", "--", "--url", "https://mcp.example.com/mcp"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(home / ".cursor" / "mcp.json"));
  const auto doc = parse_file(real);
  EXPECT_EQ(doc.at("mcpServers").at("awork").at("args"), json::parse(R"(["--url","https://mcp.example.com/mcp"])"));
  EXPECT_EQ(doc.at("mcpServers").at("gh"), json::parse(R"({"command":"gh"})"));
  EXPECT_EQ(backups_of(real).size(), 1u);
}

TEST_F(install_test, wrong_commands_are_refused) {
  struct row {
    std::vector<std::string> args;
    const char* err;
  };
  const std::vector<row> rows = {
      {{"install", "emacs"}, "emacs not in"},
      {{"install"}, "client is required"},
      {{"install", "cursor", "--", "--no-such-option"}, "not ones the bridge runs with"},
      {{"install", "cursor", "--name", "my awork"}, "not one every editor accepts"},
      {{"install", "cursor", "--api-key-file", "/nonexistent/key"}, "cannot read --api-key-file"},
  };
  for (const auto& r : rows) {
    const auto result = run(r.args);
    EXPECT_NE(result.exit_code, 0);
    EXPECT_NE(result.err.find(r.err), std::string::npos) << result.err;
  }
  EXPECT_TRUE(files().empty()) << files().begin()->first;
}

// A secret given among the bridge options (a header's value, a proxy's password) is never written
// in clear into the editor's file, nor printed: the install is refused with what to do instead.
TEST_F(install_test, a_header_or_proxy_password_among_the_bridge_options_is_refused_and_never_written) {
  const std::string header = "Authorization: Bearer " + std::string(key);
  const std::string proxy = "http://me:" + std::string(key) + "@proxy.example:3128";
  for (const auto& bridge_options : std::vector<std::vector<std::string>>{{"--header", header}, {"--proxy", proxy}}) {
    std::vector<std::string> args{"install", "cursor", "--"};
    args.insert(args.end(), bridge_options.begin(), bridge_options.end());
    const auto r = run(args);
    EXPECT_NE(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.err.find("nothing was installed"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(bridge_options[0] == "--header" ? "--header-file" : "HTTPS_PROXY"), std::string::npos) << r.err;
    expect_key_only_in(r, {});
    EXPECT_FALSE(fs::exists(home / ".cursor" / "mcp.json"));
  }
}
