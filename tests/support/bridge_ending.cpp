#include "bridge_ending.hpp"

#include <algorithm>
#include <array>

namespace test_support {

std::string sanitizer_report(std::string_view text) {
  static constexpr std::array<std::string_view, 6> markers{
      "ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "WARNING: AddressSanitizer",
      "runtime error:",  // UBSan, in every mode
      "SUMMARY: AddressSanitizer", "SUMMARY: UndefinedBehaviorSanitizer"};
  auto first = std::string_view::npos;
  for (auto marker : markers) first = std::min(first, text.find(marker));
  if (first == std::string_view::npos) return {};
  // From the start of the marker's line: ASan's "==123==" and UBSan's "file:line:col:" prefix it.
  const auto line_start = text.rfind('\n', first);
  const auto from = line_start == std::string_view::npos ? 0 : line_start + 1;
  return std::string(text.substr(from, 4096));
}

std::vector<std::string> ending_problems(const ending_facts& facts) {
  std::vector<std::string> problems;
  if (auto report = sanitizer_report(facts.stderr_text); !report.empty())
    problems.push_back("the bridge's sanitizer reported:\n" + report);
  if (facts.killed_after_stdin_closed) {
    problems.push_back("the bridge did not exit after its stdin closed (on its own, in the time allowed) and was killed");
  } else if (facts.exit_code && !facts.expected_exits.empty() &&
             std::find(facts.expected_exits.begin(), facts.expected_exits.end(), *facts.exit_code) ==
                 facts.expected_exits.end()) {
    std::string expected;
    for (int code : facts.expected_exits) expected += (expected.empty() ? "" : " or ") + std::to_string(code);
    const auto& err = facts.stderr_text;
    problems.push_back("the bridge exited with " + std::to_string(*facts.exit_code) + ", expected " + expected +
                       "; the end of its stderr:\n" + err.substr(err.size() > 2000 ? err.size() - 2000 : 0));
  }
  return problems;
}

}  // namespace test_support
