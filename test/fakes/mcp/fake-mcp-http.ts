import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { buildFakeMcpServer, type FakeMcpEvent } from './fake-mcp-tools';

export interface FakeMcpHttp {
  /** The Streamable HTTP endpoint, e.g. http://127.0.0.1:PORT/mcp. */
  readonly url: string;
  readonly events: FakeMcpEvent[];
  /** Headers of every request, to check configured headers arrive. */
  readonly headers: IncomingMessage['headers'][];
  /** Adds an `extra` tool named `name` to every session (connected clients get notifications/tools/list_changed). */
  addTool(name: string): void;
  /** Forgets every session, as a restarted server would: old session ids get 404. */
  forgetSessions(): Promise<void>;
  close(): Promise<void>;
}

interface Session {
  server: McpServer;
  transport: StreamableHTTPServerTransport;
}

/** The fake MCP server over Streamable HTTP on 127.0.0.1, in this process, one McpServer per session. */
export async function startFakeMcpHttp(): Promise<FakeMcpHttp> {
  const events: FakeMcpEvent[] = [];
  const headers: IncomingMessage['headers'][] = [];
  const extraTools: string[] = [];
  const sessions = new Map<string, Session>();
  const sockets = new Set<Socket>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    headers.push(req.headers);
    const id = req.headers['mcp-session-id'];
    const session = typeof id === 'string' ? sessions.get(id) : undefined;
    if (session) return session.transport.handleRequest(req, res);
    if (id) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
      return;
    }
    const server = buildFakeMcpServer({ record: (e) => events.push(e) });
    for (const name of extraTools) addExtra(server, name);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (sid) => void sessions.set(sid, { server, transport }),
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
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
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;

  const forgetSessions = async () => {
    const all = [...sessions.values()];
    sessions.clear();
    await Promise.all(all.map((s) => s.server.close()));
  };
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    events,
    headers,
    addTool: (name) => {
      extraTools.push(name);
      for (const s of sessions.values()) addExtra(s.server, name);
    },
    forgetSessions,
    close: async () => {
      await forgetSessions();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function addExtra(server: McpServer, name: string): void {
  server.registerTool(name, { description: `A tool added later: ${name}.`, inputSchema: {} }, async () => ({
    content: [{ type: 'text', text: `${name} ran` }],
  }));
}
