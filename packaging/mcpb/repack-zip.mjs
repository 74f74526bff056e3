#!/usr/bin/env node
// Rewrites a zip (the .mcpb that `mcpb pack` made) so that the same files always give the same
// bytes: `mcpb pack` stamps every entry with the time of packing and orders entries as the
// directory listing came. Here the entries are sorted by name, every one is dated
// SOURCE_DATE_EPOCH (seconds, UTC; required), its Unix mode is 0755 if the input had any execute
// bit and 0644 otherwise (made by Unix, so `mcpb unpack` and unzip restore them), and each is
// deflated at level 9 with Node's zlib (stored if that is not smaller). No extra fields, no
// comment, no directory entries (mcpb pack writes none and mcpb unpack cannot extract them).
//
//   SOURCE_DATE_EPOCH=1767225600 node packaging/mcpb/repack-zip.mjs IN.zip OUT.zip
//
// The bytes depend only on the input's file names, contents and execute bits, the date and
// zlib's deflate, which is the same for one Node version (different zlib builds may compress
// differently).
import { readFileSync, writeFileSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

const [input, output] = process.argv.slice(2);
const epoch = Number(process.env.SOURCE_DATE_EPOCH);
if (!input || !output || !Number.isInteger(epoch) || epoch < 315532800) {
  console.error('usage: SOURCE_DATE_EPOCH=SECONDS repack-zip.mjs IN.zip OUT.zip  (SECONDS >= 315532800, 1980-01-01)');
  process.exit(2);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const die = (why) => {
  console.error(`repack-zip: ${input}: ${why}`);
  process.exit(1);
};

// Read: end-of-central-directory record, then each central entry and its local data.
const zip = readFileSync(input);
let eocd = -1;
for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--) {
  if (zip.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
}
if (eocd < 0) die('not a zip (no end of central directory)');
const count = zip.readUInt16LE(eocd + 10);
let at = zip.readUInt32LE(eocd + 16);
if (count === 0xffff || at === 0xffffffff) die('zip64 archives are not handled');
const entries = [];
for (let i = 0; i < count; i++) {
  if (zip.readUInt32LE(at) !== 0x02014b50) die(`central directory entry ${i} is damaged`);
  const flags = zip.readUInt16LE(at + 8), method = zip.readUInt16LE(at + 10);
  const crc = zip.readUInt32LE(at + 16), packed = zip.readUInt32LE(at + 20), size = zip.readUInt32LE(at + 24);
  const nameLength = zip.readUInt16LE(at + 28), extraLength = zip.readUInt16LE(at + 30);
  const commentLength = zip.readUInt16LE(at + 32), madeBy = zip.readUInt8(at + 5);
  const attributes = zip.readUInt32LE(at + 38), local = zip.readUInt32LE(at + 42);
  const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
  at += 46 + nameLength + extraLength + commentLength;
  if (flags & 1) die(`${name} is encrypted`);
  if (zip.readUInt32LE(local) !== 0x04034b50) die(`${name}: local header is damaged`);
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const stored = zip.subarray(start, start + packed);
  const data = method === 0 ? Buffer.from(stored) : method === 8 ? inflateRawSync(stored) : die(`${name}: method ${method}`);
  if (data.length !== size || crc32(data) !== crc) die(`${name}: content does not match its CRC or size`);
  if (name.endsWith('/')) continue;  // a directory: implied by the files in it
  const unixMode = madeBy === 3 ? attributes >>> 16 : 0;
  entries.push({ name, data, executable: (unixMode & 0o111) !== 0 });
}
const names = new Set();
for (const e of entries) {
  if (names.has(e.name)) die(`${e.name} appears twice`);
  names.add(e.name);
}
// Byte order of the UTF-8 names, independent of locale.
entries.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));

// Write.
const date = new Date(epoch * 1000);
const dosTime = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1);
const dosDate = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
const parts = [], central = [];
let offset = 0;
for (const e of entries) {
  const name = Buffer.from(e.name, 'utf8');
  const deflated = deflateRawSync(e.data, { level: 9 });
  const method = deflated.length < e.data.length ? 8 : 0;
  const body = method === 8 ? deflated : e.data;
  const crc = crc32(e.data);
  const utf8Flag = /[^\x20-\x7e]/.test(e.name) ? 0x800 : 0;
  const mode = 0o100000 | (e.executable ? 0o755 : 0o644);  // regular file and its permissions
  if (offset + body.length > 0xffffffff) die('the output would need zip64');

  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);  // version needed: 2.0
  local.writeUInt16LE(utf8Flag, 6);
  local.writeUInt16LE(method, 8);
  local.writeUInt16LE(dosTime, 10);
  local.writeUInt16LE(dosDate, 12);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(e.data.length, 22);
  local.writeUInt16LE(name.length, 26);
  local.writeUInt16LE(0, 28);

  const entry = Buffer.alloc(46);
  entry.writeUInt32LE(0x02014b50, 0);
  entry.writeUInt16LE((3 << 8) | 20, 4);  // made by Unix, spec 2.0: the mode below counts
  entry.writeUInt16LE(20, 6);
  entry.writeUInt16LE(utf8Flag, 8);
  entry.writeUInt16LE(method, 10);
  entry.writeUInt16LE(dosTime, 12);
  entry.writeUInt16LE(dosDate, 14);
  entry.writeUInt32LE(crc, 16);
  entry.writeUInt32LE(body.length, 20);
  entry.writeUInt32LE(e.data.length, 24);
  entry.writeUInt16LE(name.length, 28);
  entry.writeUInt32LE((mode << 16) >>> 0, 38);
  entry.writeUInt32LE(offset, 42);

  parts.push(local, name, body);
  central.push(entry, name);
  offset += local.length + name.length + body.length;
}
const centralDirectory = Buffer.concat(central);
const end = Buffer.alloc(22);
end.writeUInt32LE(0x06054b50, 0);
end.writeUInt16LE(entries.length, 8);
end.writeUInt16LE(entries.length, 10);
end.writeUInt32LE(centralDirectory.length, 12);
end.writeUInt32LE(offset, 16);
writeFileSync(output, Buffer.concat([...parts, centralDirectory, end]));
console.error(`repack-zip: ${output}: ${entries.length} files, dated ${date.toISOString()}`);
