// A small stdio MCP client for the conformance suite's client scenarios. The suite runs
//   node conformance-client.mjs <awork-mcp binary> <server URL>
// and this client launches the bridge with that URL, exactly as an editor would.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const args = process.argv.slice(2);
const bridge = args[0];
const url = args[args.length - 1];
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? 'initialize';

const transport = new StdioClientTransport({
  command: bridge,
  args: ['--url', url, '--log-level', 'info'],
  stderr: 'inherit',
});
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

try {
  await client.connect(transport);
  if (toolFor[scenario]) {
    const [name, toolArgs] = toolFor[scenario];
    const { tools } = await client.listTools();
    if (!tools.some((t) => t.name === name)) throw new Error(`server offers no tool ${name}`);
    const result = await client.callTool({ name, arguments: toolArgs });
    console.error(`[client] ${name} -> ${JSON.stringify(result)}`);
    if (result.isError) throw new Error(`${name} failed`);
  }
  await client.close();
  process.exit(0);
} catch (error) {
  console.error(`[client] ${scenario} failed: ${error?.stack ?? error}`);
  await client.close().catch(() => {});
  process.exit(1);
}
