/**
 * A fake Discord for tests: REST under /api/v10 and a JSON gateway on one 127.0.0.1 port,
 * good enough for a real discord.js Client (`new Client({ rest: { api: fake.apiUrl } })`).
 * It records every REST call, checks message limits like Discord, and sends realistic
 * dispatches (messages, button clicks, modal submissions, slash commands) on demand.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIApplicationCommand,
  APIChatInputApplicationCommandInteraction,
  APIMessage,
  APIMessageComponentButtonInteraction,
  APIModalSubmitInteraction,
} from 'discord.js';
import { CallLog, type CallMatcher, type HttpMethod, type RecordedCall, type ScriptedFailure } from './discord/call-log';
import {
  EventSender,
  type ButtonInteractionOptions,
  type CommandInteractionOptions,
  type MessageCreateOptions,
  type ModalSubmitOptions,
  type SentInteraction,
} from './discord/events';
import { FakeGateway, type GatewayIdentify } from './discord/gateway-server';
import type { FakeDiscordOptions } from './discord/options';
import { appRoutes } from './discord/rest-app';
import { channelRoutes } from './discord/rest-channels';
import type { RestContext } from './discord/rest-context';
import { interactionRoutes } from './discord/rest-interactions';
import { API_PREFIX, restListener } from './discord/rest-server';
import { FakeDiscordState } from './discord/state';
import { FileHost } from './file-host';
import { attachFile, type AttachFileInput, type PostedDiscordFile } from './discord/posted-files';

export type { CallMatcher, HttpMethod, RecordedCall, RecordedFile, ScriptedFailure } from './discord/call-log';
export type {
  ButtonInteractionOptions,
  CommandInteractionOptions,
  EventPlace,
  FakeUserInput,
  MessageCreateOptions,
  ModalSubmitOptions,
  SentInteraction,
} from './discord/events';
export type { GatewayIdentify } from './discord/gateway-server';
export type { AttachFileInput, PostedDiscordFile } from './discord/posted-files';
export { DISCORD_LIMITS } from './discord/limits-checks';
export {
  DEFAULT_BOT_PERMISSIONS,
  DEFAULT_EVERYONE_PERMISSIONS,
  FAKE_DISCORD_IDS,
  defaultGuild,
  type FakeChannelSpec,
  type FakeDiscordOptions,
  type FakeGuildSpec,
  type FakeMemberSpec,
  type FakeRoleSpec,
  type FakeUserSpec,
} from './discord/options';
export { FakeRoute, type FakeRouteTemplate } from './discord/routes';

/** A running fake Discord. Destroy your discord.js clients before `close()`, or they try to reconnect. */
export interface FakeDiscord {
  /** Pass as `rest: { api }`: http://127.0.0.1:PORT/api (discord.js appends /v10). */
  readonly apiUrl: string;
  /** ws://127.0.0.1:PORT, as GET /gateway/bot reports it. */
  readonly gatewayUrl: string;
  readonly port: number;
  readonly botId: string;
  readonly applicationId: string;
  /** Every REST call so far, oldest first. */
  readonly calls: readonly RecordedCall[];
  /** Every IDENTIFY received, e.g. to check intents. */
  readonly identifies: readonly GatewayIdentify[];
  /** Calls to one method and route template (see `FakeRoute`), with the body typed as the caller says. */
  callsTo<TBody = unknown>(method: HttpMethod, route: string): RecordedCall<TBody>[];
  /** Resolves with all matching calls once there are `count` (default 1); rejects after `timeoutMs` (default 5000) listing every call seen. */
  waitForCalls<TBody = unknown>(matcher: CallMatcher, count?: number, timeoutMs?: number): Promise<RecordedCall<TBody>[]>;
  /** Makes the next matching request(s) fail: 429 with Discord's body and headers, or any other status. */
  failNext(matcher: CallMatcher, failure: ScriptedFailure): void;
  /** Forgets recorded calls and pending failures (not messages or interactions). */
  clearCalls(): void;
  /** Sends a raw dispatch to every connected client (message events filtered by intents); throws when none is connected. */
  dispatch(t: string, d: unknown): void;
  /** Hosts a file a person attaches (the CDN's path, on this fake); its `attachment` goes in messageCreate's `attachments`. */
  attachFile(input: Omit<AttachFileInput, 'id'>): PostedDiscordFile;
  /** Dispatches a MESSAGE_CREATE from a user; returns the payload sent. */
  messageCreate(options: MessageCreateOptions): APIMessage;
  /** Dispatches a button click (INTERACTION_CREATE type 3); the id/token name its callback route. */
  buttonInteraction(options: ButtonInteractionOptions): SentInteraction<APIMessageComponentButtonInteraction>;
  /** Dispatches a modal submission (INTERACTION_CREATE type 5), carrying the message whose button opened it. */
  modalSubmitInteraction(options: ModalSubmitOptions): SentInteraction<APIModalSubmitInteraction>;
  /** The modal an interaction was answered with (callback type 9), as the app sent it; undefined when it showed none. */
  shownModal(interactionId: string): Record<string, unknown> | undefined;
  /** Dispatches a chat-input command (INTERACTION_CREATE type 2). */
  commandInteraction(options: CommandInteractionOptions): SentInteraction<APIChatInputApplicationCommandInteraction>;
  /** A message as it stands now (after edits), or undefined once deleted or never seen. */
  message(messageId: string): APIMessage | undefined;
  /** The messages in a channel, oldest first. */
  messagesIn(channelId: string): APIMessage[];
  /** The commands registered for a guild, or globally without a guild id. */
  commands(guildId?: string): APIApplicationCommand[];
  /** Stops the gateway and the HTTP server; pending waitForCalls reject. */
  close(): Promise<void>;
}

/** Starts a fake Discord on 127.0.0.1 and a random port. See `FakeDiscordOptions` for the defaults. */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const state = new FakeDiscordState(options);
  const log = new CallLog();
  let gatewayUrl = '';
  const echoOwnMessages = options.echoOwnMessages ?? true;
  const server = createServer();
  const gateway = new FakeGateway(state, server, () => gatewayUrl, options.heartbeatIntervalMs ?? 45000);
  const ctx: RestContext = {
    state,
    echo: (t, d) => {
      if (echoOwnMessages) gateway.dispatch(t, d);
    },
    gatewayUrl: () => gatewayUrl,
    interactionDeadlineMs: options.interactionDeadlineMs ?? 3000,
  };
  const files = new FileHost(() => `http://127.0.0.1:${port}`);
  const rest = restListener([...appRoutes(ctx), ...channelRoutes(ctx), ...interactionRoutes(ctx)], log);
  server.on('request', (req, res) => {
    if (!files.serve(req, res)) rest(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  gatewayUrl = `ws://127.0.0.1:${port}`;
  const events = new EventSender(state, gateway);
  const byId = (a: APIMessage, b: APIMessage) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1);

  return {
    apiUrl: `http://127.0.0.1:${port}${API_PREFIX.replace(/\/v10$/, '')}`,
    gatewayUrl,
    port,
    botId: state.bot.id,
    applicationId: state.applicationId,
    calls: log.calls,
    identifies: gateway.identifies,
    callsTo: (method, route) => log.callsTo(method, route),
    waitForCalls: (matcher, count = 1, timeoutMs = 5000) => log.waitFor(matcher, count, timeoutMs),
    failNext: (matcher, failure) => log.failNext(matcher, failure),
    clearCalls: () => log.clear(),
    dispatch: (t, d) => void events.dispatch(t, d),
    attachFile: (input) => attachFile(files, { ...input, id: state.ids.next() }),
    messageCreate: (opts) => events.messageCreate(opts),
    buttonInteraction: (opts) => events.buttonInteraction(opts),
    modalSubmitInteraction: (opts) => events.modalSubmitInteraction(opts),
    shownModal: (interactionId) => state.interactions.get(interactionId)?.modal,
    commandInteraction: (opts) => events.commandInteraction(opts),
    message: (id) => state.messages.get(id),
    messagesIn: (channelId) => [...state.messages.values()].filter((m) => m.channel_id === channelId).sort(byId),
    commands: (guildId) => state.commands.get(guildId ?? 'global') ?? [],
    close: async () => {
      log.abandon('closed before the awaited calls arrived');
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
