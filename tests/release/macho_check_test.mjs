// The macOS program as built (scripts/build-macos.sh) passes macho_check.mjs, and each check fails
// on a copy broken in the way it names. Needs AWORK_MCP_MACOS_BINARY (the universal program) and
// AWORK_MCP_LIBSYSTEM_TBD (Zig's libSystem stub); without them the test fails, never skips.
//   node --test tests/release/macho_check_test.mjs
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { checkFile, slices, tbdSymbols } from './macho_check.mjs';

const binaryPath = process.env.AWORK_MCP_MACOS_BINARY;
const tbdPath = process.env.AWORK_MCP_LIBSYSTEM_TBD;
assert.ok(binaryPath && tbdPath, 'set AWORK_MCP_MACOS_BINARY and AWORK_MCP_LIBSYSTEM_TBD (scripts/test-release.sh does)');
const binary = readFileSync(binaryPath);
const exported = tbdSymbols(readFileSync(tbdPath, 'utf8'));
const options = { arches: ['arm64', 'x86_64'], exported, minMacos: 12 << 16 };
const failures = (file, opts = options) => checkFile(file, opts).filter((f) => !f.ok).map((f) => f.what);

// Where the arm64 slice starts inside the universal file.
function arm64Offset(file) {
  for (let i = 0, n = file.readUInt32BE(4); i < n; i++)
    if (file.readUInt32BE(8 + i * 20) === 0x0100000c) return file.readUInt32BE(8 + i * 20 + 8);
  throw new Error('no arm64 slice');
}

test('the program as built passes every check', () => {
  assert.deepEqual(failures(binary), []);
  assert.deepEqual(slices(binary).map((s) => s.arch).sort(), ['arm64', 'x86_64']);
});

test('a byte changed in the arm64 code breaks its signature', () => {
  const copy = Buffer.from(binary);
  copy[arm64Offset(copy) + 0x4000 + 123] ^= 0xff;  // the second page: code, not the header
  const found = failures(copy);
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(found[0], /^arm64: code signature .*1 of \d+ pages do not match/);
});

test('a symbol libSystem does not export is found', () => {
  const fewer = new Set(exported);
  fewer.delete('_kqueue');
  const found = failures(binary, { ...options, exported: fewer });
  assert.deepEqual(found.map((f) => f.replace(/ \d+ of \d+ /, ' N of M ')).sort(),
    ['arm64: N of M undefined symbols are not exported by libSystem: _kqueue',
     'x86_64: N of M undefined symbols are not exported by libSystem: _kqueue']);
});

test('an older macOS than the program needs is refused', () => {
  const found = failures(binary, { ...options, minMacos: 11 << 16 });
  assert.deepEqual(found, ['x86_64: runs on macOS 12.0 and later (asked: 11.0)', 'arm64: runs on macOS 12.0 and later (asked: 11.0)']);
});

test('an architecture missing from the file is named', () => {
  assert.deepEqual(failures(binary, { ...options, arches: ['arm64'] }), ['architectures: arm64 x86_64 (asked: arm64)']);
});

test('another library loaded is named', () => {
  const copy = Buffer.from(binary);
  const at = copy.indexOf('/usr/lib/libSystem.B.dylib', arm64Offset(copy));
  copy.write('/usr/lib/libFoobar.B.dylib', at, 'latin1');
  const found = failures(copy);
  assert.ok(found.includes('arm64: loads /usr/lib/libFoobar.B.dylib'), found.join('\n'));
});

test('a file that is not Mach-O is refused', () => {
  assert.deepEqual(failures(Buffer.from('\x7fELF and the rest')), ['not a Mach-O file (neither universal nor 64-bit)']);
});
