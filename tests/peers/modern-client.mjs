#!/usr/bin/env node
// A real MCP 2026-07-28 ("modern") stdio client — i.e. a modern editor — built on the 2.x
// TypeScript SDK (@modelcontextprotocol/client), for testing awork-mcp in front of it.
//
//   node modern-client.mjs <command> [args...]
//
// Spawns <command> as a stdio MCP server (the full parent environment is passed explicitly),
// negotiates protocol 2026-07-28 with server/discover, lists tools, calls one tool, prints
//   VERSION <negotiated protocol version>
//   ERA <modern|legacy>
//   TOOLS <comma-separated tool names>
//   RESULT <tool result as one line of JSON>
// on stdout and exits 0; on any failure prints the error on stderr and exits 1.
//
// Environment:
//   MODERN_TOOL        tool to call (default "echo")
//   MODERN_ARGS        JSON arguments (default {"message":"hi"})
//   MODERN_MODE        pin (default: 2026-07-28 only, no fallback) | auto (server/discover, falling
//                      back to initialize on -32601/other errors/timeout) | legacy (plain initialize)
//   MODERN_PROBE       sibling (default, SDK behaviour: the server/discover probe runs in a
//                      separate, short-lived spawn of <command>; the session process then gets
//                      no discover/initialize at all) | inplace (probe on the session process)
//   MODERN_TIMEOUT_MS  per-request and probe timeout (default 15000)
//   MODERN_ELICIT_ACTION  accept (default) | decline | cancel — answer given to elicitation
//                      requests (input_required rounds on 2026-07-28, elicitation/create on 2025)
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

const [command, ...args] = process.argv.slice(2);
if (!command) {
    console.error('usage: node modern-client.mjs <command> [args...]');
    process.exit(2);
}

const toolName = process.env.MODERN_TOOL || 'echo';
let toolArgs;
try {
    toolArgs = JSON.parse(process.env.MODERN_ARGS || '{"message":"hi"}');
} catch (e) {
    console.error(`MODERN_ARGS is not valid JSON: ${e.message}`);
    process.exit(2);
}
const modeName = process.env.MODERN_MODE || 'pin';
const mode = modeName === 'pin' ? { pin: '2026-07-28' } : modeName;
if (!['auto', 'legacy'].includes(mode) && typeof mode !== 'object') {
    console.error(`MODERN_MODE must be pin, auto or legacy (got ${modeName})`);
    process.exit(2);
}
const timeout = Number(process.env.MODERN_TIMEOUT_MS || 15000);
const elicitAction = process.env.MODERN_ELICIT_ACTION || 'accept';

// The SDK probes on a disposable sibling only for the base StdioClientTransport class
// exactly; any subclass probes in place on the session's own pipe.
class InPlaceStdioClientTransport extends StdioClientTransport {}
const Transport = process.env.MODERN_PROBE === 'inplace' ? InPlaceStdioClientTransport : StdioClientTransport;

const env = {};
for (const [k, v] of Object.entries(process.env)) if (typeof v === 'string') env[k] = v;
const transport = new Transport({ command, args, env, stderr: 'inherit' });

const client = new Client(
    { name: 'awork-test-modern-client', version: '1.0.0' },
    {
        capabilities: { elicitation: { form: {} } },
        versionNegotiation: { mode, probe: { timeoutMs: timeout } },
        inputRequired: { autoFulfill: true, maxRounds: 4 }
    }
);
// Used for both eras: 2026-07-28 input_required rounds are auto-fulfilled through this same
// handler; on a 2025 connection it answers real elicitation/create requests.
client.setRequestHandler('elicitation/create', async () =>
    elicitAction === 'accept' ? { action: 'accept', content: { ok: true } } : { action: elicitAction }
);
client.onerror = err => console.error(`[modern-client] onerror: ${err?.message ?? err}`);

async function main() {
    await client.connect(transport, { timeout });
    console.log(`VERSION ${client.getNegotiatedProtocolVersion()}`);
    console.log(`ERA ${client.getProtocolEra()}`);
    const { tools } = await client.listTools(undefined, { timeout });
    console.log(`TOOLS ${tools.map(t => t.name).join(',')}`);
    const result = await client.callTool({ name: toolName, arguments: toolArgs }, { timeout });
    console.log(`RESULT ${JSON.stringify(result)}`);
}

let code = 0;
try {
    await main();
} catch (err) {
    console.error(`[modern-client] error: ${err?.stack ?? err}`);
    if (err?.data !== undefined) console.error(`[modern-client] error data: ${JSON.stringify(err.data)}`);
    code = 1;
}
try {
    await client.close();
} catch {
    /* ignore */
}
process.exit(code);
