#!/usr/bin/env node
// The `bin` of the npm package awork-mcp-bridge (`npx -y awork-mcp-bridge`, or `awork-mcp` after
// `npm install -g awork-mcp-bridge`). It runs the native bridge from the platform package npm
// installed beside it (awork-mcp-bridge-<platform>-<arch>, an optionalDependency, the way esbuild
// ships its binaries), with the same arguments, environment and stdio, and ends the way the bridge
// ends. AWORK_MCP_BINARY=/path/to/awork-mcp runs that binary instead.
// Try it: AWORK_MCP_BINARY=build/release/awork-mcp node packaging/npm/launcher.js --version
// Packed by packaging/npm/make-npm-packages.mjs; measured by tests/release/launcher_cost.mjs.
//
// stdout and stdin belong to the bridge (JSON-RPC): this file never writes to stdout and never
// reads stdin. It does nothing before the spawn that it can do after (package.json is read only
// to explain a failure).
'use strict';

const { spawn } = require('child_process');
const path = require('path');

const platform = `${process.platform}-${process.arch}`;
const platformPackage = `awork-mcp-bridge-${platform}`;
const exe = process.platform === 'win32' ? 'awork-mcp.exe' : 'awork-mcp';

function findBinary() {
  if (process.env.AWORK_MCP_BINARY) return process.env.AWORK_MCP_BINARY;
  try {
    // Resolves from here upwards, so both npm's hoisted layout (a sibling in node_modules) and a
    // nested one (our own node_modules) are found.
    return path.join(path.dirname(require.resolve(`${platformPackage}/package.json`)), 'bin', exe);
  } catch {
    return null;
  }
}

// Says why there is nothing to run and what to do about it, on stderr, and exits 1.
// error: set when the binary was found but could not be started.
function fail(binary, error) {
  let pkg = {};
  try {
    pkg = require('./package.json');
  } catch {}
  const built = Object.keys(pkg.optionalDependencies || {}).map((name) => name.replace('awork-mcp-bridge-', ''));
  const releases = pkg.homepage ? ` (${pkg.homepage.replace(/#.*$/, '')}/releases)` : '';
  const other = [
    `  Or download the archive for your system from the releases page${releases},`,
    '  or build awork-mcp from source (see its README), and set AWORK_MCP_BINARY=/path/to/awork-mcp.',
  ];
  let lines;
  if (error && process.env.AWORK_MCP_BINARY) {
    lines = [`cannot run AWORK_MCP_BINARY=${binary}: ${error.message}`, '  Point it at an awork-mcp binary, or unset it.'];
  } else if (error) {
    lines = [`cannot run ${binary}: ${error.message}`, '  Reinstall awork-mcp-bridge.', ...other];
  } else if (built.length && !built.includes(platform)) {
    lines = [
      `there is no awork-mcp binary for ${platform} (no package ${platformPackage});`,
      `  this version has them for ${built.join(', ')}.`,
      ...other,
    ];
  } else {
    lines = [
      `the awork-mcp binary for ${platform} is missing: npm did not install ${platformPackage}.`,
      '  It is an optional dependency: reinstall without --omit=optional / --no-optional (nor omit=optional',
      '  in .npmrc or NPM_CONFIG_OMIT); for npx, delete the npx cache (the _npx folder in the directory',
      '  `npm config get cache` prints) and run it again.',
      ...other,
    ];
  }
  // Without glibc, npm 10 skips the Linux packages (their `libc` field) and older npm installs one
  // that cannot start (ENOENT: no /lib64/ld-linux-*.so).
  if (process.platform === 'linux' && !process.env.AWORK_MCP_BINARY && !process.report?.getReport().header.glibcVersionRuntime)
    lines.push("  This system's C library is not glibc (Alpine's musl?): the Linux binaries need glibc 2.35 or newer.");
  process.stderr.write(`awork-mcp-bridge: ${lines.join('\n')}\n`);
  process.exit(1);
}

const binary = findBinary();
if (!binary) fail();

const child = spawn(binary, process.argv.slice(2), {
  stdio: 'inherit',
  env: { ...process.env, AWORK_MCP_LAUNCHED_BY: 'npm:awork-mcp-bridge' },
  windowsHide: true,
});

// POSIX: an editor stops a server by signalling the process it started, which is this one: pass
// the signal on and wait for the bridge to finish. (Linux also sends the bridge SIGHUP if this
// process dies without doing so: its PR_SET_PDEATHSIG.) Windows: Ctrl-C and console close reach
// the bridge directly, and child.kill() there would kill it at once: only stay alive for it.
const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const forward = (signal) => {
  if (process.platform !== 'win32') child.kill(signal);
};
for (const signal of signals) process.on(signal, forward);

// `npx` runs us through `sh -c`: a SIGTERM to npx kills that shell, not us, and we are orphaned
// with the bridge still running. So when our parent goes away, tell the bridge what its own
// parent-death watch would have (SIGHUP: "the editor went away"). POSIX only (Windows does not
// re-parent); a cheap getppid() once a second, not keeping Node alive by itself.
if (process.platform !== 'win32') {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    child.kill('SIGHUP');
  }, 1000).unref();
}

child.on('error', (error) => {
  fail(binary, error);
});

child.on('exit', (code, signal) => {
  if (signal) {
    // Die of the same signal, so that our parent sees what the bridge's parent would have seen.
    for (const s of signals) process.removeListener(s, forward);
    process.kill(process.pid, signal);
    // A signal Node keeps a handler for (SIGSEGV, for WebAssembly) does not end it: the shell's way.
    setTimeout(() => process.exit(128 + (require('os').constants.signals[signal] || 0)), 1000);
    return;
  }
  process.exit(code);
});
