#!/usr/bin/env node
// What the npm launcher (packaging/npm/launcher.js) costs and whether it is transparent.
// Installs awork-mcp-bridge from REGISTRY (a registry holding the packages, e.g. the verdaccio of
// tests/release/npm_registry_test.sh) into a temporary directory and npx cache, then:
//  - times spawn -> the answer to one `initialize` line (median of --runs, default 20) for
//    (a) the platform package's binary itself, (b) `node launcher.js` of the installed main
//    package, (c) `npx -y awork-mcp-bridge` with the packages already in npx's cache, all with
//    --url SERVER (a loopback Streamable HTTP MCP server), and prints a table;
//  - checks the launcher passes the exit code through (--bad-option; stdin closed -> 0), gives
//    the bridge AWORK_MCP_LAUNCHED_BY, forwards SIGTERM (no orphan), dies of the bridge's signal,
//    and (Linux) that the bridge does not outlive a SIGKILLed launcher; and what npx does there.
//
//   node tests/release/launcher_cost.mjs --registry http://127.0.0.1:PORT/ --server http://127.0.0.1:PORT/mcp [--runs 20]
//
// npm_registry_test.sh runs it as its last step with LAUNCHER_COST=1. Exits 1 if a check fails.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: { registry: { type: 'string' }, server: { type: 'string' }, runs: { type: 'string', default: '20' } },
});
if (!opt.registry || !opt.server) {
  console.error('usage: node tests/release/launcher_cost.mjs --registry URL --server URL [--runs N]');
  process.exit(2);
}
const runs = Number(opt.runs);
const linux = process.platform === 'linux';
const plat = `${process.platform}-${process.arch}`;
const INITIALIZE =
  '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"cost","version":"1"}}}\n';

// A user of our own: temporary HOME and npm cache, the given registry, nothing else of ours.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'awork-launcher-cost-'));
const home = path.join(tmp, 'home');
fs.mkdirSync(path.join(home, 'project'), { recursive: true });
const env = {
  PATH: process.env.PATH,
  HOME: home,
  LANG: 'C.UTF-8',
  npm_config_registry: opt.registry,
  npm_config_cache: path.join(home, '.npm'),
  npm_config_update_notifier: 'false',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
};
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

const prefix = path.join(tmp, 'install');
execFileSync('npm', ['install', '--prefix', prefix, '--loglevel=error', 'awork-mcp-bridge'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
const exe = process.platform === 'win32' ? 'awork-mcp.exe' : 'awork-mcp';
const binary = path.join(prefix, 'node_modules', `awork-mcp-bridge-${plat}`, 'bin', exe);
const launcher = path.join(prefix, 'node_modules', 'awork-mcp-bridge', 'launcher.js');
const version = JSON.parse(fs.readFileSync(path.join(prefix, 'node_modules/awork-mcp-bridge/package.json'), 'utf8')).version;
// Fill npx's cache once (its first run installs).
execFileSync('npx', ['-y', 'awork-mcp-bridge', '--version'], { env, cwd: path.join(home, 'project'), stdio: ['ignore', 'ignore', 'inherit'] });

const variants = [
  { name: '(a) binary', cmd: binary, args: [] },
  { name: '(b) node launcher.js', cmd: process.execPath, args: [launcher] },
  { name: '(c) npx -y awork-mcp-bridge', cmd: 'npx', args: ['-y', 'awork-mcp-bridge'] },
];

function start(v, extra, stdin = 'pipe') {
  return spawn(v.cmd, [...v.args, ...extra], { env, cwd: path.join(home, 'project'), stdio: [stdin, 'pipe', 'pipe'] });
}
const exited = (child) =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
// Resolves when a line with id 1 arrives on the child's stdout.
function answer(child) {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      buffered += d;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        try {
          if (JSON.parse(line).id === 1) return resolve(line);
        } catch {}
      }
    });
    child.once('exit', (code, signal) => reject(new Error(`exited (${code ?? signal}) before answering: ${stderr.trim()}`)));
  });
}

// One run: spawn, send initialize, time to the answer; then close stdin and expect exit 0.
async function once(v) {
  const t0 = process.hrtime.bigint();
  const child = start(v, ['--url', opt.server]);
  const answered = answer(child);
  child.stdin.write(INITIALIZE);
  await answered;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  child.stdin.end();
  const end = await exited(child);
  if (end.code !== 0) throw new Error(`${v.name}: exit ${end.code ?? end.signal} after stdin closed`);
  return ms;
}

const times = new Map(variants.map((v) => [v.name, []]));
for (const v of variants) await once(v); // warm the page cache, the server, npx
for (let i = 0; i < runs; i++) for (const v of variants) times.get(v.name).push(await once(v));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const base = median(times.get(variants[0].name));
console.log(`\nspawn -> initialize answer, awork-mcp-bridge ${version} on ${plat}, node ${process.version}, ${runs} runs, server ${opt.server}`);
console.log(`${'variant'.padEnd(30)} ${'median'.padStart(9)} ${'min'.padStart(9)} ${'max'.padStart(9)} ${'+ vs (a)'.padStart(9)}`);
for (const v of variants) {
  const xs = times.get(v.name);
  const m = median(xs);
  const f = (x) => `${x.toFixed(1)} ms`.padStart(9);
  console.log(`${v.name.padEnd(30)} ${f(m)} ${f(Math.min(...xs))} ${f(Math.max(...xs))} ${v === variants[0] ? '         ' : f(m - base)}`);
}

// ---- transparency checks ---------------------------------------------------------------------
let failed = 0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failed++;
};
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function gone(pid, ms = 5000) {
  for (const until = Date.now() + ms; Date.now() < until; await sleep(20)) if (!alive(pid)) return true;
  return false;
}
// The bridge: the end of the chain of processes below `root` (launcher -> bridge; npx -> sh ->
// node launcher -> bridge), found with /proc on Linux and ps elsewhere.
function bridgeUnder(root) {
  const children = (pid) =>
    linux
      ? fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
      : execFileSync('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], { encoding: 'utf8' })
          .trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number)).filter(([, pp]) => pp === pid).map(([p]) => p);
  let pid = root;
  for (;;) {
    let kids = [];
    try {
      kids = children(pid);
    } catch {}
    if (!kids.length) return pid === root ? null : pid;
    pid = kids[0];
  }
}
// A running bridge (answered its initialize) under variant v: { child, bridge pid, done }.
// Its stdin is a FIFO this process keeps open: when the launcher dies, Node closes the pipes it
// gave it, and the bridge would end of that EOF alone, hiding whether a signal reached it.
let fifos = 0;
async function running(v) {
  const fifo = path.join(tmp, `stdin-${fifos++}`);
  execFileSync('mkfifo', [fifo]);
  const fd = fs.openSync(fifo, 'r+');
  const child = spawn(v.cmd, [...v.args, '--url', opt.server], { env, cwd: path.join(home, 'project'), stdio: [fd, 'pipe', 'pipe'] });
  const answered = answer(child);
  fs.writeSync(fd, INITIALIZE);
  await answered;
  const bridge = bridgeUnder(child.pid);
  return { child, bridge, done: () => fs.closeSync(fd) };
}

const [binV, launcherV, npxV] = variants;
const run = async (v, args, stdin) => {
  const child = start(v, args, stdin);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.resume();
  if (stdin === 'pipe') child.stdin.end();
  return { ...(await exited(child)), out };
};

console.log('\nlauncher checks:');
const bad = await run(binV, ['--bad-option'], 'pipe');
for (const v of [launcherV, npxV]) {
  const r = await run(v, ['--bad-option'], 'pipe');
  check(r.code === bad.code && r.out === bad.out, `${v.name} --bad-option: exit ${r.code} (binary: ${bad.code}), same stdout`);
}
for (const v of [launcherV, npxV]) {
  const r = await run(v, ['--url', opt.server], 'pipe'); // stdin closed at once
  check(r.code === 0, `${v.name} with stdin closed: exit ${r.code ?? r.signal}`);
}
{
  const { child, bridge, done } = await running(launcherV);
  check(bridge !== null, `${launcherV.name}: the bridge runs as a child (pid ${bridge})`);
  if (linux && bridge) {
    const environ = fs.readFileSync(`/proc/${bridge}/environ`, 'utf8').split('\0');
    check(environ.includes('AWORK_MCP_LAUNCHED_BY=npm:awork-mcp-bridge'), 'the bridge has AWORK_MCP_LAUNCHED_BY=npm:awork-mcp-bridge');
  }
  child.kill('SIGTERM');
  const end = await exited(child);
  check(await gone(bridge), `SIGTERM to the launcher: the bridge ended; the launcher ${end.signal ? `died of ${end.signal}` : `exited ${end.code}`}`);
  done();
}
{
  const { child, bridge, done } = await running(launcherV);
  process.kill(bridge, 'SIGKILL');
  const end = await exited(child);
  check(end.signal === 'SIGKILL', `the bridge killed by SIGKILL: the launcher died of ${end.signal ?? `nothing (exit ${end.code})`}`);
  done();
}
// The rest are about what happens around the launcher; a bridge left behind is killed after.
const stopped = async ({ bridge, done }, what) => {
  const ended = await gone(bridge);
  if (!ended) process.kill(bridge, 'SIGKILL');
  done();
  check(ended, what);
};
if (linux) {
  const r = await running(launcherV);
  r.child.kill('SIGKILL');
  await exited(r.child);
  await stopped(r, 'SIGKILL to the launcher: the bridge ended too (its PR_SET_PDEATHSIG)');
}
{
  // What an editor does when it stops an npx-started server: SIGTERM to npx itself.
  const r = await running(npxV);
  r.child.kill('SIGTERM');
  const end = await exited(r.child);
  await stopped(r, `SIGTERM to npx: the bridge ended; npx ${end.signal ? `died of ${end.signal}` : `exited ${end.code}`}`);
}
console.log(failed ? `\nlauncher_cost: ${failed} check(s) failed` : '\nlauncher_cost: all checks passed');
process.exit(failed ? 1 : 0);
