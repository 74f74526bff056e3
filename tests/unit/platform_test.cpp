// The POSIX rule for the per-user directory (platform::config_dir), with the environment injected;
// the atomic rewrite of another program's file, this program's path, and UTF-8 paths.

#include "awork_mcp/platform/files.hpp"
#include "awork_mcp/platform/platform.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdlib>
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

// ---- files of other programs, and this program's own path ------------------------------------

namespace {

/// A fresh directory under the system's temporary directory, removed with its contents.
struct scratch_dir {
  std::filesystem::path path;
  scratch_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "awork-mcp-platform-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~scratch_dir() { std::filesystem::remove_all(path); }
};

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0;
}

}  // namespace

TEST(platform, write_file_atomically_keeps_the_mode_of_what_it_replaces_and_leaves_the_directory_alone) {
  scratch_dir dir;
  ::chmod(dir.path.c_str(), 0755);
  const auto shared = dir.path / "shared.json";
  const auto fresh = dir.path / "fresh.json";
  ASSERT_EQ(awork_mcp::platform::write_file_atomically(shared, "old"), "");
  ::chmod(shared.c_str(), 0644);

  EXPECT_EQ(awork_mcp::platform::write_file_atomically(shared, "new\n"), "");
  EXPECT_EQ(awork_mcp::platform::read_file(shared), "new\n");
  EXPECT_EQ(mode_of(shared), 0644u) << "an editor's file keeps its permissions";
  EXPECT_EQ(awork_mcp::platform::write_file_atomically(fresh, "{}"), "");
  EXPECT_EQ(mode_of(fresh), 0600u) << "a new file is private";
  EXPECT_EQ(mode_of(dir.path), 0755u) << "the directory is not made private";
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path)) ++files;
  EXPECT_EQ(files, 2u) << "no temporary file is left behind";

  const auto error = awork_mcp::platform::write_file_atomically(dir.path / "missing" / "x.json", "{}");
  EXPECT_NE(error.find("missing"), std::string::npos) << error;
  EXPECT_FALSE(std::filesystem::exists(dir.path / "missing")) << "a missing directory is not created";
}

TEST(platform, executable_path_is_this_program) {
  const auto self = awork_mcp::platform::executable_path();
  EXPECT_TRUE(self.is_absolute()) << self;
  EXPECT_EQ(self.filename(), "unit_tests");
  EXPECT_TRUE(std::filesystem::is_regular_file(self)) << self;
}

TEST(platform, paths_and_utf8) {
  const std::string text = "/home/J\xc3\xbcrgen/\xe6\x97\xa5\xe6\x9c\xac/mcp.json";
  EXPECT_EQ(awork_mcp::platform::utf8_of(awork_mcp::platform::path_from_utf8(text)), text);
  ::setenv("AWORK_MCP_TEST_VARIABLE", text.c_str(), 1);
  EXPECT_EQ(awork_mcp::platform::environment_variable("AWORK_MCP_TEST_VARIABLE"), text);
  ::unsetenv("AWORK_MCP_TEST_VARIABLE");
  EXPECT_EQ(awork_mcp::platform::environment_variable("AWORK_MCP_TEST_VARIABLE"), std::nullopt);
}

// The Windows token file's replacement waits out another program that holds it open (a sharing
// violation), a few times over about 1.5 s, and gives up at once on an error waiting cannot mend.
TEST(platform, a_replace_refused_while_another_program_holds_the_file_is_tried_again) {
  using awork_mcp::platform::replace_retry_wait;
  std::chrono::milliseconds total{0};
  int tries = 0;
  while (auto wait = replace_retry_wait(32, tries)) {  // ERROR_SHARING_VIOLATION
    EXPECT_GT(*wait, std::chrono::milliseconds(0));
    total += *wait;
    ++tries;
  }
  EXPECT_GE(tries, 5);
  EXPECT_GE(total, std::chrono::milliseconds(1000));
  EXPECT_LE(total, std::chrono::milliseconds(2000));
  for (unsigned long held : {5ul, 33ul, 1175ul, 1176ul}) EXPECT_TRUE(replace_retry_wait(held, 0)) << held;
  for (unsigned long final_error : {2ul, 3ul, 112ul, 0ul}) EXPECT_FALSE(replace_retry_wait(final_error, 0)) << final_error;
}
