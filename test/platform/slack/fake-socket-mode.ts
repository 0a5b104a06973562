/**
 * Slack's Socket Mode side for tests, in front of the fake Slack: `apps.connections.open`
 * answers with a WebSocket URL on this server, every other Web API call is passed on to
 * the fake Slack (so it is recorded there), and the WebSocket sends `hello` and then the
 * envelopes a test pushes, resolving with the bot's ack.
 * Protocol: https://docs.slack.dev/apis/events-api/using-socket-mode
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocket, WebSocketServer } from 'ws';
import { readText } from '../../fakes/read-body';

/** The bot's ack of one envelope, and how long it took. */
export interface SocketAck {
  readonly payload: unknown;
  readonly ms: number;
}

/** An envelope sent, and its ack once the bot sends one. */
export interface SocketDelivery {
  readonly envelopeId: string;
  /** Resolves with the ack; never rejects (a bot may never ack). */
  readonly ack: Promise<SocketAck>;
  /** Whether the ack has arrived. */
  acked(): boolean;
}

export interface FakeSocketMode {
  /** Pass as SLACK_API_URL. */
  readonly apiUrl: string;
  /** The app tokens apps.connections.open was called with. */
  readonly appTokens: string[];
  /** Resolves once a bot is connected and has been sent `hello`. */
  connected(): Promise<void>;
  /** Sends an envelope (`events_api`, `slash_commands` or `interactive`) and resolves with the ack. */
  send(type: string, payload: object, timeoutMs?: number): Promise<SocketAck>;
  /**
   * Sends an envelope without waiting for its ack; `retryAttempt` (default 0) is what Slack
   * puts in an envelope it sends again because the first went unacknowledged.
   */
  deliver(type: string, payload: object, retryAttempt?: number): SocketDelivery;
  close(): Promise<void>;
}

/** Starts the Socket Mode front on 127.0.0.1, passing Web API calls on to `webApiUrl` (the fake Slack's apiUrl). */
export async function startFakeSocketMode(webApiUrl: string): Promise<FakeSocketMode> {
  const appTokens: string[] = [];
  const server = createServer((req, res) => {
    void route(req, res).catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  const sockets = new WebSocketServer({ server, path: '/link' });
  let socket: WebSocket | null = null;
  let onConnected: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const waiting = new Map<string, (payload: unknown) => void>();
  sockets.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => {
      const ack = JSON.parse(String(data)) as { envelope_id: string; payload?: unknown };
      waiting.get(ack.envelope_id)?.(ack.payload);
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A_APP' } }));
    onConnected();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readText(req);
    if (req.url === '/api/apps.connections.open') {
      appTokens.push(String(req.headers.authorization).replace('Bearer ', ''));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, url: `${base.replace('http', 'ws')}/link` }));
      return;
    }
    const headers = { 'content-type': String(req.headers['content-type']), authorization: String(req.headers.authorization) };
    const upstream = await fetch(new URL(req.url!.replace(/^\/api\//, ''), webApiUrl), { method: 'POST', headers, body });
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(await upstream.text());
  }

  function deliver(type: string, payload: object, retryAttempt = 0): SocketDelivery {
    const envelopeId = randomUUID();
    const started = performance.now();
    let received = false;
    const ack = new Promise<SocketAck>((resolve) => {
      waiting.set(envelopeId, (ackPayload) => {
        received = true;
        waiting.delete(envelopeId);
        resolve({ payload: ackPayload, ms: performance.now() - started });
      });
    });
    const envelope = { envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: retryAttempt, retry_reason: retryAttempt ? 'timeout' : '' };
    socket!.send(JSON.stringify(envelope));
    return { envelopeId, ack, acked: () => received };
  }

  return {
    apiUrl: `${base}/api/`,
    appTokens,
    connected: () => connected,
    send: (type, payload, timeoutMs = 5000) => {
      const { ack } = deliver(type, payload, 0);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no ack for ${type} envelope within ${timeoutMs} ms`)), timeoutMs)));
      return Promise.race([ack, timeout]).finally(() => clearTimeout(timer));
    },
    deliver,
    close: async () => {
      // A clean close handshake: a bot left waiting for the close frame keeps a 30 s timer alive.
      await Promise.all([...sockets.clients].map(closeGracefully));
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function closeGracefully(client: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (client.readyState === WebSocket.CLOSED) return resolve();
    const timer = setTimeout(() => client.terminate(), 1000);
    client.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    client.close(1000);
  });
}
