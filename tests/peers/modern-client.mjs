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
// on stdout and exits 0; on any failure (the bridge ending badly included: bridge-outcome.mjs)
// prints the error on stderr and exits 1.
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
//                      requests (input_required rounds on 2026-07-28, elicitation/create on 2025);
//                      an accepted form fills every required field (strings "matrix", booleans
//                      true, numbers their minimum or 1)
//   MODERN_SCENARIO    full: instead of the one tool call, after VERSION/ERA/TOOLS run every
//                      feature in turn against the server's profile (see `profiles`, chosen by the
//                      server's name, printed as SERVER <name>) and print one line each:
//                        RESOURCE_LISTED <1|0>  RESOURCE <first line of the resource's text>
//                        PROMPT_LISTED <1|0>    PROMPT <first message's text>
//                        PROGRESS <notifications/progress read during the call>
//                        PROGRESS_RESULT <tool result text>
//                        ELICIT <tool result text>          SAMPLE <tool result text>
//                        LISTEN <ok | error ...> (2026-07-28 only: the subscriptions/listen stream)
//                        LIST_CHANGED <1 if a tools/resources list_changed arrived within 5 s of
//                                      the trigger tool's call, else 0; 0 without a trigger
//                                      when LISTEN failed>
//                      A tool result text is its text blocks joined by " / " (newlines become
//                      spaces), prefixed "tool-error: " when isError; a step that throws prints
//                      "<KEY> error <code> <message>". The steps never stop one another; the exit
//                      code is 0 once connected.
//   MODERN_SAMPLE_TEXT  the completion the sampling handler returns (default
//                      "sampled by the test client")
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { watchBridge } from './bridge-outcome.mjs';

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
const transport = new Transport({ command, args, env, stderr: 'pipe' });
const bridgeOutcome = watchBridge(transport);
// Progress is counted on the wire, as the bridge delivers it. The SDK settles a response as soon
// as it reads it but runs notification handlers a microtask later, so progress read in the same
// chunk as the result reaches `onprogress` after the call is over ("unknown token") and is lost.
// A transport's own onmessage, set before connect, sees every message in order.
let progressOnWire;  // { count } while the progress step's call is in flight
transport.onmessage = message => {
    if (progressOnWire && message.method === 'notifications/progress') ++progressOnWire.count;
};

const client = new Client(
    { name: 'awork-test-modern-client', version: '1.0.0' },
    {
        capabilities: { elicitation: { form: {} }, sampling: {} },
        versionNegotiation: { mode, probe: { timeoutMs: timeout } },
        inputRequired: { autoFulfill: true, maxRounds: 4 }
    }
);
// Used for both eras: 2026-07-28 input_required rounds are auto-fulfilled through this same
// handler; on a 2025 connection it answers real elicitation/create requests.
client.setRequestHandler('elicitation/create', async request =>
    elicitAction === 'accept' ? { action: 'accept', content: formAnswer(request.params.requestedSchema) } : { action: elicitAction }
);
// Sampling the same way: a 2026-07-28 input_required round or a 2025 sampling/createMessage.
const sampleText = process.env.MODERN_SAMPLE_TEXT || 'sampled by the test client';
client.setRequestHandler('sampling/createMessage', async () => ({
    model: 'awork-test-model',
    role: 'assistant',
    content: { type: 'text', text: sampleText },
    stopReason: 'endTurn'
}));
client.onerror = err => console.error(`[modern-client] onerror: ${err?.message ?? err}`);

// An accepted form answers every required field, so any server's schema validates.
function formAnswer(schema) {
    const content = {};
    for (const name of schema?.required ?? []) {
        const property = schema.properties?.[name] ?? {};
        if (property.type === 'boolean') content[name] = true;
        else if (property.type === 'number' || property.type === 'integer') content[name] = property.minimum ?? 1;
        else content[name] = 'matrix';
    }
    return content;
}

// What each server offers for every feature of the full scenario, by the server's name.
const profiles = {
    'awork-test-modern-server': {
        resource: 'test://static/hello',
        prompt: { name: 'greeting', arguments: { name: 'matrix' } },
        progress: { name: 'progress', arguments: { steps: 3 } },
        elicit: { name: 'confirm', arguments: {} },
        sample: { name: 'sample', arguments: { prompt: 'matrix' } },
        listChanged: { name: 'change-tools', arguments: {} }
    },
    'mcp-servers/everything': {
        resource: 'demo://resource/static/document/instructions.md',
        prompt: { name: 'args-prompt', arguments: { city: 'Lisbon' } },
        progress: { name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } },
        elicit: { name: 'trigger-elicitation-request', arguments: {} },
        sample: { name: 'trigger-sampling-request', arguments: { prompt: 'matrix', maxTokens: 20 } },
        // Registering a session resource makes the server announce resources/list_changed.
        listChanged: { name: 'gzip-file-as-resource', arguments: { name: 'matrix.txt', data: 'data:text/plain,matrix' } }
    }
};

const oneLine = text => String(text).replace(/\r?\n/g, ' ');

function resultText(result) {
    const text = (result.content ?? []).filter(block => block.type === 'text').map(block => oneLine(block.text)).join(' / ');
    return result.isError ? `tool-error: ${text}` : text;
}

// One report line; a step that throws reports its error and the scenario goes on.
async function step(key, run) {
    try {
        console.log(`${key} ${await run()}`);
    } catch (err) {
        console.log(`${key} error ${err?.code ?? '-'} ${oneLine(err?.message ?? err)}`);
    }
}

async function fullScenario() {
    const serverName = client.getServerVersion()?.name;
    console.log(`SERVER ${serverName}`);
    const profile = profiles[serverName];
    if (!profile) throw new Error(`no scenario profile for the server "${serverName}"`);

    await step('RESOURCE_LISTED', async () => {
        const { resources } = await client.listResources(undefined, { timeout });
        return resources.some(r => r.uri === profile.resource) ? 1 : 0;
    });
    await step('RESOURCE', async () => {
        const { contents } = await client.readResource({ uri: profile.resource }, { timeout });
        return oneLine((contents[0]?.text ?? '').split('\n')[0]);
    });
    await step('PROMPT_LISTED', async () => {
        const { prompts } = await client.listPrompts(undefined, { timeout });
        return prompts.some(p => p.name === profile.prompt.name) ? 1 : 0;
    });
    await step('PROMPT', async () => {
        const { messages } = await client.getPrompt(profile.prompt, { timeout });
        return oneLine(messages[0]?.content?.text ?? '');
    });

    let progressResult = '';
    await step('PROGRESS', async () => {
        progressOnWire = { count: 0 };
        try {
            // onprogress makes the SDK send a progressToken; the count is the wire's (see above).
            const result = await client.callTool(profile.progress, { timeout, onprogress: () => {} });
            progressResult = resultText(result);
            return progressOnWire.count;
        } finally {
            progressOnWire = undefined;
        }
    });
    console.log(`PROGRESS_RESULT ${progressResult}`);

    await step('ELICIT', async () => resultText(await client.callTool(profile.elicit, { timeout })));
    await step('SAMPLE', async () => resultText(await client.callTool(profile.sample, { timeout })));

    // List changes: unsolicited notifications on a 2025 connection; on 2026-07-28 only on a
    // subscriptions/listen stream, which must be acknowledged before the trigger.
    let changesSeen = 0;
    let triggered = false;
    let changed;
    const changeArrived = new Promise(resolve => (changed = resolve));
    const onListChanged = () => {
        if (!triggered) return;
        ++changesSeen;
        changed();
    };
    client.setNotificationHandler('notifications/tools/list_changed', onListChanged);
    client.setNotificationHandler('notifications/resources/list_changed', onListChanged);
    let listening = true;
    let subscription;
    if (client.getProtocolEra() === 'modern') {
        await step('LISTEN', async () => {
            try {
                subscription = await client.listen({ toolsListChanged: true, resourcesListChanged: true }, { timeout });
                return 'ok';
            } catch (err) {
                listening = false;
                throw err;
            }
        });
    }
    await step('LIST_CHANGED', async () => {
        if (!listening) return 0;
        triggered = true;
        const result = await client.callTool(profile.listChanged, { timeout });
        if (result.isError) throw new Error(`the trigger failed: ${resultText(result)}`);
        let timer;
        await Promise.race([changeArrived, new Promise(resolve => (timer = setTimeout(resolve, 5000)))]);
        clearTimeout(timer);
        return changesSeen > 0 ? 1 : 0;
    });
    await subscription?.close();
}

async function main() {
    await client.connect(transport, { timeout });
    console.log(`VERSION ${client.getNegotiatedProtocolVersion()}`);
    console.log(`ERA ${client.getProtocolEra()}`);
    const { tools } = await client.listTools(undefined, { timeout });
    console.log(`TOOLS ${tools.map(t => t.name).join(',')}`);
    if (process.env.MODERN_SCENARIO === 'full') {
        await fullScenario();
        return;
    }
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
const problem = await bridgeOutcome.problem();
if (problem) {
    console.error(`[modern-client] error: ${problem}`);
    code = 1;
}
process.exit(code);
