// bridge-outcome.mjs can fail: run with node --test (ctest peers.bridge_outcome).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { watchBridge } from './bridge-outcome.mjs';

// A stand-in for the SDK's StdioClientTransport: start() spawns a shell, stderr is piped.
function standIn(script) {
  const stderr = new PassThrough();
  const transport = {
    stderr,
    async start() {
      this._process = spawn('/bin/sh', ['-c', script], { stdio: ['pipe', 'ignore', 'pipe'] });
      this._process.stderr.pipe(stderr);
      await new Promise((resolve) => this._process.once('spawn', resolve));
    },
    async close() {
      this._process.stdin.end();
      await new Promise((resolve) => (this._process.exitCode !== null ? resolve() : this._process.once('close', resolve)));
    },
  };
  return transport;
}

async function outcomeOf(script) {
  const transport = standIn(script);
  const outcome = watchBridge(transport);
  await transport.start();
  await transport.close();
  return outcome.problem();
}

test('a clean exit is no problem', async () => {
  assert.equal(await outcomeOf('cat >/dev/null; echo "[info] bye" >&2'), null);
});
test('a sanitizer report fails the client even with exit 0', async () => {
  assert.match(await outcomeOf('echo "==3==ERROR: LeakSanitizer: detected memory leaks" >&2; cat >/dev/null'), /LeakSanitizer/);
});
test('an exit other than 0 fails the client', async () => {
  assert.match(await outcomeOf('cat >/dev/null; exit 134'), /exited with 134/);
});
test('a signal fails the client', async () => {
  assert.match(await outcomeOf('kill -ABRT $$'), /SIGABRT/);
});
