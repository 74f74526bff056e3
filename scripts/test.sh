#!/usr/bin/env bash
# The README's test command. Installs what is missing (Debian packages, the Node test peers), then
# runs stages, each whatever became of the one before:
#
#   scripts/test.sh           the everyday loop, what a contributor passes before every commit:
#     sanitize   one build (clang, ASan + UBSan, warnings as errors; preset ci-sanitize) and every
#                unit, integration, end-to-end and conformance test in it
#     fuzz       every fuzz target for 5 s (scripts/fuzz.sh; clang, ASan + UBSan)
#
#   scripts/test.sh --all     the full matrix, what CI runs (.ci/run): the two above, fuzzing at
#                             full length, and
#     ci         GCC (the packages' compiler) with its warnings as errors at -O2 (the warnings only
#                the optimiser finds), file by file rather than in unity batches (a file that misses
#                an #include, a name two files define), every test again (preset ci)
#     libcxx     clang and libc++, as on macOS, every test again (scripts/test-libcxx.sh)
#     package    the .deb and .tar.gz, installed and used in a clean Debian 12 root (scripts/test-package.sh)
#     windows    awork-mcp.exe cross-built, its tests under wine (scripts/test-windows.sh)
#     release    every release artifact made into dist/ (scripts/release.sh) and tried as users get
#                it: sums, versions, the arm64 program's integration tests under qemu-user, the
#                Windows zip, the macOS program checked without a Mac, the Claude Desktop bundle started as its manifest says, the npm
#                packages through a registry on loopback with npx and Claude Code, and a second
#                build elsewhere giving the same bytes (scripts/test-release.sh)
#
#   scripts/test.sh --only NAME[,NAME...]   just those stages (names as above)
#
# AWORK_MCP_FUZZ_SECONDS sets the fuzzing time per target (5, or 30 with --all).
#
# Every stage must run exactly the number of tests in `expected` below: a test that silently stops
# running (a lost registration, a filter that matches less) fails the stage, and so does a skipped
# one. Adding or removing a test means changing that number in the same commit.
# The output closes with one line per stage (its time and counts) and "N passed, M failed": tests
# that ran and passed, and tests that ran and failed (a fuzz target counts as one test; a stage
# that failed before it could count counts as one failure; a skipped test counts as a failure).
# Exits non-zero if any stage failed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# How many tests each stage runs: ctest's tests in a build (unit, integration, e2e, conformance,
# the man page), one per fuzz target, the libc++ stage's ctest tests plus its macOS-branches
# compile, the package checks, and the gtest tests run under wine.
declare -A expected=([sanitize]=532 [ci]=532 [fuzz]=13 [libcxx]=533 [package]=9 [windows]=171 [release]=8)

quick=(sanitize fuzz)
all=(sanitize fuzz ci libcxx package windows release)
stages=("${quick[@]}")
fuzz_seconds=${AWORK_MCP_FUZZ_SECONDS:-5}
while (($#)); do
  case $1 in
    --all) stages=("${all[@]}"); fuzz_seconds=${AWORK_MCP_FUZZ_SECONDS:-30} ;;
    --only) shift; IFS=, read -r -a stages <<<"${1:-}" ;;
    --only=*) IFS=, read -r -a stages <<<"${1#--only=}" ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "test.sh: unknown argument $1 (see scripts/test.sh --help)" >&2; exit 2 ;;
  esac
  shift
done
for s in "${stages[@]}"; do
  [[ -n ${expected[$s]:-} ]] || { echo "test.sh: no stage named '$s' (one of: ${all[*]})" >&2; exit 2; }
done

scripts/install-deps.sh --tests || exit 1
scripts/install-test-peers.sh || exit 1
jobs=$(nproc)
mkdir -p build

# ctest_stage PRESET LOG: configures, builds and runs every test of a preset. The log keeps
# ctest's line per test, which count_tests reads. Two tests a core: most of them wait on a bridge,
# a server or Node much of the time (the sanitize stage's ctest: 184 s at -j2, 147 s at -j4).
ctest_stage() {
  local preset=$1 log=$2
  cmake --preset "$preset" >/dev/null &&
    cmake --build --preset "$preset" -j"$jobs" &&
    ctest --preset "$preset" -j"$((2 * jobs))" 2>&1 | tee "$log"
  return "${PIPESTATUS[0]}"
}

stage_sanitize() { ctest_stage ci-sanitize build/test-sanitize.log; }
stage_ci() { ctest_stage ci build/test-ci.log; }
stage_fuzz() { scripts/fuzz.sh "$fuzz_seconds" 2>&1 | tee build/test-fuzz.log; return "${PIPESTATUS[0]}"; }
stage_libcxx() { scripts/test-libcxx.sh 2>&1 | tee build/test-libcxx.log; return "${PIPESTATUS[0]}"; }
stage_package() { scripts/test-package.sh 2>&1 | tee build/test-package.log; return "${PIPESTATUS[0]}"; }
stage_windows() { scripts/test-windows.sh 2>&1 | tee build/test-windows.log; return "${PIPESTATUS[0]}"; }
stage_release() { scripts/test-release.sh 2>&1 | tee build/test-release.log; return "${PIPESTATUS[0]}"; }

# count_tests LOG: sets stage_passed, stage_failed and stage_skipped from a stage's log: the last
# line "NAME: P passed, F failed" a stage script prints (its own count, which may add checks of its
# own to ctest's), else ctest's line per test ("Passed", "***Failed", "***Skipped", "***Not Run"
# ...), else the fuzz summary. Skipped ctest tests are counted from ctest's lines in every case.
count_tests() {
  local log=$1 line lines=""
  stage_passed=0 stage_failed=0 stage_skipped=0
  lines=$(grep -E '^ *[0-9]+/[0-9]+ Test +#[0-9]+: ' "$log" 2>/dev/null)
  [[ -n $lines ]] && stage_skipped=$(grep -c -E 'Skipped|Not Run|Disabled' <<<"$lines")
  line=$(grep -h -E '^[a-z+.-]+: [0-9]+ passed, [0-9]+ failed$' "$log" 2>/dev/null | tail -n1)
  if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    stage_passed=${BASH_REMATCH[1]}; stage_failed=${BASH_REMATCH[2]}
    # A script that counted its skipped tests as failed already must not count them twice.
    ((stage_failed >= stage_skipped)) && stage_failed=$((stage_failed - stage_skipped))
    return
  fi
  if [[ -n $lines ]]; then
    stage_passed=$(grep -c -E ' Passed +[0-9.]+ sec$' <<<"$lines")
    stage_failed=$(($(wc -l <<<"$lines") - stage_passed - stage_skipped))
    return
  fi
  line=$(grep -h -E '^fuzz: ' "$log" 2>/dev/null | tail -n1)
  if [[ $line =~ ^fuzz:\ ([0-9]+)\ targets\ ran ]]; then
    stage_passed=${BASH_REMATCH[1]}
  elif [[ $line =~ ^fuzz:\ ([0-9]+)\ of\ ([0-9]+)\ targets\ crashed ]]; then
    stage_failed=${BASH_REMATCH[1]}; stage_passed=$((BASH_REMATCH[2] - stage_failed))
  fi
}

results=()
passed=0
failed=0
stage_failed_any=0
# run_stage NAME: runs stage_NAME, times it, checks its count against `expected`, records a line.
run_stage() {
  local name=$1 log=build/test-$1.log start=$SECONDS status problem=""
  echo
  echo "== stage $name"
  rm -f "$log"
  "stage_$name"
  status=$?
  local took=$((SECONDS - start))
  count_tests "$log"
  local ran=$((stage_passed + stage_failed + stage_skipped))
  if ((stage_skipped > 0)); then
    problem="$stage_skipped did not run (skipped); a test must fail, never be skipped"
    stage_failed=$((stage_failed + stage_skipped))
  elif ((status == 0 && ran != ${expected[$name]})); then
    problem="$ran tests ran, expected exactly ${expected[$name]} (scripts/test.sh: expected)"
  fi
  if ((status != 0 && stage_failed == 0)); then stage_failed=1; fi  # failed before it could count
  passed=$((passed + stage_passed))
  failed=$((failed + stage_failed))
  local verdict=passed
  if ((status != 0)) || [[ -n $problem ]]; then
    verdict=FAILED
    stage_failed_any=1
    [[ -n $problem ]] && echo "test.sh: stage $name: $problem" >&2
  fi
  results+=("$(printf '%-9s %-6s %3dm%02ds  %4d passed, %d failed%s' "$name" "$verdict" $((took / 60)) $((took % 60)) \
    "$stage_passed" "$stage_failed" "${problem:+  ($problem)}")")
}

total_start=$SECONDS
for s in "${stages[@]}"; do run_stage "$s"; done
took=$((SECONDS - total_start))

echo
echo "== summary ($((took / 60))m$((took % 60))s; stages: ${stages[*]})"
printf '%s\n' "${results[@]}"
echo "$passed passed, $failed failed"
((failed == 0 && stage_failed_any == 0))
