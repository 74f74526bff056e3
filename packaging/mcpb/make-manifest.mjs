#!/usr/bin/env node
// Writes the manifest.json of the awork MCP Bundle (.mcpb, manifest_version 0.3 as
// @anthropic-ai/mcpb 2.x validates it) for the platforms whose binaries the bundle holds.
//
//   node packaging/mcpb/make-manifest.mjs --version 0.1.0 --platform linux-x64 \
//        [--platform win32-x64] [--platform darwin] [--out DIR/manifest.json]
//
// Without --out it prints the manifest. packaging/mcpb/make-bundle.sh runs it.
//
// Layout: each platform's binary sits in its own folder, server/<platform>/, and
// mcp_config.platform_overrides (keyed by Node's process.platform, as Claude Desktop looks them
// up) points each OS at its own; compatibility.platforms names only the OSes whose binary is in
// the bundle, so Claude Desktop refuses the bundle elsewhere instead of failing to start it.
//
// User settings: server_url (default awork's endpoint) goes on the command line as --url;
// api_key goes in AWORK_API_KEY. api_key has "default": "" on purpose: Claude Desktop (mcpb's
// getMcpConfigForManifest) substitutes ${user_config.X} only when X has a value, from the user
// or from a default; an optional field with neither reaches the server as the literal text
// "${user_config.api_key}" (modelcontextprotocol/mcpb issue #250). With the empty default an
// unset key arrives as AWORK_API_KEY="" and the bridge, which ignores an empty AWORK_API_KEY,
// signs in with the user's awork account instead.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

// The repository's public address is not settled yet: this placeholder is used everywhere.
const repo = 'https://github.com/awork-mcp/awork-mcp-bridge';
const defaultUrl = 'https://api.awork.com/api/v1/mcp';

// Bundle platform name -> Node's process.platform and the binary's path in the bundle.
const platforms = {
  'darwin': { os: 'darwin', binary: 'server/darwin/awork-mcp' },
  'linux-x64': { os: 'linux', binary: 'server/linux-x64/awork-mcp' },
  'win32-x64': { os: 'win32', binary: 'server/win32-x64/awork-mcp.exe' },
};
// The default command when no override matches: Linux's if present, else the first given.
const preference = ['linux-x64', 'darwin', 'win32-x64'];

const usage = 'usage: make-manifest.mjs --version X.Y.Z --platform linux-x64|win32-x64|darwin ... [--out FILE]';
let args;
try {
  args = parseArgs({
    options: {
      version: { type: 'string' },
      platform: { type: 'string', multiple: true },
      out: { type: 'string' },
    },
    strict: true,
  }).values;
} catch (e) {
  console.error(`${e.message}\n${usage}`);
  process.exit(2);
}
const fail = (why) => {
  console.error(`make-manifest: ${why}\n${usage}`);
  process.exit(2);
};
if (!args.version || !/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(args.version))
  fail(`--version must be a semantic version X.Y.Z, not ${JSON.stringify(args.version ?? '')}`);
const chosen = [...new Set(args.platform ?? [])];
if (chosen.length === 0) fail('name at least one --platform');
for (const p of chosen) if (!platforms[p]) fail(`unknown platform ${p}`);

const base = preference.find((p) => chosen.includes(p));
const command = (p) => `\${__dirname}/${platforms[p].binary}`;
const overrides = Object.fromEntries(
  Object.keys(platforms).filter((p) => chosen.includes(p)).map((p) => [platforms[p].os, { command: command(p) }]),
);

const manifest = {
  manifest_version: '0.3',
  name: 'awork-mcp-bridge',
  display_name: 'awork',
  version: args.version,
  description: 'Use awork from Claude: projects, tasks, time tracking and more, through awork\'s MCP server.',
  long_description: [
    'Connects Claude Desktop to awork\'s remote MCP server (' + defaultUrl + ') through `awork-mcp`,',
    'a small native program that runs on your computer and relays Claude\'s requests to awork over HTTPS.',
    'The tools you see are the ones awork offers to your account.',
    '',
    '**Signing in.** Leave *API key* empty and the first time Claude uses awork your browser opens',
    'awork\'s sign-in page (OAuth); the sign-in is stored on this computer and renewed by itself.',
    'Or paste an awork API key (awork: Settings → Integrations → API); Claude Desktop keeps it in the',
    'system\'s secure storage.',
    '',
    '*Server URL* points the bridge at another Streamable HTTP MCP server; keep the default for awork.',
  ].join('\n'),
  author: { name: 'The awork-mcp-bridge authors', url: repo },
  repository: { type: 'git', url: repo },
  homepage: repo,
  documentation: `${repo}#readme`,
  support: `${repo}/issues`,
  icon: 'icon.png',
  server: {
    type: 'binary',
    entry_point: platforms[base].binary,
    mcp_config: {
      command: command(base),
      args: ['--url', '${user_config.server_url}'],
      env: { AWORK_API_KEY: '${user_config.api_key}' },
      platform_overrides: overrides,
    },
  },
  tools_generated: true,
  keywords: ['awork', 'project management', 'tasks', 'time tracking', 'productivity', 'mcp'],
  // packaging/copyright (in the bundle as "copyright") says which licences apply; the project
  // itself has declared none yet.
  license: 'SEE LICENSE IN copyright',
  compatibility: {
    platforms: Object.keys(platforms).filter((p) => chosen.includes(p)).map((p) => platforms[p].os),
  },
  user_config: {
    server_url: {
      type: 'string',
      title: 'Server URL',
      description: `The MCP endpoint the bridge talks to. Keep the default, ${defaultUrl}, for awork.`,
      default: defaultUrl,
      required: false,
    },
    api_key: {
      type: 'string',
      title: 'API key (optional)',
      description: 'An awork API key. Leave it empty to sign in with your awork account instead: the first time '
        + 'Claude uses awork, your browser opens awork\'s sign-in page (OAuth), and the sign-in is remembered.',
      sensitive: true,
      required: false,
      default: '',
    },
  },
};

const text = `${JSON.stringify(manifest, null, 2)}\n`;
if (args.out) writeFileSync(args.out, text);
else process.stdout.write(text);
