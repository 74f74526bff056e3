#!/usr/bin/env bash
# Builds and tests the bridge with clang and LLVM's libc++, the standard library of macOS, on
# Linux (preset clang-libcxx, in build/libcxx): Boost.JSON/URL and GoogleTest are compiled from
# source against libc++, since Debian's libraries are built on libstdc++.
#   1. installs what is missing (Debian's clang, libc++-14-dev, libc++abi-14-dev, the test peers)
#   2. builds everything with warnings as errors (the log: build/libcxx/build.log)
#   3. compiles the macOS branches of src/platform/posix.cpp and posix_files.cpp
#      (tests/platform/apple_branches.cpp)
#   4. runs the whole test suite with ctest: unit, integration, end to end, conformance, man page
# and ends with ctest's summary and the line "libc++: N passed, M failed" (the ctest tests, plus
# the check of step 3). Exits non-zero if anything failed, or if a test did not run.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=$(nproc)
passed=0
failed=0
finish() {
  echo "libc++: $passed passed, $failed failed"
  ((failed == 0))
  exit
}

scripts/install-deps.sh --tests --libcxx || { failed=1; finish; }
scripts/install-test-peers.sh || { failed=1; finish; }
mkdir -p build/libcxx

echo "== libc++: configuring and building (clang++ -stdlib=libc++, warnings as errors) in build/libcxx"
start=$SECONDS
if ! { cmake --preset clang-libcxx >build/libcxx/configure.log 2>&1 &&
       cmake --build --preset clang-libcxx -j"$jobs" >build/libcxx/build.log 2>&1; }; then
  tail -n 80 build/libcxx/configure.log build/libcxx/build.log >&2
  echo "libc++: the build failed (logs: build/libcxx/configure.log, build/libcxx/build.log)" >&2
  failed=1
  finish
fi
echo "built in $((SECONDS - start))s; awork-mcp links: $(ldd build/libcxx/awork-mcp | awk '{print $1}' | grep -v -E '^(linux-vdso|/lib64)' | tr '\n' ' ')"
if ldd build/libcxx/awork-mcp | grep -q 'libstdc++'; then
  echo "libc++: build/libcxx/awork-mcp links libstdc++: the preset did not take" >&2
  failed=$((failed + 1))
fi

echo "== libc++: the macOS branches of src/platform/posix.cpp and posix_files.cpp (kqueue parent watch, TCP_KEEPALIVE, _NSGetExecutablePath)"
# The project's own flags (warnings as errors) and the include paths of awork_mcp_core.
if clang++ -std=c++20 -stdlib=libc++ -fsyntax-only \
     -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Wno-missing-field-initializers -Werror \
     -DBOOST_ASIO_NO_DEPRECATED -DSPDLOG_FMT_EXTERNAL -Iinclude -Ibuild/libcxx/generated \
     -isystem tests/platform/apple_stub tests/platform/apple_branches.cpp; then
  echo "compiles (with tests/platform/apple_stub/ standing in for the macOS SDK's headers)"
  passed=$((passed + 1))
else
  echo "libc++: the __APPLE__ branches of src/platform/posix.cpp or posix_files.cpp do not compile" >&2
  failed=$((failed + 1))
fi

echo "== libc++: running the tests"
log=build/libcxx/ctest.log
ctest --preset clang-libcxx -j"$jobs" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
total=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\1 \2/p' "$log" | tail -n1)
if [[ -n $total ]]; then
  read -r ctest_failed ctest_total <<<"$total"
  passed=$((passed + ctest_total - ctest_failed))
  failed=$((failed + ctest_failed))
elif ((status != 0)); then
  failed=$((failed + 1))  # ctest ran no test, or could not start
fi
((status == 0)) || ((failed > 0)) || failed=1
# ctest counts a skipped test as passed; here a test must never be skipped.
if grep -q -E '\((Skipped|Not Run|Disabled)\)$' "$log"; then
  echo "libc++: some tests did not run (skipped); a test must fail, never be skipped" >&2
  skipped=$(grep -c -E '\(Skipped\)$' "$log")  # counted as passed by ctest
  passed=$((passed - skipped))
  failed=$((failed + skipped))
  ((failed > 0)) || failed=1
fi
echo
echo "== libc++ summary"
grep -E 'tests passed, [0-9]+ tests failed out of|Total Test time' "$log" || true
finish
