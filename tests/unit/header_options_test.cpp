// Header options from an editor's command line, as tables: ${VAR} expansion and header files.

#include "awork_mcp/core/header_options.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

using namespace awork_mcp;

TEST(header_options, environment_references_in_values) {
  const std::map<std::string, std::string> vars = {{"TOKEN", "s3cr3t"}, {"EMPTY", ""}, {"A_1", "x y"}};
  const env_lookup env = [&](const char* name) -> const char* {
    auto found = vars.find(name);
    return found == vars.end() ? nullptr : found->second.c_str();
  };
  struct row {
    const char* in;
    const char* out;        // when it expands
    const char* problem;    // a word of the problem otherwise
  };
  const std::vector<row> rows = {
      {"Authorization: Bearer ${TOKEN}", "Authorization: Bearer s3cr3t", ""},
      {"Authorization:${TOKEN}", "Authorization:s3cr3t", ""},
      {"X: ${TOKEN}${TOKEN}", "X: s3cr3ts3cr3t", ""},
      {"X: ${A_1}", "X: x y", ""},
      {"X: ${EMPTY}", "X: ", ""},                 // set but empty is what the user set
      {"X: $TOKEN", "X: $TOKEN", ""},             // only the braced form
      {"X: a$b$", "X: a$b$", ""},
      {"X: $${TOKEN}", "X: ${TOKEN}", ""},        // the escape
      {"X: no references", "X: no references", ""},
      {"X: ${MISSING}", "", "${MISSING}, which is not set"},
      {"X: ${1ABC}", "", "malformed"},
      {"X: ${}", "", "malformed"},
      {"X: ${TOKEN", "", "malformed"},
      {"X: ${TO-KEN}", "", "malformed"},
  };
  for (const auto& r : rows) {
    const auto e = expand_env(r.in, env);
    if (std::string(r.problem).empty()) {
      EXPECT_EQ(e.problem, "") << r.in;
      EXPECT_EQ(e.text, r.out) << r.in;
    } else {
      EXPECT_NE(e.problem.find(r.problem), std::string::npos) << r.in << ": " << e.problem;
      EXPECT_EQ(e.problem.find("s3cr3t"), std::string::npos) << "a problem never shows a value";
    }
  }
}

TEST(header_options, header_files) {
  struct row {
    const char* name;
    std::string text;
    std::vector<std::string> lines;
  };
  const std::vector<row> rows = {
      {"plain", "X-A: 1\nX-B: 2\n", {"X-A: 1", "X-B: 2"}},
      {"no final newline", "X-A: 1", {"X-A: 1"}},
      {"CRLF and blanks", "X-A: 1\r\n\r\n  \r\nX-B: 2\r\n", {"X-A: 1", "X-B: 2"}},
      {"comments and indentation", "# tenant\n  X-Tenant: 7  \n#X-Off: 1\n", {"X-Tenant: 7"}},
      {"byte order mark", "\xEF\xBB\xBFX-A: 1\n", {"X-A: 1"}},
      {"empty", "", {}},
  };
  for (const auto& r : rows) EXPECT_EQ(header_file_lines(r.text), r.lines) << r.name;
}
