#!/usr/bin/env node
// Makes the npm packages that let `npx -y awork-mcp-bridge` run the native bridge, the way esbuild
// ships its binaries: one package per platform holding only the binary (awork-mcp-bridge-<os>-<cpu>,
// with `os`/`cpu` so npm installs only the matching one), and the main package awork-mcp-bridge
// (launcher.js as its bin, every platform package as an optionalDependency pinned to this version).
// It packs each with `npm pack` into DIR, prints the tarballs and the publish commands (it never
// publishes). Same inputs give byte-identical tarballs (with the same npm and Node).
//
//   node packaging/npm/make-npm-packages.mjs --version 0.2.0 --out build/npm \
//     --binary linux-x64=build/release/awork-mcp [--binary win32-x64=build/windows/awork-mcp.exe] \
//     [--binary linux-arm64=P] [--binary darwin-arm64=P] [--binary darwin-x64=P] \
//     [--readme README.md] [--licenses packaging/licenses] [--copyright packaging/copyright] \
//     [--license SPDX] [--repository https://github.com/OWNER/awork-mcp-bridge]
//
// --license: packaging/copyright declares no licence for awork-mcp-bridge itself yet, so the
// packages say "SEE LICENSE IN copyright" until the maintainers choose one and pass it here.
// --repository: the README has no public URL yet; without one the packages name none.
// tests/release/npm_registry_test.sh publishes the result to a local registry and uses it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const MAIN = 'awork-mcp-bridge';

// npm's names for the platforms we can build: package suffix -> fields for package.json.
const PLATFORMS = {
  'linux-x64': { os: 'linux', cpu: 'x64', libc: 'glibc', label: 'Linux x64 (glibc 2.35 or newer)' },
  'linux-arm64': { os: 'linux', cpu: 'arm64', libc: 'glibc', label: 'Linux arm64 (glibc 2.35 or newer)' },
  'win32-x64': { os: 'win32', cpu: 'x64', label: 'Windows x64 (10 or later)' },
  'darwin-arm64': { os: 'darwin', cpu: 'arm64', label: 'macOS arm64 (Apple silicon, macOS 12 or later)' },
  'darwin-x64': { os: 'darwin', cpu: 'x64', label: 'macOS x64 (Intel, macOS 12 or later)' },
};

function die(message) {
  process.stderr.write(`make-npm-packages: ${message}\n`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      version: { type: 'string' },
      out: { type: 'string' },
      binary: { type: 'string', multiple: true },
      readme: { type: 'string', default: path.join(root, 'README.md') },
      licenses: { type: 'string', default: path.join(root, 'packaging/licenses') },
      copyright: { type: 'string', default: path.join(root, 'packaging/copyright') },
      license: { type: 'string', default: 'SEE LICENSE IN copyright' },
      repository: { type: 'string' },
    },
    strict: true,
  }).values;
} catch (e) {
  die(e.message);
}
const { version, out, readme, licenses, copyright, license, repository } = args;
if (!version || !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) die('--version X.Y.Z is required');
if (!out) die('--out DIR is required');
if (!args.binary?.length) die('at least one --binary PLATFORM=PATH is required');

const binaries = new Map();
for (const spec of args.binary) {
  const eq = spec.indexOf('=');
  const plat = spec.slice(0, eq);
  const file = spec.slice(eq + 1);
  if (eq < 0 || !PLATFORMS[plat]) die(`--binary ${spec}: expected PLATFORM=PATH, PLATFORM one of ${Object.keys(PLATFORMS).join(', ')}`);
  if (binaries.has(plat)) die(`--binary ${plat} given twice`);
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) die(`--binary ${spec}: no such file`);
  binaries.set(plat, path.resolve(file));
}
for (const f of [readme, copyright]) if (!fs.existsSync(f)) die(`${f}: no such file`);
if (!fs.statSync(licenses, { throwIfNoEntry: false })?.isDirectory()) die(`${licenses}: no such directory`);

const outDir = path.resolve(out);
const stage = path.join(outDir, '.stage');
fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(stage, { recursive: true });

// Every file with a fixed mode (the tarball keeps modes; npm only fixes mtimes and ownership),
// whatever the umask or the source's mode.
function writeFile(file, content, mode = 0o644) {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  fs.writeFileSync(file, content);
  fs.chmodSync(file, mode);
}
function copyFile(from, to, mode = 0o644) {
  writeFile(to, fs.readFileSync(from), mode);
}
function copyLicenses(dir) {
  copyFile(copyright, path.join(dir, 'copyright'));
  for (const name of fs.readdirSync(licenses).sort()) copyFile(path.join(licenses, name), path.join(dir, 'licenses', name));
}
const links = repository
  ? {
      homepage: `${repository.replace(/\.git$/, '')}#readme`,
      repository: { type: 'git', url: `git+${repository.replace(/\.git$/, '')}.git` },
      bugs: { url: `${repository.replace(/\.git$/, '')}/issues` },
    }
  : {};
const json = (object) => JSON.stringify(object, null, 2) + '\n';

// The platform packages: the binary, its licences, a README saying what it is. No install scripts.
const platformNames = [];
for (const plat of Object.keys(PLATFORMS).filter((p) => binaries.has(p))) {
  const { os, cpu, libc, label } = PLATFORMS[plat];
  const name = `${MAIN}-${plat}`;
  const exe = os === 'win32' ? 'awork-mcp.exe' : 'awork-mcp';
  const dir = path.join(stage, name);
  platformNames.push(name);
  writeFile(
    path.join(dir, 'package.json'),
    json({
      name,
      version,
      description: `The awork-mcp binary for ${label}: install ${MAIN}, which picks it, not this package.`,
      license,
      ...links,
      os: [os],
      cpu: [cpu],
      ...(libc ? { libc: [libc] } : {}),
      files: [`bin/${exe}`, 'copyright', 'licenses/'],
      preferUnplugged: true,
    }),
  );
  writeFile(
    path.join(dir, 'README.md'),
    `# ${name}\n\nThe native \`awork-mcp\` binary of [${MAIN}](https://www.npmjs.com/package/${MAIN}) ` +
      `${version} for ${label}.\nDo not install it yourself: \`npx -y ${MAIN}\` (or \`npm install -g ${MAIN}\`) ` +
      `installs the package for your platform and runs it.\n`,
  );
  copyFile(binaries.get(plat), path.join(dir, 'bin', exe), 0o755);
  copyLicenses(dir);
}

// The main package: the launcher, the README, the licences.
const mainDir = path.join(stage, MAIN);
writeFile(
  path.join(mainDir, 'package.json'),
  json({
    name: MAIN,
    version,
    description:
      'awork-mcp: a native stdio <-> Streamable HTTP bridge that lets editors and assistants use awork\'s (or any) remote MCP server',
    keywords: ['mcp', 'model-context-protocol', 'awork', 'stdio', 'bridge', 'proxy'],
    license,
    ...links,
    bin: { [MAIN]: 'launcher.js', 'awork-mcp': 'launcher.js' },
    files: ['launcher.js', 'copyright', 'licenses/'],
    engines: { node: '>=18' },
    optionalDependencies: Object.fromEntries(platformNames.map((name) => [name, version])),
  }),
);
copyFile(path.join(here, 'launcher.js'), path.join(mainDir, 'launcher.js'), 0o755);
copyFile(readme, path.join(mainDir, 'README.md'));
copyLicenses(mainDir);

// Pack: platform packages first (the order they must be published in), then the main one.
// --ignore-scripts: nothing of the maintainer's npm setup runs; --json: the tarball's name.
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tarballs = [];
for (const name of [...platformNames, MAIN]) {
  const target = path.join(outDir, `${name}-${version}.tgz`);
  fs.rmSync(target, { force: true });
  const result = execFileSync(
    npm,
    ['pack', path.join(stage, name), '--pack-destination', outDir, '--json', '--ignore-scripts', '--loglevel=error'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], shell: process.platform === 'win32' },
  );
  const filename = JSON.parse(result)[0].filename;
  if (path.join(outDir, filename) !== target) die(`npm pack wrote ${filename}, expected ${path.basename(target)}`);
  tarballs.push(target);
}
fs.rmSync(stage, { recursive: true, force: true });

for (const t of tarballs) console.log(`${path.relative(process.cwd(), t) || t}  (${fs.statSync(t).size} bytes)`);
// npm 11 refuses a prerelease without an explicit dist-tag (it would become `latest`).
const tag = version.includes('-') ? ' --tag next' : '';
console.log('\nTo publish (platform packages first, so the main package never names a missing one):');
for (const t of tarballs) console.log(`  npm publish ${path.relative(process.cwd(), t)} --access public${tag}`);
