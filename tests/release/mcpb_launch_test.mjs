#!/usr/bin/env node
// Starts the awork-mcp binary inside an MCP Bundle the way Claude Desktop does, and talks MCP to
// it over stdio against the reference server (server-everything) on loopback.
//
//   node tests/release/mcpb_launch_test.mjs DIST/awork-mcp-X.Y.Z.mcpb
//
// Needs: the reference server (scripts/install-test-peers.sh puts it in tests/peers/node_modules)
// and, for unpacking and resolving, @anthropic-ai/mcpb as packaging/mcpb/make-bundle.sh installs
// it (${XDG_CACHE_HOME:-~/.cache}/awork-mcp-release/mcpb-2.1.2; MCPB_PACKAGE_DIR=DIR/node_modules/
// @anthropic-ai/mcpb names another copy). Without that package it unpacks with `unzip` and
// resolves with its own copy of Claude Desktop's rules; with it, both resolutions must agree.
//
// What it does: unpacks the bundle into a folder named like Claude Desktop's (with a space in
// it), reads manifest.json, resolves the command for this platform as Claude Desktop does
// (platform_overrides, ${__dirname}, ${user_config.X} from the user's values over the manifest's
// defaults, mcpb's getMcpConfigForManifest), and starts it with the environment Claude Desktop
// gives a server (the MCP SDK's inherited variables, HOME pointing at an empty temporary home,
// plus the manifest's env). Each case drives initialize, notifications/initialized, tools/list
// and tools/call (echo) and checks: every answer has its request's id, echo returns the text,
// every stdout line is JSON-RPC, the bridge exits 0 within 5 s of its stdin closing, and its
// stderr has no sanitizer report. A loopback proxy in front of the reference server records the
// Authorization header the bridge sends: "Bearer <key>" with an API key, none without one.
// Launches: an API key given; the key never set (Claude Desktop fills the manifest's default,
// ""); the key cleared (the user's value is ""). Two checks start nothing: with no user settings
// the command gets the default URL and an empty key, and every platform the manifest lists has
// its binary (executable) in the bundle. Ends with "N passed, M failed"; exits 1 on any failure,
// and never skips.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const everything = path.join(here, '../peers/node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const mcpbPackage = process.env.MCPB_PACKAGE_DIR
  ?? path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
    'awork-mcp-release/mcpb-2.1.2/node_modules/@anthropic-ai/mcpb');
const sanitizerMarkers = ['ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'WARNING: AddressSanitizer', 'runtime error:',
  'SUMMARY: AddressSanitizer', 'SUMMARY: UndefinedBehaviorSanitizer'];
const answerTimeoutMs = 20000;
const exitTimeoutMs = 5000;

const bundle = process.argv[2];
if (!bundle || process.argv.length > 3) {
  console.error('usage: node tests/release/mcpb_launch_test.mjs DIST/awork-mcp-X.Y.Z.mcpb');
  process.exit(2);
}
const fatal = (why) => {
  console.error(`mcpb_launch_test: ${why}`);
  process.exit(1);
};
if (!existsSync(bundle)) fatal(`${bundle} does not exist`);
if (!existsSync(everything)) fatal(`the reference server is missing (${everything}): run scripts/install-test-peers.sh`);

const scratch = mkdtempSync(path.join(os.tmpdir(), 'mcpb-launch-'));
const cleanups = [() => rmSync(scratch, { recursive: true, force: true })];
const cleanUp = () => {
  while (cleanups.length) {
    try { cleanups.pop()(); } catch { /* best effort */ }
  }
};
process.on('exit', cleanUp);

// --- Unpack, as Claude Desktop does into "Claude Extensions/<id>" (a path with a space).
const hasMcpb = existsSync(path.join(mcpbPackage, 'dist/cli/cli.js'));
const extensionDir = path.join(scratch, 'Claude Extensions', 'local.mcpb.awork-mcp-bridge');
mkdirSync(extensionDir, { recursive: true });
const unpack = hasMcpb
  ? spawnSync(process.execPath, [path.join(mcpbPackage, 'dist/cli/cli.js'), 'unpack', bundle, extensionDir], { encoding: 'utf8' })
  : spawnSync('unzip', ['-q', bundle, '-d', extensionDir], { encoding: 'utf8' });
if (unpack.error || unpack.status !== 0)
  fatal(`unpacking with ${hasMcpb ? 'mcpb unpack' : 'unzip'} failed: ${unpack.error ?? unpack.stderr}${unpack.stdout ?? ''}`);
console.log(`unpacked ${bundle} with ${hasMcpb ? 'mcpb unpack' : 'unzip'} into ${extensionDir}`);
const manifest = JSON.parse(readFileSync(path.join(extensionDir, 'manifest.json'), 'utf8'));
const platforms = manifest.compatibility?.platforms;
if (platforms && !platforms.includes(process.platform))
  fatal(`the bundle is for ${platforms.join(', ')}, not ${process.platform}: Claude Desktop would refuse it here`);

// --- Claude Desktop's resolution. Its own code (mcpb's getMcpConfigForManifest) when present;
// this copy of the same rules otherwise, and as a check that both agree.
const home = path.join(scratch, 'home');
mkdirSync(home);
const systemDirs = {
  HOME: home, DESKTOP: path.join(home, 'Desktop'), DOCUMENTS: path.join(home, 'Documents'),
  DOWNLOADS: path.join(home, 'Downloads'),
};
function resolveOurselves(userConfig) {
  const base = manifest.server.mcp_config;
  const config = { command: base.command, args: base.args, env: base.env };
  const override = base.platform_overrides?.[process.platform];
  if (override) {
    config.command = override.command || config.command;
    config.args = override.args || config.args;
    config.env = override.env || config.env;
  }
  for (const [key, option] of Object.entries(manifest.user_config ?? {})) {
    const value = userConfig[key];
    if (option.required && (value === undefined || value === null || value === '')) return undefined;
  }
  const variables = { __dirname: extensionDir, pathSeparator: path.sep, '/': path.sep, ...systemDirs };
  const merged = {};
  for (const [key, option] of Object.entries(manifest.user_config ?? {}))
    if (option.default !== undefined) merged[key] = option.default;
  Object.assign(merged, userConfig);
  for (const [key, value] of Object.entries(merged))
    variables[`user_config.${key}`] = Array.isArray(value) ? value.map(String)
      : typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
  const replace = (value) => {
    if (typeof value === 'string') {
      // As mcpb does it: an unescaped RegExp per variable and String.replace (so "$$" in a value
      // becomes "$"); an array value is left out in a string.
      let text = value;
      for (const [name, v] of Object.entries(variables)) {
        const pattern = new RegExp(`\\$\\{${name}\\}`, 'g');
        if (!Array.isArray(v) && text.match(pattern)) text = text.replace(pattern, v);
      }
      return text;
    }
    if (Array.isArray(value)) {
      // A whole-item ${user_config.X} with no value, or an empty one, stays as written.
      return value.flatMap((item) => {
        const whole = typeof item === 'string' && /^\$\{(user_config\.[^}]+)\}$/.exec(item);
        if (!whole) return [replace(item)];
        const v = variables[whole[1]];
        return v ? (Array.isArray(v) ? v : [v]) : [item];
      });
    }
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    return value;
  };
  return replace(config);
}
let claudeDesktopResolve = null;
if (hasMcpb) {
  const { getMcpConfigForManifest } = await import(pathToFileURL(path.join(mcpbPackage, 'dist/shared/config.js')).href);
  claudeDesktopResolve = (userConfig) => getMcpConfigForManifest({
    manifest, extensionPath: extensionDir, systemDirs, userConfig, pathSeparator: path.sep,
  });
}
async function resolve(userConfig) {
  const ours = resolveOurselves(userConfig);
  if (!claudeDesktopResolve) return ours;
  const theirs = await claudeDesktopResolve(userConfig);
  const pick = (c) => c && { command: c.command, args: c.args, env: c.env };
  if (JSON.stringify(pick(theirs)) !== JSON.stringify(ours))
    throw new Error(`this test's resolution ${JSON.stringify(ours)} differs from mcpb's ${JSON.stringify(pick(theirs))}`);
  return pick(theirs);
}

// The environment Claude Desktop starts a server with: the MCP SDK's getDefaultEnvironment()
// (a few inherited variables) with the manifest's env over it. HOME (and on Windows the profile
// folders) point at an empty temporary home, so no stored sign-in of this machine's user is seen.
function serverEnvironment(manifestEnv) {
  const inherited = process.platform === 'win32'
    ? ['APPDATA', 'HOMEDRIVE', 'HOMEPATH', 'LOCALAPPDATA', 'PATH', 'PROCESSOR_ARCHITECTURE', 'SYSTEMDRIVE',
      'SYSTEMROOT', 'TEMP', 'USERNAME', 'USERPROFILE', 'PROGRAMFILES']
    : ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER'];
  const env = {};
  for (const key of inherited) {
    const value = process.env[key];
    if (value !== undefined && !value.startsWith('()')) env[key] = value;
  }
  if (process.platform === 'win32') Object.assign(env, { APPDATA: home, LOCALAPPDATA: home, USERPROFILE: home });
  else env.HOME = home;
  return { ...env, ...manifestEnv };
}

// --- The reference server, and a recording proxy in front of it (both on loopback).
const freePort = () => new Promise((res, rej) => {
  const s = net.createServer().once('error', rej).listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => res(port));
  });
});
async function startEverything() {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(process.execPath, [everything, 'streamableHttp'], {
      env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    const started = await new Promise((res) => {
      let text = '';
      const timer = setTimeout(() => res(`no "listening" line within 15 s: ${text}`), 15000);
      child.stderr.on('data', (d) => {
        text += d;
        if (/listening on port/.test(text)) { clearTimeout(timer); res(true); }
      });
      child.once('exit', (code) => { clearTimeout(timer); res(`exited with ${code}: ${text}`); });
    });
    if (started === true) {
      cleanups.push(() => child.kill('SIGKILL'));
      return port;
    }
    child.kill('SIGKILL');
    if (attempt === 3) throw new Error(`the reference server did not start: ${started}`);
  }
}
const seen = [];  // { method, authorization } of every request the bridge made
async function startProxy(targetPort) {
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method, authorization: req.headers.authorization });
    const upstream = http.request({
      host: '127.0.0.1', port: targetPort, method: req.method, path: req.url,
      headers: { ...req.headers, host: `127.0.0.1:${targetPort}` },
    }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise((res) => server.listen(0, '127.0.0.1', res));
  cleanups.push(() => { server.closeAllConnections(); server.close(); });
  return `http://127.0.0.1:${server.address().port}/mcp`;
}

// --- One launch: start the resolved command and talk MCP to it.
async function launch(name, userConfig, expectedKey) {
  const problems = [];
  const check = (ok, what) => { if (!ok) problems.push(what); };
  const config = await resolve(userConfig);
  if (!config) return [`Claude Desktop would not start it (a required setting is missing)`];
  check(config.env?.AWORK_API_KEY === expectedKey,
    `AWORK_API_KEY resolves to ${JSON.stringify(config.env?.AWORK_API_KEY)}, not ${JSON.stringify(expectedKey)}`);
  check(!JSON.stringify(config).includes('${'), `an unreplaced \${...} is left: ${JSON.stringify(config)}`);
  check(existsSync(config.command), `the command ${config.command} is not in the bundle`);
  if (process.platform !== 'win32' && existsSync(config.command))
    check((statSync(config.command).mode & 0o111) !== 0, `${config.command} is not executable after unpacking`);
  console.log(`  command: ${config.command}\n  args: ${JSON.stringify(config.args)}\n  env: ${JSON.stringify(config.env)}`);
  if (problems.length) return problems;

  const from = seen.length;
  const child = spawn(config.command, config.args ?? [], {
    env: serverEnvironment(config.env ?? {}), cwd: scratch, stdio: ['pipe', 'pipe', 'pipe'], shell: false,
    windowsHide: true,
  });
  let stderr = '', stdoutRest = '';
  const answers = new Map(), waiters = new Map();
  const exited = new Promise((res) => {
    child.once('exit', (code, signal) => res({ code, signal }));
    child.once('error', (error) => res({ error }));
  });
  const closed = new Promise((res) => child.once('close', res));
  child.stdin.on('error', () => {});  // EPIPE once the bridge is gone: its exit says why
  child.stderr.on('data', (d) => { stderr += d; });
  child.stdout.on('data', (d) => {
    stdoutRest += d;
    let newline;
    while ((newline = stdoutRest.indexOf('\n')) >= 0) {
      const line = stdoutRest.slice(0, newline).replace(/\r$/, '');
      stdoutRest = stdoutRest.slice(newline + 1);
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        problems.push(`stdout line is not JSON: ${line.slice(0, 200)}`);
        continue;
      }
      if (message?.jsonrpc !== '2.0') problems.push(`stdout line is not JSON-RPC 2.0: ${line.slice(0, 200)}`);
      if (message && 'id' in message && !('method' in message)) {
        const key = JSON.stringify(message.id);
        if (answers.has(key)) problems.push(`a second answer to id ${key}`);
        answers.set(key, message);
        waiters.get(key)?.(message);
      }
    }
  });
  const send = (message) => child.stdin.write(`${JSON.stringify(message)}\n`);
  const request = (id, method, params) => {
    const key = JSON.stringify(id);
    const answer = new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no answer to ${method} (id ${key}) within ${answerTimeoutMs / 1000} s`)),
        answerTimeoutMs);
      waiters.set(key, (m) => { clearTimeout(timer); res(m); });
      exited.then(({ code, signal, error }) => {
        clearTimeout(timer);
        rej(new Error(error ? `the bridge did not start: ${error.message}`
          : `the bridge ended (${signal ?? code}) before answering ${method}`));
      });
    });
    send({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
    return answer;
  };

  const text = `hello from the bundle (${name})`;
  try {
    const init = await request(1, 'initialize', {
      protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'claude-ai', version: '0.1.0' },
    });
    check(init.id === 1, `initialize answered with id ${JSON.stringify(init.id)}`);
    check(typeof init.result?.protocolVersion === 'string' && init.result?.serverInfo,
      `initialize result lacks protocolVersion/serverInfo: ${JSON.stringify(init).slice(0, 300)}`);
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const list = await request(2, 'tools/list', {});
    check(list.id === 2, `tools/list answered with id ${JSON.stringify(list.id)}`);
    check(list.result?.tools?.some((t) => t.name === 'echo'), `tools/list has no echo tool: ${JSON.stringify(list).slice(0, 300)}`);
    const call = await request('call-echo', 'tools/call', { name: 'echo', arguments: { message: text } });
    check(call.id === 'call-echo', `tools/call answered with id ${JSON.stringify(call.id)}`);
    check(call.result?.content?.some((c) => c.type === 'text' && c.text.includes(text)) && !call.result?.isError,
      `echo did not return the text: ${JSON.stringify(call).slice(0, 300)}`);
  } catch (e) {
    problems.push(e.message);
  }

  child.stdin.end();
  const end = await Promise.race([exited, new Promise((res) => setTimeout(() => res(null), exitTimeoutMs))]);
  if (!end) {
    problems.push(`the bridge did not exit within ${exitTimeoutMs / 1000} s of its stdin closing`);
    child.kill('SIGKILL');
    await exited;
  } else if (!end.error) {
    check(end.code === 0 && end.signal === null, `the bridge exited with ${end.signal ?? end.code}, not 0`);
  }
  await Promise.race([closed, new Promise((res) => setTimeout(res, 2000))]);  // the rest of stdout and stderr
  if (stdoutRest.trim()) problems.push(`stdout ends with an unterminated line: ${stdoutRest.slice(0, 200)}`);
  const marker = sanitizerMarkers.find((m) => stderr.includes(m));
  check(!marker, `stderr has a sanitizer report (${marker})`);

  const requests = seen.slice(from);
  check(requests.some((r) => r.method === 'POST'), 'the bridge sent no POST to the server');
  const wanted = expectedKey ? `Bearer ${expectedKey}` : undefined;
  const wrong = requests.filter((r) => r.authorization !== wanted);
  check(wrong.length === 0, `Authorization sent ${JSON.stringify(wrong.map((r) => `${r.method} ${r.authorization ?? '(none)'}`))}`
    + `, expected ${wanted ? JSON.stringify(wanted) : 'none'} on every request`);
  if (problems.length && stderr) console.log(`  the bridge's stderr:\n${stderr.trimEnd().replace(/^/gm, '    | ')}`);
  return problems;
}

// --- The cases.
let passed = 0, failed = 0;
try {
  const url = await startProxy(await startEverything());
  const key = 'mcpb-launch-test-key-0123456789';
  const defaults = await resolve({});
  const defaultUrl = manifest.user_config?.server_url?.default;
  const cases = [
    ['not started: with no user settings, --url is the default URL and AWORK_API_KEY is empty', async () => {
      const ok = JSON.stringify(defaults?.args) === JSON.stringify(['--url', defaultUrl]) && defaults?.env?.AWORK_API_KEY === '';
      return ok ? [] : [`with no user settings the command resolves to ${JSON.stringify(defaults)}`];
    }],
    ['not started: every platform the manifest lists has its binary in the bundle', async () => {
      const { command, platform_overrides: overrides = {} } = manifest.server.mcp_config;
      const problems = [];
      for (const os of platforms ?? Object.keys(overrides)) {
        const file = (overrides[os]?.command || command).replace('${__dirname}', extensionDir);
        if (!existsSync(file)) problems.push(`${os}: ${file} is not in the bundle`);
        else if (os !== 'win32' && process.platform !== 'win32' && (statSync(file).mode & 0o111) === 0)
          problems.push(`${os}: ${file} is not executable after unpacking`);
      }
      return problems;
    }],
    ['API key given', () => launch('key', { server_url: url, api_key: key }, key)],
    ['API key never set (the manifest default)', () => launch('unset', { server_url: url }, '')],
    ['API key cleared (the user left it empty)', () => launch('empty', { server_url: url, api_key: '' }, '')],
  ];
  for (const [name, run] of cases) {
    console.log(`case: ${name}`);
    const problems = await run();
    if (problems.length === 0) {
      passed++;
      console.log(`ok    ${name}`);
    } else {
      failed++;
      console.log(`FAIL  ${name}\n${problems.map((p) => `      - ${p}`).join('\n')}`);
    }
  }
} catch (e) {
  failed++;
  console.log(`FAIL  ${e.stack ?? e}`);
}
console.log(`${passed} passed, ${failed} failed`);
cleanUp();
process.exit(failed === 0 ? 0 : 1);
