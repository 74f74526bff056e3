// A small stdio MCP client for the conformance suite's client scenarios. The suite runs
//   node conformance-client.mjs <awork-mcp binary> <server URL>
// and this client launches the bridge with that URL, exactly as an editor would.
//
// For the OAuth scenarios (auth/*) the bridge has no API key, so it signs in on the first 401
// by running $BROWSER: here that is browser.mjs, which follows the suite's authorization
// redirects back to the bridge's loopback callback. Each run gets a fresh XDG_CONFIG_HOME so no
// token or client registration carries over between scenarios, and the pre-registered client of
// MCP_CONFORMANCE_CONTEXT (JSON from the suite: {name, client_id, client_secret, issuer}) is
// handed to the bridge as --client-id and a 0600 --client-secret-file.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { watchBridge } from './bridge-outcome.mjs';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const args = process.argv.slice(2);
const bridge = args[0];
const url = args[args.length - 1];
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? 'initialize';
const context = process.env.MCP_CONFORMANCE_CONTEXT ? JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT) : {};
const isAuthScenario = scenario.startsWith('auth/');
const here = dirname(fileURLToPath(import.meta.url));

// The client_id the suite's auth/basic-cimd authorization server expects (it never fetches it).
const conformanceClientMetadataUrl = 'https://conformance-test.local/client-metadata.json';
const cimdScenarios = new Set(['auth/basic-cimd']);

// Quotes a word for /bin/sh (the bridge runs `/bin/sh -c "$BROWSER \"$url\""`).
function shellWord(word) {
  return /^[A-Za-z0-9_\/.,:+@%=-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

const bridgeArgs = ['--url', url, '--log-level', 'info'];
// Every run gets a configuration directory of its own: what one scenario's bridge remembers
// (sign-ins, each server's era) must not change how the next one behaves.
const scratch = mkdtempSync(join(tmpdir(), 'awork-mcp-conformance-'));
const configHome = join(scratch, 'config');
mkdirSync(configHome, { mode: 0o700 });
let env = { ...process.env, XDG_CONFIG_HOME: configHome, AWORK_MCP_CONFIG_DIR: join(configHome, 'awork-mcp') };
if (isAuthScenario) {
  env.BROWSER = `${shellWord(process.execPath)} ${shellWord(join(here, 'browser.mjs'))}`;
  if (context.client_id) bridgeArgs.push('--client-id', context.client_id);
  if (context.client_secret) {
    const secretFile = join(scratch, 'client-secret');
    writeFileSync(secretFile, context.client_secret, { mode: 0o600 });
    chmodSync(secretFile, 0o600);
    bridgeArgs.push('--client-secret-file', secretFile);
  }
  if (cimdScenarios.has(scenario)) bridgeArgs.push('--client-metadata-url', conformanceClientMetadataUrl);
  console.error(`[client] ${scenario}: ${bridge} ${bridgeArgs.join(' ')}`);
}

const transport = new StdioClientTransport({
  command: bridge,
  args: bridgeArgs,
  env,
  stderr: 'pipe',
});
const bridgeOutcome = watchBridge(transport);
const client = new Client(
  { name: 'awork-mcp-conformance-client', version: '1.0.0' },
  { capabilities: { elicitation: { form: { applyDefaults: true } } } },
);

// Accept every elicitation with the defaults the schema offers.
client.setRequestHandler(ElicitRequestSchema, async (request) => {
  const properties = request.params.requestedSchema?.properties ?? {};
  const content = {};
  for (const [name, schema] of Object.entries(properties)) {
    if (schema && 'default' in schema) content[name] = schema.default;
  }
  return { action: 'accept', content };
});

const toolFor = {
  tools_call: ['add_numbers', { a: 5, b: 3 }],
  'sse-retry': ['test_reconnection', {}],
  'elicitation-sep1034-client-defaults': ['test_client_elicitation_defaults', {}],
};
// Every auth/* scenario's MCP server offers one tool, test-tool; listing and then calling it
// gives the scenarios that gate tools/call differently (scope-step-up) or switch
// authorization servers after the first authorized request (authorization-server-migration)
// the second request they need.
const toolForScenario = (name) => toolFor[name] ?? (name.startsWith('auth/') ? ['test-tool', {}] : undefined);


// Scenarios that need more than one tool call: each is what an editor would do with the server
// the scenario stands up (the suite checks the requests the bridge makes of them).
const callEachTool = (argumentsFor) => async () => {
  const { tools } = await client.listTools();
  for (const tool of tools) {
    const result = await client.callTool({ name: tool.name, arguments: argumentsFor(tool) });
    console.error(`[client] ${tool.name} -> ${JSON.stringify(result).slice(0, 200)}`);
  }
};
const scenarioActions = {
  'sep-2322-client-request-state': callEachTool(() => ({})),
  'http-invalid-tool-headers': callEachTool(() => ({ region: 'us-west1' })),
  'http-standard-headers': async () => {
    await callEachTool(() => ({}))();
    for (const resource of (await client.listResources()).resources) await client.readResource({ uri: resource.uri });
    for (const prompt of (await client.listPrompts()).prompts) await client.getPrompt({ name: prompt.name });
  },
  'http-custom-headers': async () => {
    await client.listTools();
    for (const call of context.toolCalls ?? []) await client.callTool({ name: call.name, arguments: call.arguments });
  },
  'json-schema-ref-no-deref': async () => {
    await client.listTools();
  },
  'json-schema-2020-12-preservation': async () => {
    const { tools } = await client.listTools();
    const schema = tools.find((t) => t.name === 'json_schema_2020_12_tool')?.inputSchema;
    if (!schema) throw new Error('server offers no json_schema_2020_12_tool');
    const result = await client.callTool({ name: 'json_schema_echo', arguments: { schema } });
    if (result.isError) throw new Error('json_schema_echo failed');
  },
};

function cleanUp() {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}
// The suite kills the client when its --timeout runs out.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, async () => {
    console.error(`[client] ${scenario}: ${signal}`);
    await client.close().catch(() => {});
    cleanUp();
    process.exit(1);
  });
}

try {
  await client.connect(transport);
  const tool = toolForScenario(scenario);
  if (scenarioActions[scenario]) {
    await scenarioActions[scenario]();
  } else if (tool) {
    const [name, toolArgs] = tool;
    const { tools } = await client.listTools();
    if (!tools.some((t) => t.name === name)) throw new Error(`server offers no tool ${name}`);
    const result = await client.callTool({ name, arguments: toolArgs });
    console.error(`[client] ${name} -> ${JSON.stringify(result)}`);
    if (result.isError) throw new Error(`${name} failed`);
  }
  await client.close();
  const problem = await bridgeOutcome.problem();
  if (problem) console.error(`[client] ${scenario} failed: ${problem}`);
  cleanUp();
  process.exit(problem ? 1 : 0);
} catch (error) {
  console.error(`[client] ${scenario} failed: ${error?.stack ?? error}`);
  await client.close().catch(() => {});
  cleanUp();
  process.exit(1);
}
