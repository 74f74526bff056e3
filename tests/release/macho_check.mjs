// What can be checked of a macOS program without a Mac: reads a (universal) Mach-O file and
// checks, slice by slice, what macOS would refuse or what would fail on a user's machine:
//   - the architectures are exactly the ones asked for (--arch, repeatable)
//   - an executable (MH_EXECUTE), position-independent, for macOS no newer than --min-macos
//   - it loads no library but /usr/lib/libSystem.B.dylib (present on every macOS; everything
//     else, libc++ and OpenSSL included, must be linked in)
//   - every undefined symbol is bound to that library (no flat lookup) and exported by it (the
//     symbols of Zig's stub of libSystem, --libsystem)
//   - arm64 slices carry a code signature (Apple silicon runs nothing unsigned) whose code
//     directory's SHA-256 page hashes match the slice's bytes
// Usage: node macho_check.mjs --libsystem libSystem.tbd --arch arm64 --arch x86_64 --min-macos 12.0 FILE
// Prints one line per finding; exits 1 if any check failed, 2 on bad usage.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const CPU = { 0x01000007: 'x86_64', 0x0100000c: 'arm64' };
const LC = {
  SYMTAB: 0x2, LOAD_DYLIB: 0xc, LOAD_WEAK_DYLIB: 0x80000018, REEXPORT_DYLIB: 0x8000001f,
  LAZY_LOAD_DYLIB: 0x20, LOAD_UPWARD_DYLIB: 0x80000023, CODE_SIGNATURE: 0x1d,
  VERSION_MIN_MACOSX: 0x24, BUILD_VERSION: 0x32,
};
const MH_EXECUTE = 2, MH_PIE = 0x200000;
const SYSTEM_LIBRARY = '/usr/lib/libSystem.B.dylib';

// Every symbol name a .tbd stub lists (its exports of every target; a superset is fine here).
export function tbdSymbols(text) {
  const symbols = new Set();
  for (const m of text.matchAll(/\[([^\]]*)\]/g))
    for (const item of m[1].split(',')) {
      const name = item.trim().replace(/^'|'$/g, '');
      if (name) symbols.add(name);
    }
  return symbols;
}

function version(v) { return `${v >>> 16}.${(v >>> 8) & 0xff}`; }
function parseVersion(text) {
  const [major, minor = '0'] = text.split('.');
  return (Number(major) << 16) | (Number(minor) << 8);
}
function cString(buf, at) { const end = buf.indexOf(0, at); return buf.toString('latin1', at, end < 0 ? buf.length : end); }

// The slices of FILE: [{arch, bytes}]; a thin file is one slice.
export function slices(file) {
  const magic = file.readUInt32BE(0);
  if (magic === 0xcafebabe) {
    const out = [];
    for (let i = 0, n = file.readUInt32BE(4); i < n; i++) {
      const at = 8 + i * 20;
      const cpu = file.readUInt32BE(at), offset = file.readUInt32BE(at + 8), size = file.readUInt32BE(at + 12);
      out.push({ arch: CPU[cpu] ?? `cpu 0x${cpu.toString(16)}`, bytes: file.subarray(offset, offset + size) });
    }
    return out;
  }
  if (file.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = file.readUInt32LE(4);
    return [{ arch: CPU[cpu] ?? `cpu 0x${cpu.toString(16)}`, bytes: file }];
  }
  throw new Error('not a Mach-O file (neither universal nor 64-bit)');
}

// The findings for one slice: [{ok, what}].
export function checkSlice({ arch, bytes }, { exported, minMacos }) {
  const findings = [];
  const say = (ok, what) => findings.push({ ok, what: `${arch}: ${what}` });
  if (bytes.readUInt32LE(0) !== 0xfeedfacf) { say(false, 'not a 64-bit Mach-O slice'); return findings; }
  const fileType = bytes.readUInt32LE(12), ncmds = bytes.readUInt32LE(16), flags = bytes.readUInt32LE(24);
  say(fileType === MH_EXECUTE && (flags & MH_PIE) !== 0,
    `${fileType === MH_EXECUTE ? 'an executable' : `file type ${fileType}, not an executable`}, ${flags & MH_PIE ? 'position-independent' : 'NOT position-independent'}`);
  const libraries = [];
  let symtab = null, signature = null, minos = null;
  for (let i = 0, at = 32; i < ncmds; i++) {
    const cmd = bytes.readUInt32LE(at), size = bytes.readUInt32LE(at + 4);
    if ([LC.LOAD_DYLIB, LC.LOAD_WEAK_DYLIB, LC.REEXPORT_DYLIB, LC.LAZY_LOAD_DYLIB, LC.LOAD_UPWARD_DYLIB].includes(cmd))
      libraries.push(cString(bytes, at + bytes.readUInt32LE(at + 8)));
    else if (cmd === LC.SYMTAB)
      symtab = { symoff: bytes.readUInt32LE(at + 8), nsyms: bytes.readUInt32LE(at + 12), stroff: bytes.readUInt32LE(at + 16) };
    else if (cmd === LC.CODE_SIGNATURE)
      signature = { offset: bytes.readUInt32LE(at + 8), size: bytes.readUInt32LE(at + 12) };
    else if (cmd === LC.BUILD_VERSION && bytes.readUInt32LE(at + 8) === 1 /* PLATFORM_MACOS */)
      minos = bytes.readUInt32LE(at + 12);
    else if (cmd === LC.VERSION_MIN_MACOSX)
      minos = bytes.readUInt32LE(at + 8);
    at += size;
  }
  say(minos !== null && minos <= minMacos,
    minos === null ? 'no minimum macOS version' : `runs on macOS ${version(minos)} and later (asked: ${version(minMacos)})`);
  say(libraries.length === 1 && libraries[0] === SYSTEM_LIBRARY, `loads ${libraries.join(', ') || 'no library'}`);

  if (!symtab) say(false, 'no symbol table');
  else {
    const undefinedSymbols = [], missing = [], flat = [];
    for (let i = 0; i < symtab.nsyms; i++) {
      const at = symtab.symoff + i * 16;
      const type = bytes[at + 4], desc = bytes.readUInt16LE(at + 6);
      if (type & 0xe0 || !(type & 0x01) || (type & 0x0e) !== 0) continue;  // stabs, locals, defined
      const name = cString(bytes, symtab.stroff + bytes.readUInt32LE(at));
      undefinedSymbols.push(name);
      if ((desc >> 8) !== 1) flat.push(name);  // library ordinal 1: the only library loaded
      if (!exported.has(name)) missing.push(name);
    }
    say(flat.length === 0, flat.length ? `symbols not bound to libSystem: ${flat.slice(0, 10).join(' ')}` : 'every undefined symbol is bound to libSystem');
    say(missing.length === 0, missing.length
      ? `${missing.length} of ${undefinedSymbols.length} undefined symbols are not exported by libSystem: ${missing.slice(0, 10).join(' ')}`
      : `all ${undefinedSymbols.length} undefined symbols are exported by libSystem`);
  }

  if (!signature) say(arch !== 'arm64', arch === 'arm64' ? 'NO code signature (Apple silicon refuses to run it)' : 'no code signature (not needed on Intel)');
  else say(...verifySignature(bytes, signature));
  return findings;
}

// [ok, what] for the code signature at {offset, size}: the code directory's page hashes.
export function verifySignature(bytes, { offset, size }) {
  const blob = bytes.subarray(offset, offset + size);
  if (blob.length < 12 || blob.readUInt32BE(0) !== 0xfade0cc0) return [false, 'code signature: no embedded signature blob'];
  for (let i = 0, n = blob.readUInt32BE(8); i < n; i++) {
    const type = blob.readUInt32BE(12 + i * 8), at = blob.readUInt32BE(16 + i * 8);
    if (type !== 0 || blob.readUInt32BE(at) !== 0xfade0c02) continue;  // slot 0: the code directory
    const cd = blob.subarray(at);
    const flags = cd.readUInt32BE(12), hashOffset = cd.readUInt32BE(16), nCodeSlots = cd.readUInt32BE(28);
    const codeLimit = cd.readUInt32BE(32), hashSize = cd[36], hashType = cd[37], pageSize = 1 << cd[39];
    if (hashType !== 2 || hashSize !== 32) return [false, `code signature: hash type ${hashType}, not SHA-256`];
    if (codeLimit !== offset) return [false, `code signature: covers ${codeLimit} bytes, the signature starts at ${offset}`];
    let bad = 0;
    for (let slot = 0; slot < nCodeSlots; slot++) {
      const page = bytes.subarray(slot * pageSize, Math.min((slot + 1) * pageSize, codeLimit));
      const want = cd.subarray(hashOffset + slot * hashSize, hashOffset + (slot + 1) * hashSize);
      if (!createHash('sha256').update(page).digest().equals(want)) bad++;
    }
    const kind = flags & 0x2 ? 'ad-hoc' : 'with a certificate';
    return [bad === 0 && nCodeSlots === Math.ceil(codeLimit / pageSize),
      bad ? `code signature (${kind}): ${bad} of ${nCodeSlots} pages do not match their hash`
          : `code signature (${kind}): all ${nCodeSlots} pages of ${pageSize} bytes match their SHA-256`];
  }
  return [false, 'code signature: no code directory'];
}

export function checkFile(file, { arches, exported, minMacos }) {
  const findings = [];
  let found;
  try { found = slices(file); } catch (e) { return [{ ok: false, what: e.message }]; }
  const got = found.map((s) => s.arch).sort().join(' '), want = [...arches].sort().join(' ');
  findings.push({ ok: got === want, what: `architectures: ${got} (asked: ${want})` });
  for (const slice of found) findings.push(...checkSlice(slice, { exported, minMacos }));
  return findings;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    options: { libsystem: { type: 'string' }, arch: { type: 'string', multiple: true }, 'min-macos': { type: 'string' } },
    allowPositionals: true,
  });
  if (!values.libsystem || !values.arch || !values['min-macos'] || positionals.length !== 1) {
    console.error('usage: node macho_check.mjs --libsystem FILE.tbd --arch A [--arch B] --min-macos X.Y FILE');
    process.exit(2);
  }
  const findings = checkFile(readFileSync(positionals[0]), {
    arches: values.arch, exported: tbdSymbols(readFileSync(values.libsystem, 'utf8')), minMacos: parseVersion(values['min-macos']),
  });
  for (const { ok, what } of findings) console.log(`${ok ? 'ok    ' : 'FAILED'}  ${what}`);
  process.exit(findings.every((f) => f.ok) ? 0 : 1);
}
