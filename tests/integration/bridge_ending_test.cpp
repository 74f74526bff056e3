// The harness itself: a test that runs the bridge fails when the bridge ends badly (a sanitizer
// report, an exit code the test did not expect, no exit once stdin closed), so that the sanitizer
// stage sees what the bridge reports during drain and shutdown.

#include "bridge_ending.hpp"
#include "bridge_process.hpp"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

using namespace std::chrono_literals;
using test_support::bridge_process;
using test_support::ending_problems;
using test_support::sanitizer_report;

TEST(bridge_ending, finds_each_sanitizers_report_from_its_first_line) {
  struct row {
    const char* stderr_text;
    const char* report_starts;  // nullptr: no report
  } rows[] = {
      {"", nullptr},
      {"[info] awork-mcp 1.0 ready\n[info] stdin closed; bye\n", nullptr},
      {"[info] x\n==42==ERROR: AddressSanitizer: heap-use-after-free on address\n#0 0x1", "==42==ERROR: AddressSanitizer"},
      {"==9==ERROR: LeakSanitizer: detected memory leaks\n", "==9==ERROR: LeakSanitizer"},
      {"log\nsrc/core/a.cpp:3:5: runtime error: signed integer overflow\n", "src/core/a.cpp:3:5: runtime error"},
      {"SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior a.cpp:1:1", "SUMMARY: UndefinedBehaviorSanitizer"},
      {"==1==WARNING: AddressSanitizer failed to allocate 0x1000 bytes\n", "==1==WARNING: AddressSanitizer"},
      // The bridge's own log mentioning the word is not a report.
      {"[warn] the server said: AddressSanitizer is great\n", nullptr},
  };
  for (const auto& r : rows) {
    const auto report = sanitizer_report(r.stderr_text);
    if (!r.report_starts) {
      EXPECT_EQ(report, "") << r.stderr_text;
    } else {
      EXPECT_EQ(report.rfind(r.report_starts, 0), 0u) << r.stderr_text << " -> " << report;
    }
  }
}

TEST(bridge_ending, judges_the_exit_against_what_the_test_expects) {
  struct row {
    std::optional<int> code;
    bool killed;
    std::vector<int> expected;
    std::size_t problems;
  } rows[] = {
      {0, false, {0}, 0},   {2, false, {2}, 0},   {2, false, {0}, 1}, {134, false, {0}, 1},
      {137, true, {0}, 1},  {137, true, {}, 1},   {5, false, {}, 0},  {std::nullopt, false, {0}, 0},
  };
  for (const auto& r : rows)
    EXPECT_EQ(ending_problems({r.code, r.killed, r.expected, "log\n"}).size(), r.problems)
        << "code " << r.code.value_or(-1) << " killed " << r.killed;
  EXPECT_EQ(ending_problems({0, false, {0}, "==1==ERROR: LeakSanitizer: detected memory leaks\n"}).size(), 1u);
}

namespace {
// A stand-in for the bridge: a shell that does what `script` says, then reads stdin to its end.
bridge_process::options stand_in(const char* script) {
  bridge_process::options opts;
  opts.command = {"/bin/sh", "-c", script};
  opts.exit_grace = 500ms;
  return opts;
}
}  // namespace

TEST(bridge_ending, a_sanitizer_report_fails_the_test_whatever_the_exit_code) {
  EXPECT_NONFATAL_FAILURE(
      { bridge_process b(stand_in("echo '==7==ERROR: AddressSanitizer: heap-use-after-free' >&2; cat >/dev/null")); },
      "heap-use-after-free");
}

TEST(bridge_ending, an_exit_code_the_test_did_not_expect_fails_it) {
  EXPECT_NONFATAL_FAILURE({ bridge_process b(stand_in("cat >/dev/null; exit 3")); }, "exited with 3, expected 0");
  bridge_process expected(stand_in("cat >/dev/null; exit 3"));
  expected.expect_exit(3);
}

TEST(bridge_ending, a_bridge_that_does_not_exit_when_stdin_closes_fails_the_test) {
  EXPECT_NONFATAL_FAILURE({ bridge_process b(stand_in("exec sleep 30 </dev/null")); }, "did not exit after its stdin closed");
}
