#!/usr/bin/env bash
# Installs what is missing, then runs three stages, each whatever became of the one before:
#   1. build and run every test with warnings as errors          (preset ci)
#   2. build and run every test under ASan + UBSan               (preset ci-sanitize)
#   3. fuzz each parser for AWORK_MCP_FUZZ_SECONDS (default 30)  (scripts/fuzz.sh)
#   4. build and run every test with clang and libc++, as on macOS (scripts/test-libcxx.sh)
#   5. build the .deb and .tar.gz, install the .deb in a clean Debian 12 root and use it
#                                                                 (scripts/test-package.sh)
#   6. cross-build awork-mcp.exe and run its tests under wine     (scripts/test-windows.sh)
# and closes with one line per stage and a last line "N passed, M failed" that adds up the tests
# of every stage (a fuzz target counts as one test; a stage that failed before it could count
# counts as one failure). It exits non-zero if any stage failed, or if ctest reports a test that
# did not run (skipped).
# AWORK_MCP_SKIP_SANITIZE=1 leaves out stage 2; AWORK_MCP_FUZZ_SECONDS=0 leaves out stage 3.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install-deps.sh --tests || exit 1
scripts/install-test-peers.sh || exit 1
jobs=$(nproc)
fuzz_seconds=${AWORK_MCP_FUZZ_SECONDS:-30}
mkdir -p build

# A ctest run that passes only if every test ran and passed: ctest counts a skipped test as
# passing, and a test must never be skipped here.
run_ctest() {
  local log=$1; shift
  ctest "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  if grep -q -E '\((Skipped|Not Run|Disabled)\)$' "$log"; then
    echo "error: some tests did not run (skipped); a test must fail, never be skipped" | tee -a "$log" >&2
    return 1
  fi
  return "$status"
}

stage_ci() {
  cmake --preset ci >/dev/null &&
    cmake --build --preset ci -j"$jobs" &&
    run_ctest build/test-ci.log --preset ci -j"$jobs"
}

stage_sanitize() {
  cmake --preset ci-sanitize >/dev/null &&
    cmake --build --preset ci-sanitize -j"$jobs" &&
    run_ctest build/test-sanitize.log --preset ci-sanitize -j"$jobs"
}

stage_fuzz() { scripts/fuzz.sh "$fuzz_seconds" 2>&1 | tee build/test-fuzz.log; }
stage_libcxx() { scripts/test-libcxx.sh 2>&1 | tee build/test-libcxx.log; }
stage_package() { scripts/test-package.sh 2>&1 | tee build/test-package.log; }
stage_windows() { scripts/test-windows.sh 2>&1 | tee build/test-windows.log; }

names=()
results=()
passed=0
failed=0
stage_failed=0
# Adds a stage's test counts from its log: the line "NAME: P passed, F failed" a stage script
# prints last, else ctest's "... N tests failed out of T", else the fuzz summary.
count_tests() {
  local log=$1 ok=$2 line p f
  line=$(grep -h -E '^[a-z+.-]+: [0-9]+ passed, [0-9]+ failed$' "$log" 2>/dev/null | tail -n1)
  if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    p=${BASH_REMATCH[1]}; f=${BASH_REMATCH[2]}
  else
    line=$(grep -h -E 'tests failed out of [0-9]+' "$log" 2>/dev/null | tail -n1)
    if [[ $line =~ ([0-9]+)\ tests\ failed\ out\ of\ ([0-9]+) ]]; then
      f=${BASH_REMATCH[1]}; p=$((BASH_REMATCH[2] - f))
    else
      line=$(grep -h -E '^fuzz: ' "$log" 2>/dev/null | tail -n1)
      if [[ $line =~ ^fuzz:\ ([0-9]+)\ targets\ ran ]]; then
        p=${BASH_REMATCH[1]}; f=0
      elif [[ $line =~ ^fuzz:\ ([0-9]+)\ of\ ([0-9]+)\ targets\ crashed ]]; then
        f=${BASH_REMATCH[1]}; p=$((BASH_REMATCH[2] - f))
      else
        p=0; f=0
      fi
    fi
  fi
  if [[ $ok != 0 && $f == 0 ]]; then f=1; fi  # failed before it could count
  passed=$((passed + p))
  failed=$((failed + f))
}
# run_stage NAME DETAIL-LOG DETAIL-PATTERN FUNCTION: runs it, times it, records one summary line.
run_stage() {
  local name=$1 log=$2 pattern=$3 fn=$4 start=$SECONDS status detail
  echo "== $name"
  rm -f "$log"
  "$fn"
  status=$?
  local took=$((SECONDS - start))
  detail=$(grep -h -E "$pattern" "$log" 2>/dev/null | tail -n1)
  count_tests "$log" "$status"
  if ((status == 0)); then
    results+=("$(printf '%-26s passed  %3dm%02ds  %s' "$name" $((took / 60)) $((took % 60)) "$detail")")
  else
    stage_failed=1
    results+=("$(printf '%-26s FAILED  %3dm%02ds  %s' "$name" $((took / 60)) $((took % 60)) "${detail:-(see the output above)}")")
  fi
}
skip_stage() { results+=("$(printf '%-26s left out (%s)' "$1" "$2")"); }

ctest_total='tests passed, [0-9]+ tests failed out of|did not run \(skipped\)'
run_stage "warnings as errors" build/test-ci.log "$ctest_total" stage_ci
if [[ ${AWORK_MCP_SKIP_SANITIZE:-0} != 1 ]]; then
  run_stage "ASan + UBSan" build/test-sanitize.log "$ctest_total" stage_sanitize
else
  skip_stage "ASan + UBSan" "AWORK_MCP_SKIP_SANITIZE=1"
fi
if [[ $fuzz_seconds != 0 ]]; then
  run_stage "fuzz (${fuzz_seconds}s per target)" build/test-fuzz.log '^fuzz: ' stage_fuzz
else
  skip_stage "fuzz" "AWORK_MCP_FUZZ_SECONDS=0"
fi

run_stage "clang + libc++ (macOS)" build/test-libcxx.log '^libc\+\+: [0-9]+ passed' stage_libcxx
run_stage "Linux packages" build/test-package.log '^package: [0-9]+ passed' stage_package
run_stage "Windows under wine" build/test-windows.log '^windows: [0-9]+ passed' stage_windows

echo
echo "== summary"
printf '%s\n' "${results[@]}"
echo "$passed passed, $failed failed"
((failed == 0 && stage_failed == 0))
