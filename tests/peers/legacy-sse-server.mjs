#!/usr/bin/env node
// An MCP 2024-11-05 server on the deprecated HTTP+SSE transport, built on the 1.x SDK's
// SSEServerTransport, for testing the bridge's last fallback against the real thing.
//
//   node legacy-sse-server.mjs <port>        (port 0 = pick a free one)
//
// Prints "LISTENING <port>" once ready. GET /mcp opens a session's event stream (its first event,
// `endpoint`, names /messages?sessionId=…); POST /messages?sessionId=… carries the client's
// messages (202, answers come on the stream); POST /mcp is refused with 405, as old servers do.
//
// Tools: echo {message}; slow {ms} (answers after ms, with a progress notification first when the
//        call has a progressToken); ask {} (asks the client for a sampling/createMessage and
//        returns its text); drop {} (ends this session's stream: the session is gone).
// Resource: test://static/hello.  Prompt: greeting {name?}.
import http from 'node:http';
import { z } from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';

const sessions = new Map();  // sessionId -> transport
let sessionsOpened = 0;

function buildServer(transportOf) {
    const server = new McpServer({ name: 'awork-test-legacy-sse-server', version: '1.0.0' });
    server.registerTool('echo', { description: 'Echoes', inputSchema: { message: z.string() } },
        async ({ message }) => ({ content: [{ type: 'text', text: `Echo: ${message}` }] }));
    server.registerTool('slow', { description: 'Answers after ms', inputSchema: { ms: z.number() } },
        async ({ ms }, extra) => {
            const token = extra._meta?.progressToken;
            if (token !== undefined)
                await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: 1, total: 2 } });
            await new Promise(resolve => setTimeout(resolve, ms));
            return { content: [{ type: 'text', text: `slept ${ms}` }] };
        });
    server.registerTool('ask', { description: 'Asks the client to sample', inputSchema: {} }, async () => {
        const answer = await server.server.createMessage({
            messages: [{ role: 'user', content: { type: 'text', text: 'Say something' } }],
            maxTokens: 10
        });
        return { content: [{ type: 'text', text: `sampled: ${answer.content.text}` }] };
    });
    server.registerTool('drop', { description: 'Ends this session', inputSchema: {} }, async () => {
        setTimeout(() => transportOf().close(), 50);
        return { content: [{ type: 'text', text: 'dropping' }] };
    });
    server.registerTool('sessions', { description: 'How many sessions were opened', inputSchema: {} },
        async () => ({ content: [{ type: 'text', text: String(sessionsOpened) }] }));
    server.registerResource('hello', 'test://static/hello', { mimeType: 'text/plain' },
        async uri => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Hello, world!' }] }));
    server.registerPrompt('greeting', { argsSchema: { name: z.string().optional() } },
        ({ name }) => ({ messages: [{ role: 'user', content: { type: 'text', text: `Say hello to ${name ?? 'the world'}` } }] }));
    return server;
}

const httpServer = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/mcp' && req.method === 'GET') {
        const transport = new SSEServerTransport('/messages', res);
        sessions.set(transport.sessionId, transport);
        ++sessionsOpened;
        transport.onclose = () => sessions.delete(transport.sessionId);
        await buildServer(() => transport).connect(transport);
        return;
    }
    if (url.pathname === '/messages' && req.method === 'POST') {
        const transport = sessions.get(url.searchParams.get('sessionId'));
        if (!transport) {
            res.writeHead(404, { 'content-type': 'text/plain' }).end('no such session');
            return;
        }
        await transport.handlePostMessage(req, res);
        return;
    }
    if (url.pathname === '/mcp') {
        res.writeHead(405, { 'content-type': 'text/plain', allow: 'GET' }).end('Method Not Allowed');
        return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
});

const port = Number(process.argv[2] ?? 0);
httpServer.listen(port, '127.0.0.1', () => process.stdout.write(`LISTENING ${httpServer.address().port}\n`));
const shutdown = () => {
    httpServer.closeAllConnections?.();
    httpServer.close();
    setTimeout(() => process.exit(0), 100).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
