#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ (clang, ASan + UBSan; preset `fuzz`, in build/fuzz) and
# runs each for SECONDS (default 30; as many at once as there are cores), starting from the seed
# corpus in fuzz/corpus/<target>. Fails if any target crashes. Usage: scripts/fuzz.sh [SECONDS]
#
# The runs work on a copy of the seeds (build/fuzz/corpus/<target>, kept between runs, so that
# what one run learns helps the next); nothing is written into the repository. A crashing input
# is saved as build/fuzz/artifacts/<target>/crash-*; reproduce it with
#   build/fuzz/fuzz/fuzz_<target> build/fuzz/artifacts/<target>/crash-...
# The runs also check the properties src/ does not guarantee yet (FUZZ_CHECK_STRICT in fuzz/,
# fuzz_support.hpp): AWORK_MCP_FUZZ_STRICT=1 is the default; AWORK_MCP_FUZZ_STRICT=0 leaves them out.
set -euo pipefail
seconds=${1:-30}
[[ $seconds =~ ^[0-9]+$ && $seconds -gt 0 ]] || { echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install-deps.sh --fuzz

targets=(line_framer sse_parser jsonrpc header_arg endpoint proxy oauth era server_reply http_date tool_filter redirect dbus_wire)
echo "== fuzz: building ${#targets[@]} targets (clang, ASan + UBSan) in build/fuzz"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$(nproc)" >build/fuzz/build.log 2>&1 || { cat build/fuzz/build.log >&2; exit 1; }
for t in "${targets[@]}"; do
  [[ -x build/fuzz/fuzz/fuzz_$t ]] ||
    { echo "fuzz: build/fuzz/fuzz/fuzz_$t was not built: add fuzz_$t to the fuzz build preset's targets (CMakePresets.json)" >&2; exit 1; }
done

export AWORK_MCP_FUZZ_STRICT=${AWORK_MCP_FUZZ_STRICT:-1}
# A smaller quarantine than ASan's 256 MB default: the machine is shared.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:quarantine_size_mb=64}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# run_target TARGET: one target's run; its exit status is the fuzzer's.
run_target() {
  local t=$1 corpus=build/fuzz/corpus/$1 artifacts=build/fuzz/artifacts/$1
  mkdir -p "$corpus" "$artifacts"
  cp -p fuzz/corpus/"$t"/* "$corpus"/
  build/fuzz/fuzz/fuzz_"$t" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$corpus" >build/fuzz/"$t".log 2>&1
}

# Each target is one process on one core, and runs for a fixed time: as many at once as there
# are cores (the same fuzzing per target, in half the time on two cores).
at_once=$(nproc)
declare -A pids=()
for t in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= at_once)); do wait -n || true; done
  echo "== fuzz: $t for ${seconds}s"
  run_target "$t" &
  pids[$t]=$!
done

failed=()
summary=()
for t in "${targets[@]}"; do
  status=0
  wait "${pids[$t]}" || status=$?
  log=build/fuzz/$t.log
  corpus=build/fuzz/corpus/$t
  artifacts=build/fuzz/artifacts/$t
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n1 | cut -d' ' -f2 || true)
  if ((status != 0)); then
    # What libFuzzer printed about the crash, and the input it saved.
    grep -v -E '^(#[0-9]+|INFO:|stat::|[[:space:]]+NEW_FUNC)' "$log" | head -n 60 >&2 || true
    echo "fuzz: $t CRASHED (exit $status); input saved in $artifacts/, full log in $log" >&2
    failed+=("$t")
    summary+=("$(printf '%-12s CRASHED after %s runs' "$t" "${execs:-?}")")
  else
    summary+=("$(printf '%-12s ok, %s runs, coverage %s, corpus %s inputs' "$t" "${execs:-?}" "${cov:-?}" "$(ls "$corpus" | wc -l)")")
  fi
done

printf '%s\n' "${summary[@]}"
if ((${#failed[@]})); then
  echo "fuzz: ${#failed[@]} of ${#targets[@]} targets crashed: ${failed[*]}"
  exit 1
fi
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each, none crashed"
