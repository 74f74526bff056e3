// The POSIX rule for the per-user directory (platform::config_dir), with the environment injected.

#include "awork_mcp/platform/platform.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace {

struct config_dir_case {
  const char* name;
  bool macos;
  std::map<std::string, std::string> env;
  const char* expected;  // "" for none
};

const config_dir_case config_dir_cases[] = {
    {"linux default", false, {{"HOME", "/home/ann"}}, "/home/ann/.config/awork-mcp"},
    {"linux XDG", false, {{"HOME", "/home/ann"}, {"XDG_CONFIG_HOME", "/cfg"}}, "/cfg/awork-mcp"},
    {"linux XDG without HOME", false, {{"XDG_CONFIG_HOME", "/cfg"}}, "/cfg/awork-mcp"},
    {"empty XDG is unset", false, {{"HOME", "/home/ann"}, {"XDG_CONFIG_HOME", ""}}, "/home/ann/.config/awork-mcp"},
    {"relative XDG is ignored", false, {{"HOME", "/home/ann"}, {"XDG_CONFIG_HOME", "cfg"}}, "/home/ann/.config/awork-mcp"},
    {"macOS default", true, {{"HOME", "/Users/ann"}}, "/Users/ann/Library/Application Support/awork-mcp"},
    {"macOS with XDG", true, {{"HOME", "/Users/ann"}, {"XDG_CONFIG_HOME", "/Users/ann/.config"}}, "/Users/ann/.config/awork-mcp"},
    {"no HOME", false, {}, ""},
    {"empty HOME", true, {{"HOME", ""}}, ""},
    {"own directory wins", false, {{"HOME", "/home/ann"}, {"XDG_CONFIG_HOME", "/cfg"}, {"AWORK_MCP_CONFIG_DIR", "/opt/am"}}, "/opt/am"},
    {"empty own directory is unset", false, {{"HOME", "/home/ann"}, {"AWORK_MCP_CONFIG_DIR", ""}}, "/home/ann/.config/awork-mcp"},
};

}  // namespace

TEST(platform, posix_config_dir) {
  for (const auto& c : config_dir_cases) {
    auto lookup = [&](const char* name) -> const char* {
      auto it = c.env.find(name);
      return it == c.env.end() ? nullptr : it->second.c_str();
    };
    EXPECT_EQ(awork_mcp::platform::posix_config_dir(c.macos, lookup).string(), c.expected) << c.name;
  }
}

TEST(platform, config_dir_is_per_user_and_named_for_the_program) {
  auto dir = awork_mcp::platform::config_dir();
  EXPECT_EQ(dir.filename(), "awork-mcp");
  EXPECT_TRUE(dir.is_absolute()) << dir;
}
