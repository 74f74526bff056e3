#!/usr/bin/env node
// Draws the bundle's icon, packaging/mcpb/icon.png: a 512x512 RGBA PNG, a violet rounded square
// with a white geometric lower-case "a" (a ring and a stem on its right), transparent corners.
// Plain Node (zlib for the PNG's IDAT), no packages; the output is the same bytes on every run.
//
//   node packaging/mcpb/make-icon.mjs [OUT.png]      # default: icon.png beside this script
//
// Claude Desktop shows the icon in its extension list; mcpb recommends 512x512.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const out = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), 'icon.png');
const size = 512;
const background = [0x5b, 0x3c, 0xf0];  // violet
const ink = [0xff, 0xff, 0xff];

// Signed distances (negative inside), in pixels; coverage = clamp(0.5 - d) gives 1-pixel
// anti-aliased edges without supersampling.
const roundedBox = (x, y, cx, cy, halfW, halfH, r) => {
  const qx = Math.abs(x - cx) - halfW + r, qy = Math.abs(y - cy) - halfH + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const ring = (x, y, cx, cy, radius, width) => Math.abs(Math.hypot(x - cx, y - cy) - radius) - width / 2;
const coverage = (d) => Math.min(1, Math.max(0, 0.5 - d));

// The glyph: a ring of radius 100 (stroke 52) and a stem, the pair centred on the tile; the stem
// runs on the ring's right side from the ring's top to its bottom.
const stroke = 52, radius = 100, cx = 256, cy = 256;
const stemX = cx + radius;  // centre line of the stem = centre line of the ring's right side
const glyph = (x, y) => Math.min(
  ring(x, y, cx, cy, radius, stroke),
  roundedBox(x, y, stemX, cy, stroke / 2, radius + stroke / 2, 8),
);

const raw = Buffer.alloc(size * (1 + size * 4));
for (let py = 0; py < size; py++) {
  const row = py * (1 + size * 4);
  raw[row] = 0;  // filter: none
  for (let px = 0; px < size; px++) {
    const x = px + 0.5, y = py + 0.5;
    const tile = coverage(roundedBox(x, y, size / 2, size / 2, size / 2 - 8, size / 2 - 8, 112));
    const letter = coverage(glyph(x, y));
    const at = row + 1 + px * 4;
    for (let c = 0; c < 3; c++) raw[at + c] = Math.round(background[c] + (ink[c] - background[c]) * letter);
    raw[at + 3] = Math.round(255 * tile);
  }
}

const chunk = (type, data) => {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4), crc = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};
const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header[8] = 8;  // bit depth
header[9] = 6;  // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(out, png);
console.log(`${out}: ${size}x${size} RGBA, ${png.length} bytes`);
