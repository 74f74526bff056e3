#include "awork_mcp/app/config.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

using namespace awork_mcp;

namespace {
command_line_result parse(std::vector<const char*> args, std::map<std::string, std::string> env = {}) {
  args.insert(args.begin(), "awork-mcp");
  return parse_command_line(static_cast<int>(args.size()), args.data(), [env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}
}  // namespace

TEST(config, awork_without_a_key_signs_in) {
  auto r = parse({});
  ASSERT_EQ(r.what, command_line_result::action::run);
  EXPECT_FALSE(r.config.api_key);
  EXPECT_TRUE(r.config.sign_in.sign_in_when_needed);
  EXPECT_FALSE(parse({"--no-auto-login"}).config.sign_in.sign_in_when_needed);
}

TEST(config, api_key_from_the_environment) {
  auto ok = parse({}, {{"AWORK_API_KEY", " k1 \n"}});
  ASSERT_EQ(ok.what, command_line_result::action::run);
  EXPECT_EQ(ok.config.api_key, "k1");
  EXPECT_EQ(ok.config.server.host, "api.awork.com");
}

// Claude Desktop passes an optional bundle setting the user left empty as the text
// "${user_config.NAME}" (or an empty string): that is no key and the default URL, not a key
// "${user_config.api_key}" sent to the server or a start that fails on the URL.
TEST(config, settings_a_bundle_left_unfilled_count_as_not_given) {
  for (const char* unfilled : {"", "  ", "${user_config.api_key}", "${user_config.server_url}"}) {
    auto r = parse({"--url", unfilled}, {{"AWORK_API_KEY", unfilled}});
    ASSERT_EQ(r.what, command_line_result::action::run) << unfilled;
    EXPECT_FALSE(r.config.api_key) << unfilled;
    EXPECT_EQ(r.config.server.host, "api.awork.com") << unfilled;
  }
  for (const char* key : {"${user_config.}x", "${user_config.a}b", "k${user_config.a}", "${other.api_key}"})
    EXPECT_EQ(parse({}, {{"AWORK_API_KEY", key}}).config.api_key, key) << "a real value: " << key;
}

TEST(config, other_servers_need_no_key) {
  auto r = parse({"--url", "http://127.0.0.1:1234/mcp"});
  ASSERT_EQ(r.what, command_line_result::action::run);
  EXPECT_FALSE(r.config.api_key);
}

TEST(config, plain_http_only_to_loopback_unless_allowed) {
  EXPECT_EQ(parse({"--url", "http://example.com/mcp"}).what, command_line_result::action::exit);
  EXPECT_EQ(parse({"--url", "http://example.com/mcp", "--allow-http"}).what, command_line_result::action::run);
}

TEST(config, options_are_read) {
  auto r = parse({"--url", "https://example.com/mcp", "--api-key", "k", "--header", "X-A: 1", "--header", "X-B: 2",
                  "--request-timeout", "1.5", "--log-level", "trace", "--max-line-bytes", "1000", "--no-get-stream"});
  ASSERT_EQ(r.what, command_line_result::action::run);
  EXPECT_EQ(r.config.api_key, "k");
  EXPECT_EQ(r.config.extra_headers.size(), 2u);
  EXPECT_EQ(r.config.request_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(r.config.log_level, spdlog::level::trace);
  EXPECT_EQ(r.config.max_line_bytes, 1000u);
  EXPECT_FALSE(r.config.get_stream);
}

TEST(config, bad_values_are_refused) {
  EXPECT_EQ(parse({"--url", "ftp://x"}).exit_code, 2);
  EXPECT_NE(parse({"--log-level", "loud", "--url", "http://127.0.0.1/"}).exit_code, 0);
  EXPECT_EQ(parse({"--url", "http://127.0.0.1/", "--header", "nocolon"}).exit_code, 2);
  EXPECT_NE(parse({"--url", "http://127.0.0.1/", "--api-key-file", "/nonexistent/key"}).exit_code, 0);
}

TEST(config, help_and_version_exit_zero) {
  EXPECT_EQ(parse({"--help"}).what, command_line_result::action::exit);
  EXPECT_EQ(parse({"--help"}).exit_code, 0);
  EXPECT_EQ(parse({"--version"}).exit_code, 0);
}

TEST(config, sign_in_commands_and_options) {
  EXPECT_EQ(parse({"login"}).what, command_line_result::action::login);
  EXPECT_EQ(parse({"logout"}).what, command_line_result::action::logout);
  EXPECT_EQ(parse({"status"}).what, command_line_result::action::status);
  EXPECT_EQ(parse({"login", "status"}).what, command_line_result::action::exit);
  auto r = parse({"--client-id", "c1", "--scope", "a b", "--redirect-port", "8400", "--no-browser", "login"},
                 {{"AWORK_MCP_CLIENT_SECRET", " s3cret\n"}});
  ASSERT_EQ(r.what, command_line_result::action::login);
  EXPECT_EQ(r.config.sign_in.client_id, "c1");
  EXPECT_EQ(r.config.sign_in.client_secret, "s3cret");
  EXPECT_EQ(r.config.sign_in.scope, "a b");
  EXPECT_EQ(r.config.sign_in.redirect_port, 8400);
  EXPECT_FALSE(r.config.sign_in.open_browser);
  // The README writes `awork-mcp login --no-browser`: options may follow the command too.
  auto after = parse({"login", "--no-browser", "--url", "http://127.0.0.1:9/mcp"});
  ASSERT_EQ(after.what, command_line_result::action::login);
  EXPECT_FALSE(after.config.sign_in.open_browser);
  EXPECT_EQ(after.config.server.port, "9");
  EXPECT_EQ(parse({"logout", "--url", "http://127.0.0.1:9/mcp"}).what, command_line_result::action::logout);
  EXPECT_EQ(parse({"status", "--url", "http://127.0.0.1:9/mcp"}).what, command_line_result::action::status);
  // A secret without its client is a mistake, not something to ignore.
  EXPECT_EQ(parse({"--client-secret", "s"}).exit_code, 2);
}

TEST(config, check_command_and_its_json_flag) {
  EXPECT_EQ(parse({"check"}).what, command_line_result::action::check);
  EXPECT_FALSE(parse({"check"}).check_json);
  EXPECT_TRUE(parse({"check", "--json"}).check_json);
  // The options of a run may come after the command too.
  auto r = parse({"check", "--url", "http://127.0.0.1:9/mcp", "--json", "--protocol", "legacy"});
  ASSERT_EQ(r.what, command_line_result::action::check);
  EXPECT_EQ(r.config.server.port, "9");
  EXPECT_EQ(r.config.protocol, "legacy");
  EXPECT_TRUE(r.check_json);
  EXPECT_EQ(parse({"--json"}).what, command_line_result::action::exit) << "--json belongs to check";
}

TEST(config, where_the_settings_came_from) {
  auto defaults = parse({});
  EXPECT_EQ(defaults.config.provenance.url, setting_origin::built_in);
  EXPECT_EQ(defaults.config.provenance.protocol, setting_origin::built_in);
  EXPECT_EQ(defaults.config.provenance.api_key_via, "");

  auto given = parse({"--url=http://127.0.0.1:9/mcp", "--protocol", "modern", "--api-key", "k"});
  EXPECT_EQ(given.config.provenance.url, setting_origin::command_line);
  EXPECT_EQ(given.config.provenance.protocol, setting_origin::command_line);
  EXPECT_EQ(given.config.provenance.api_key_via, "--api-key");
  EXPECT_EQ(parse({}, {{"AWORK_API_KEY", "k"}}).config.provenance.api_key_via, "AWORK_API_KEY");

  // A key file, named on the command line, and a URL from a config file.
  const auto dir = std::filesystem::temp_directory_path() / ("awork-mcp-config-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto key_file = (dir / "key").string();
  const auto config_file = (dir / "awork-mcp.toml").string();
  std::ofstream(key_file) << "k-from-file\n";
  std::ofstream(config_file) << "url = \"http://127.0.0.1:7/mcp\"\n";
  std::filesystem::permissions(key_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto from_files = parse({"--config", config_file.c_str(), "--api-key-file", key_file.c_str()});
  ASSERT_EQ(from_files.what, command_line_result::action::run);
  EXPECT_EQ(from_files.config.server.port, "7");
  EXPECT_EQ(from_files.config.provenance.url, setting_origin::config_file);
  EXPECT_EQ(from_files.config.provenance.api_key_via, "--api-key-file");
  EXPECT_EQ(from_files.config.provenance.api_key_file, key_file);
  EXPECT_EQ(from_files.config.api_key, "k-from-file");
  // The command line wins over the config file, and says so.
  EXPECT_EQ(parse({"--config", config_file.c_str(), "--url", "http://127.0.0.1:8/mcp"}).config.provenance.url,
            setting_origin::command_line);
  std::filesystem::remove_all(dir);
}
