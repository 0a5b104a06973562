import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { GatewayCloseCodes, GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes } from 'discord.js';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { apiGuild, readyPayload, type JsonObject } from './payloads';
import type { FakeDiscordState } from './state';

/** What a client sent in IDENTIFY, kept so tests can assert intents. */
export interface GatewayIdentify {
  token: string;
  intents: number;
  shard: unknown;
  compress: unknown;
  at: number;
}

interface Session {
  id: string;
  socket: WebSocket;
  seq: number;
  intents: number;
}

/** Gap between READY and the GUILD_CREATEs: @discordjs/ws handles READY with one more await than other dispatches, so frames read in one chunk could otherwise overtake it and leave discord.js waiting 15 s for "missing" guilds. */
const GUILD_CREATE_DELAY_MS = 10;

/**
 * The gateway: JSON frames, no compression. HELLO, IDENTIFY -> READY + GUILD_CREATE,
 * heartbeats, a minimal RESUME, and dispatches filtered by the session's intents like Discord does.
 */
export class FakeGateway {
  readonly identifies: GatewayIdentify[] = [];
  private readonly server: WebSocketServer;
  private readonly sessions = new Map<string, Session>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly state: FakeDiscordState,
    httpServer: Server,
    private readonly url: () => string,
    private readonly heartbeatIntervalMs: number,
  ) {
    this.server = new WebSocketServer({ server: httpServer });
    this.server.on('connection', (socket, request) => this.onConnection(socket, request));
    this.server.on('error', () => undefined);
  }

  /** Sessions that identified or resumed and are still connected. */
  get connectedSessions(): number {
    return [...this.sessions.values()].filter((s) => s.socket.readyState === WebSocket.OPEN).length;
  }

  /** Sends a dispatch to every connected session; returns how many received it (after intent filtering). */
  dispatch(t: string, d: unknown): number {
    let reached = 0;
    for (const session of this.sessions.values()) {
      if (session.socket.readyState !== WebSocket.OPEN) continue;
      const filtered = filterForIntents(t, d, session.intents, this.state.bot.id);
      if (filtered === undefined) continue;
      this.sendDispatch(session, t, filtered);
      reached += 1;
    }
    return reached;
  }

  close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const client of this.server.clients) client.terminate();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private onConnection(socket: WebSocket, request: IncomingMessage): void {
    socket.on('error', () => undefined);
    const query = new URL(request.url ?? '/', 'ws://fake').searchParams;
    if (query.get('v') !== '10' || (query.get('encoding') ?? 'json') !== 'json' || query.has('compress')) {
      // Unrecoverable for discord.js: it stops instead of reconnecting in a loop.
      socket.close(GatewayCloseCodes.InvalidAPIVersion, 'fake Discord speaks v10 JSON without compression (is zlib-sync installed?)');
      return;
    }
    let session: Session | undefined;
    socket.on('message', (data) => {
      const frame = parseFrame(data);
      if (!frame) return;
      session = this.onFrame(socket, frame, session);
    });
    this.send(socket, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.heartbeatIntervalMs, _trace: ['fake-discord'] }, s: null, t: null });
  }

  private onFrame(socket: WebSocket, frame: { op: number; d: unknown }, session: Session | undefined): Session | undefined {
    const d = (frame.d ?? {}) as JsonObject;
    switch (frame.op) {
      case GatewayOpcodes.Heartbeat:
        this.send(socket, { op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null });
        return session;
      case GatewayOpcodes.Identify:
        if (session) {
          socket.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
          return session;
        }
        return this.identify(socket, d);
      case GatewayOpcodes.Resume:
        return this.resume(socket, d);
      default:
        if (!session) socket.close(GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
        // Presence updates, member requests and the like are accepted and ignored.
        return session;
    }
  }

  private identify(socket: WebSocket, d: JsonObject): Session {
    const intents = Number(d.intents ?? 0);
    this.identifies.push({ token: String(d.token), intents, shard: d.shard, compress: d.compress, at: Date.now() });
    const session: Session = { id: randomBytes(16).toString('hex'), socket, seq: 0, intents };
    this.sessions.set(session.id, session);
    this.sendDispatch(session, GatewayDispatchEvents.Ready, readyPayload(this.state, session.id, this.url()));
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      for (const guildId of this.state.guilds.keys()) {
        if (socket.readyState !== WebSocket.OPEN) return;
        this.sendDispatch(session, GatewayDispatchEvents.GuildCreate, apiGuild(this.state, guildId, true));
      }
    }, GUILD_CREATE_DELAY_MS);
    this.timers.add(timer);
    return session;
  }

  /** Resumes a known session (no replay of missed events); otherwise asks the client to identify anew. */
  private resume(socket: WebSocket, d: JsonObject): Session | undefined {
    const known = this.sessions.get(String(d.session_id));
    if (!known) {
      this.send(socket, { op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
      return undefined;
    }
    known.socket = socket;
    this.sendDispatch(known, GatewayDispatchEvents.Resumed, { _trace: ['fake-discord'] });
    return known;
  }

  private sendDispatch(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    this.send(session.socket, { op: GatewayOpcodes.Dispatch, t, s: session.seq, d });
  }

  private send(socket: WebSocket, payload: object): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(payload));
  }
}

function parseFrame(data: RawData): { op: number; d: unknown } | undefined {
  try {
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    const frame = JSON.parse(text) as { op?: unknown; d?: unknown };
    return typeof frame.op === 'number' ? { op: frame.op, d: frame.d } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Discord's intent rules for message events: no GuildMessages / DirectMessages intent, no event;
 * no MessageContent intent, empty content, embeds, attachments and components unless the
 * message is a DM, is the bot's own, or mentions the bot.
 * https://discord.com/developers/docs/events/gateway#message-content-intent
 */
export function filterForIntents(t: string, d: unknown, intents: number, botId: string): unknown {
  if (!t.startsWith('MESSAGE_') || !d || typeof d !== 'object') return d;
  const message = d as JsonObject;
  const inGuild = typeof message.guild_id === 'string';
  const needed = inGuild ? GatewayIntentBits.GuildMessages : GatewayIntentBits.DirectMessages;
  if (!(intents & needed)) return undefined;
  if (t !== GatewayDispatchEvents.MessageCreate && t !== GatewayDispatchEvents.MessageUpdate) return d;
  if (intents & GatewayIntentBits.MessageContent || !inGuild) return d;
  const author = message.author as { id?: string } | undefined;
  const mentions = (message.mentions ?? []) as { id?: string }[];
  if (author?.id === botId || mentions.some((user) => user.id === botId)) return d;
  return { ...message, content: '', embeds: [], attachments: [], components: [] };
}
