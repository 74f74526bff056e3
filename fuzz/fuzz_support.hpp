#pragma once
// Shared by the libFuzzer targets: invariant checks that crash (so that libFuzzer keeps the
// input), and random chunk splits for the incremental parsers.

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string_view>
#include <vector>

namespace fuzz {

[[noreturn]] inline void invariant_failed(const char* what, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: invariant violated: %s\n", file, line, what);
  std::abort();
}

/// Checks hold in every build type (no NDEBUG).
#define FUZZ_CHECK(condition) \
  ((condition) ? static_cast<void>(0) : ::fuzz::invariant_failed(#condition, __FILE__, __LINE__))

/// Checks of properties that src/ does not guarantee yet (each one was reported when found): they
/// run with AWORK_MCP_FUZZ_STRICT=1 in the environment, which scripts/fuzz.sh sets by default, so
/// that an open gap fails the fuzz run until it is closed. AWORK_MCP_FUZZ_STRICT=0 (or a target run
/// by hand without it) leaves them out, to look for new defects past a known one.
inline bool strict() {
  static const bool on = [] {
    const char* v = std::getenv("AWORK_MCP_FUZZ_STRICT");
    return v && *v && std::string_view(v) != "0";
  }();
  return on;
}
#define FUZZ_CHECK_STRICT(condition) \
  ((!::fuzz::strict() || (condition)) ? static_cast<void>(0) : ::fuzz::invariant_failed(#condition, __FILE__, __LINE__))

/// Cuts `text` into pieces as a socket or a pipe might deliver it: mostly small, sometimes
/// empty, sometimes large. The same seed always gives the same cuts.
inline std::vector<std::string_view> random_chunks(std::string_view text, std::uint32_t seed) {
  std::minstd_rand rng(seed | 1u);
  std::vector<std::string_view> out;
  while (!text.empty()) {
    std::size_t n;
    switch (rng() % 8) {
      case 0: n = 0; break;                     // an empty read
      case 1: n = 1 + rng() % 256; break;       // a larger piece
      case 2: n = text.size(); break;           // the rest at once
      default: n = 1 + rng() % 4; break;        // a few bytes, to split CRLF, BOMs and fields
    }
    n = std::min(n, text.size());
    out.push_back(text.substr(0, n));
    text.remove_prefix(n);
  }
  return out;
}

}  // namespace fuzz
