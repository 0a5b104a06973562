import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { readText } from '../read-body';
import { buildFakeMcpServer, type FakeMcpEvent } from './fake-mcp-tools';

/** A request the fake turned away because it did not know the request's session. */
export interface RefusedRequest {
  readonly status: 400 | 404;
  /** `GET` for the event stream, else the JSON-RPC method posted (`tools/call`, ...). */
  readonly method: string;
}

export interface FakeMcpHttp {
  /**
   * The Streamable HTTP endpoint, http://127.0.0.1:PORT/mcp. Like the reference servers
   * (server-everything, the SDK's older examples) it answers an unknown session id with
   * 400 "Bad Request: No valid session ID provided".
   */
  readonly url: string;
  /** The same server at /spec/mcp, answering an unknown session id with 404 as the MCP spec says. */
  readonly specUrl: string;
  readonly events: FakeMcpEvent[];
  /** Headers of every request, to check configured headers arrive. */
  readonly headers: IncomingMessage['headers'][];
  /** Requests refused for an unknown session, oldest first. */
  readonly refused: RefusedRequest[];
  /** How many sessions were opened (one per `initialize`). */
  sessionsOpened(): number;
  /** Adds an `extra` tool named `name` to every session (connected clients get notifications/tools/list_changed). */
  addTool(name: string): void;
  /** Stops and starts again on the same port, as a restarted server would: connections drop and every session is forgotten. */
  restart(): Promise<void>;
  /** Stops as a crashed server would: connections drop mid-answer, sessions are forgotten, the port refuses connections. */
  kill(): Promise<void>;
  /** Starts a killed server again on its port, knowing no session. */
  revive(): Promise<void>;
  close(): Promise<void>;
}

interface Session {
  server: McpServer;
  transport: StreamableHTTPServerTransport;
}

const SPEC_PATH = '/spec/mcp';

/** The fake MCP server over Streamable HTTP on 127.0.0.1, in this process, one McpServer per session. */
export async function startFakeMcpHttp(): Promise<FakeMcpHttp> {
  const events: FakeMcpEvent[] = [];
  const headers: IncomingMessage['headers'][] = [];
  const refused: RefusedRequest[] = [];
  const extraTools: string[] = [];
  const sessions = new Map<string, Session>();
  const sockets = new Set<Socket>();
  let opened = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    headers.push(req.headers);
    const body: unknown = req.method === 'POST' ? JSON.parse(await readText(req)) : undefined;
    const id = req.headers['mcp-session-id'];
    const session = typeof id === 'string' ? sessions.get(id) : undefined;
    if (session) return session.transport.handleRequest(req, res, body);
    if (id) return refuse(req, res, body);
    const server = buildFakeMcpServer({ record: (e) => events.push(e) });
    for (const name of extraTools) addExtra(server, name);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (sid) => {
        opened++;
        sessions.set(sid, { server, transport });
      },
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  function refuse(req: IncomingMessage, res: ServerResponse, body: unknown): void {
    const status = req.url === SPEC_PATH ? 404 : 400;
    const method = req.method === 'POST' ? rpcMethod(body) : (req.method ?? '?');
    refused.push({ status, method });
    const message = status === 404 ? 'Session not found' : 'Bad Request: No valid session ID provided';
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: status === 404 ? -32001 : -32000, message }, id: null }));
  }

  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  http.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // Rejects rather than hangs if the port is taken, e.g. by someone else between a restart's stop and start.
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, '127.0.0.1', () => {
        http.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const { port } = http.address() as AddressInfo;

  const stop = async () => {
    const all = [...sessions.values()];
    sessions.clear();
    await Promise.all(all.map((s) => s.server.close()));
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    specUrl: `http://127.0.0.1:${port}${SPEC_PATH}`,
    events,
    headers,
    refused,
    sessionsOpened: () => opened,
    addTool: (name) => {
      extraTools.push(name);
      for (const s of sessions.values()) addExtra(s.server, name);
    },
    restart: async () => {
      await stop();
      await listen(port);
    },
    kill: stop,
    revive: () => listen(port),
    close: stop,
  };
}

function rpcMethod(body: unknown): string {
  const first: unknown = Array.isArray(body) ? body[0] : body;
  return first && typeof first === 'object' && 'method' in first && typeof first.method === 'string' ? first.method : '?';
}

function addExtra(server: McpServer, name: string): void {
  server.registerTool(name, { description: `A tool added later: ${name}.`, inputSchema: {} }, async () => ({
    content: [{ type: 'text', text: `${name} ran` }],
  }));
}
