#!/usr/bin/env node
// A real MCP 2026-07-28 ("modern", stateless) Streamable HTTP server peer, built on the
// 2.x TypeScript SDK (@modelcontextprotocol/server), for testing awork-mcp against it.
//
//   node modern-server.mjs <port>        (port 0 = pick a free one)
//
// Prints "LISTENING <port>" on stdout once ready; serves POST/GET/DELETE on /mcp only.
// The endpoint is dual-era by default: 2026-07-28 requests (those carrying the
// `_meta` "io.modelcontextprotocol/protocolVersion" envelope) go to the modern path;
// 2025-era traffic (initialize, claim-less requests) is served by the SDK's stateless
// legacy fallback from the same factory.
//
// Environment:
//   MODERN_SERVER_LEGACY=stateless|reject   default stateless (dual-era); reject = modern-only:
//                                           a 2025 initialize is answered with -32022
//                                           (UnsupportedProtocolVersion, data.supported=["2026-07-28"])
//   MODERN_SERVER_RESPONSE_MODE=auto|sse|json   default auto (JSON unless the handler streams)
//   MODERN_SERVER_LOG=1                     log each HTTP exchange to stderr
//
// Tools: echo {message} -> "Echo: <message>"; add {a,b} -> "<a+b>";
//        confirm {} -> asks the client for input through an input_required (MRTR) result
//        carrying an elicitation/create request, then returns "answered <action>";
//        progress {steps} -> sends `steps` notifications/progress (when the request has a
//        progressToken) on the request's own response stream, then returns "progress done <steps>";
//        sample {prompt} -> asks the client for an LLM completion (input_required carrying a
//        sampling/createMessage request), then returns "sampled: <the completion's text>";
//        change-tools {} -> publishes notifications/tools/list_changed to every open
//        subscriptions/listen stream, then returns "tools changed".
// Resource: test://static/hello (text/plain "Hello, world!").  Prompt: greeting {name?}.
import http from 'node:http';
import { Readable } from 'node:stream';
import * as z from 'zod';
import { McpServer, createMcpHandler, inputRequired, inputResponse } from '@modelcontextprotocol/server';

const SERVER_INFO = { name: 'awork-test-modern-server', version: '1.0.0' };

// One factory backs both eras; createMcpHandler calls it once per HTTP request.
function buildServer(ctx) {
    const server = new McpServer(SERVER_INFO, {
        capabilities: { tools: {}, resources: {}, prompts: {} },
        instructions: `modern test server (era ${ctx.era})`
    });

    server.registerTool(
        'echo',
        { description: 'Echoes back the input', inputSchema: z.object({ message: z.string() }) },
        async ({ message }) => ({ content: [{ type: 'text', text: `Echo: ${message}` }] })
    );

    server.registerTool(
        'add',
        { description: 'Adds two numbers', inputSchema: z.object({ a: z.number(), b: z.number() }) },
        async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }], structuredContent: { sum: a + b } })
    );

    // Multi-round-trip (SEP "MRTR"): on 2026-07-28 the server cannot send elicitation/create
    // to the client; it returns {resultType:"input_required", inputRequests:{...}} and the client
    // retries tools/call with params.inputResponses (+ requestState echoed verbatim).
    server.registerTool(
        'confirm',
        { description: 'Asks the user to confirm (elicitation via input_required)', inputSchema: z.object({}) },
        async (_args, ctx2) => {
            const answer = inputResponse(ctx2.mcpReq.inputResponses, 'confirm');
            if (answer.kind === 'elicit') {
                return { content: [{ type: 'text', text: `answered ${answer.action}` }] };
            }
            return inputRequired({
                inputRequests: {
                    confirm: inputRequired.elicit({
                        message: 'Please confirm',
                        requestedSchema: {
                            type: 'object',
                            properties: { ok: { type: 'boolean', title: 'OK?' } },
                            required: ['ok']
                        }
                    })
                },
                requestState: 'confirm-round-1'
            });
        }
    );

    // 2026-07-28 keeps progress as it was: notifications on the request's own (SSE) response
    // stream, never on the listen stream. `auto` response mode upgrades to SSE on the first one.
    server.registerTool(
        'progress',
        { description: 'Reports progress steps', inputSchema: z.object({ steps: z.number().int().min(1).max(50) }) },
        async ({ steps }, ctx2) => {
            const progressToken = ctx2.mcpReq._meta?.progressToken;
            if (progressToken !== undefined) {
                for (let progress = 1; progress <= steps; ++progress) {
                    await ctx2.mcpReq.notify({
                        method: 'notifications/progress',
                        params: { progressToken, progress, total: steps }
                    });
                }
            }
            return { content: [{ type: 'text', text: `progress done ${steps}` }] };
        }
    );

    // Sampling the 2026-07-28 way: an input_required result carrying sampling/createMessage.
    server.registerTool(
        'sample',
        { description: 'Asks the client for an LLM completion (sampling via input_required)', inputSchema: z.object({ prompt: z.string() }) },
        async ({ prompt }, ctx2) => {
            const answer = inputResponse(ctx2.mcpReq.inputResponses, 'completion');
            if (answer.kind === 'sampling') {
                const blocks = Array.isArray(answer.result.content) ? answer.result.content : [answer.result.content];
                const text = blocks.map(block => (block.type === 'text' ? block.text : `[${block.type}]`)).join('');
                return { content: [{ type: 'text', text: `sampled: ${text}` }] };
            }
            return inputRequired({
                inputRequests: {
                    completion: inputRequired.createMessage({
                        messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
                        maxTokens: 50
                    })
                },
                requestState: 'sample-round-1'
            });
        }
    );

    // A stateless server has no session to notify: list changes go to the open
    // subscriptions/listen streams through the handler's event bus.
    server.registerTool(
        'change-tools',
        { description: 'Announces that the tool list changed', inputSchema: z.object({}) },
        async () => {
            handler.notify.toolsChanged();
            return { content: [{ type: 'text', text: 'tools changed' }] };
        }
    );

    server.registerResource(
        'hello',
        'test://static/hello',
        { title: 'Hello', description: 'A static text resource', mimeType: 'text/plain' },
        async uri => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Hello, world!' }] })
    );

    server.registerPrompt(
        'greeting',
        { description: 'A greeting prompt', argsSchema: z.object({ name: z.string().optional() }) },
        ({ name }) => ({
            messages: [{ role: 'user', content: { type: 'text', text: `Say hello to ${name ?? 'the world'}` } }]
        })
    );
    return server;
}

const legacy = process.env.MODERN_SERVER_LEGACY === 'reject' ? 'reject' : 'stateless';
const responseMode = process.env.MODERN_SERVER_RESPONSE_MODE || undefined;
const log = process.env.MODERN_SERVER_LOG === '1' ? (...a) => console.error('[modern-server]', ...a) : () => {};

const handler = createMcpHandler(buildServer, {
    legacy,
    ...(responseMode && { responseMode }),
    onerror: err => log('onerror:', err?.message ?? err)
});

// Minimal node:http <-> fetch adapter (what @modelcontextprotocol/node's toNodeHandler does,
// without pulling in hono). Streams the response body so SSE works.
async function toWebRequest(req, url) {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
        if (Array.isArray(v)) v.forEach(x => headers.append(k, x));
        else if (v !== undefined) headers.set(k, v);
    }
    const ac = new AbortController();
    req.socket.once('close', () => ac.abort());
    const init = { method: req.method, headers, signal: ac.signal };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
        const chunks = [];
        for await (const c of req) chunks.push(c);
        init.body = Buffer.concat(chunks);
    }
    return new Request(url, init);
}

const httpServer = http.createServer(async (req, res) => {
    const url = new URL(req.url, `http://${req.headers.host ?? '127.0.0.1'}`);
    if (url.pathname !== '/mcp') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
    }
    try {
        const request = await toWebRequest(req, url);
        const response = await handler.fetch(request);
        log(req.method, req.headers['mcp-protocol-version'] ?? '-', '->', response.status, response.headers.get('content-type'));
        const headers = {};
        response.headers.forEach((v, k) => (headers[k] = v));
        res.writeHead(response.status, headers);
        if (response.body) {
            const body = Readable.fromWeb(response.body);
            res.on('close', () => body.destroy());
            body.on('error', () => res.destroy());
            body.pipe(res);
        } else {
            res.end();
        }
    } catch (err) {
        log('adapter error:', err?.stack ?? err);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error');
    }
});

const port = Number(process.argv[2] ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('usage: node modern-server.mjs <port>');
    process.exit(2);
}
httpServer.listen(port, '127.0.0.1', () => {
    process.stdout.write(`LISTENING ${httpServer.address().port}\n`);
});

const shutdown = () => {
    handler.close().catch(() => {});
    httpServer.close();
    httpServer.closeAllConnections?.();
    setTimeout(() => process.exit(0), 200).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
