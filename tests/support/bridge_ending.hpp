#pragma once
// What a test makes of how the bridge ended: a sanitizer report in its stderr, an exit code the
// test did not expect, or a bridge that had to be killed. Pure, so that it is tested by a table.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace test_support {

/// The sanitizer's report in a process's stderr (from its first marker line, at most 4 KiB), or
/// "" if there is none. Markers: ASan, LSan, UBSan ("runtime error:") and their summaries.
std::string sanitizer_report(std::string_view stderr_text);

struct ending_facts {
  std::optional<int> exit_code;      ///< nullopt: never reaped
  bool killed_after_stdin_closed = false;  ///< it did not exit on its own once stdin closed
  std::vector<int> expected_exits;   ///< empty: any code (the caller asserts it)
  std::string stderr_text;
};

/// What is wrong with the ending, one message each (empty: nothing).
std::vector<std::string> ending_problems(const ending_facts& facts);

}  // namespace test_support
