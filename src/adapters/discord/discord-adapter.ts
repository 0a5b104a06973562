import { Events, Routes, Status, type APIMessage, type Client, type Interaction, type Message, type RawFile } from 'discord.js';
import { text, type FeedbackMark, type OutboundMessage } from '../../core/model/card';
import type { ChannelMessage, ChannelQuery } from '../../core/model/channel-history';
import { answerFile, type OutboundFile } from '../../core/model/outbound-file';
import type { ConversationRef, ThreadRef } from '../../core/model/conversation';
import type { UserRef } from '../../core/model/inbox';
import type { Attachment } from '../../core/model/attachment';
import type { AnswerStream, ChatPlatform, FetchedFile, PostedMessage, UserAuthority } from '../../core/ports/chat-platform';
import type { PlatformDirectory } from '../../core/ports/platforms';
import type { Core } from '../../core/ports/inbound';
import { NO_METRICS, type Metrics } from '../../core/ports/metrics';
import type { Logger } from '../../logging/logger';
import { fetchPlatformFile, originsOf } from '../../net/platform-file';
import { openDirectChannel } from './direct-messages';
import { discordAnswerStream } from './discord-answer-stream';
import { createDiscordClient } from './discord-client';
import { DISCORD_FILE_ORIGINS, inboundMessage, type InboundMessage } from './inbound-message';
import { logIn } from './log-in';
import { handleFormSubmit } from './form-interactions';
import { handleButtonClick, handleSlashCommand } from './interactions';
import { memberAuthority } from './member-authority';
import { roleMembers } from './role-members';
import { discordCall } from './platform-errors';
import { registerSlashCommands } from './register-commands';
import { NO_PINGS, renderMessage, renderReplacement, tooLongForOneMessage, type DiscordContent } from './render-message';
import { readDiscordChannel } from './discord-history';
import { ReplyTargets, type ReplyTarget } from './reply-target';
import { StoreRetries, type StoreRetryOptions } from './store-retries';
import { DM_WORKSPACE, threadRefOf } from './thread-refs';

/** What the adapter needs from the configuration (`config.discord`). */
export interface DiscordAdapterOptions {
  readonly token: string;
  readonly appId: string;
  /** Register slash commands in this guild only (instant); unset registers them globally. */
  readonly guildId?: string;
  /** REST base override, e.g. http://127.0.0.1:PORT/api; unset is Discord. */
  readonly apiUrl?: string;
  /** Register slash commands on start. Default true; under sharding only shard 0 does. */
  readonly registerCommands?: boolean;
  /** How long to wait for the gateway's ready. Default 60 s. */
  readonly readyTimeoutMs?: number;
  /** How a message whose store failed is tried again; defaults in store-retries.ts. */
  readonly storeRetry?: StoreRetryOptions;
  /** Where acks are timed; default NO_METRICS. */
  readonly metrics?: Metrics;
}

/** Said in the thread of a message that could not be stored after all its tries. */
export const NOT_TAKEN_NOTICE = 'I could not take your message: my database is not answering, so I have not acted on it. Please send it again in a few minutes.';

/**
 * Switchboard on Discord: the chat-platform port over a discord.js client. Inbound, it
 * takes mentions, DMs and thread follow-ups (inbound-message.ts), button clicks and slash
 * commands (interactions.ts) and forms (form-interactions.ts), and hands them to the core.
 * Outbound, it posts and edits through REST routes (never the channel cache), so any shard
 * can answer any conversation.
 */
export class DiscordAdapter implements ChatPlatform {
  readonly platform = 'discord' as const;
  /** A note outside an interaction is a thread message addressed to the user: everyone there sees it. */
  readonly notesArePrivate = false;
  readonly client: Client;
  private readonly targets: ReplyTargets;
  private readonly log: Logger;
  private readonly inFlight = new Set<Promise<void>>();
  private retries: StoreRetries<InboundMessage> | null = null;
  private stopping = false;
  private readonly metrics: Metrics;

  constructor(
    private readonly options: DiscordAdapterOptions,
    log: Logger,
  ) {
    this.client = createDiscordClient(options);
    this.targets = new ReplyTargets(this.client);
    this.log = log.child({ platform: 'discord' });
    this.metrics = options.metrics ?? NO_METRICS;
  }

  /** Logs in, waits until the guilds are known, then registers the slash commands. */
  async start(core: Core): Promise<void> {
    const { client, log } = this;
    this.retries = new StoreRetries((inbound) => this.take(core, inbound), (inbound) => this.tellNotTaken(inbound), log.child({ module: 'store-retries' }), this.options.storeRetry);
    client.on(Events.MessageCreate, (message) => this.track(() => this.onMessage(core, message)));
    client.on(Events.InteractionCreate, (interaction) => this.track(() => this.onInteraction(core, interaction)));
    client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
    client.on(Events.Warn, (warning) => log.warn({ warning }, 'discord client warning'));
    await logIn(client, this.options.token, this.options.readyTimeoutMs ?? 60_000);
    const shardIds = client.shard?.ids ?? null;
    if ((this.options.registerCommands ?? true) && (shardIds === null || shardIds.includes(0))) {
      await registerSlashCommands(client.rest, { appId: this.options.appId, guildId: this.options.guildId });
    }
    log.info({ botId: client.user?.id, guilds: client.guilds.cache.size, shards: shardIds }, 'discord adapter started');
  }

  /** Whether the gateway is ready on every shard this process runs (false while one reconnects). */
  isConnected(): boolean {
    return !this.stopping && this.client.isReady() && this.client.ws.shards.every((shard) => shard.status === Status.Ready);
  }

  /** Stops taking events, gives up messages waiting for another try, lets handlers under way finish, then closes the gateway. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.retries?.stop();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.client.destroy();
  }

  /** One message; a text too long for one goes as a file holding all of it, in a message of one line. */
  async post(where: ThreadRef, message: OutboundMessage): Promise<PostedMessage> {
    if (tooLongForOneMessage(message)) return this.uploadFile(where, answerFile(message.text), message.feedback);
    return { where, messageId: await this.send(where, renderMessage(message)) };
  }

  /** One message: the comment, with the file attached (multipart) and 👍/👎 when `feedback` is given. */
  async uploadFile(where: ThreadRef, file: OutboundFile, feedback?: FeedbackMark): Promise<PostedMessage> {
    const body = renderMessage({ ...text(file.comment), ...(feedback && { feedback }) });
    return { where, messageId: await this.send(where, body, [attachment(file)]) };
  }

  /** Messages from the channel's history; another channel only in this guild, and only when the bot and the requester may read it. */
  readChannel(where: ConversationRef, query: ChannelQuery): Promise<readonly ChannelMessage[]> {
    return readDiscordChannel(this.client, where, query);
  }

  /** The channel itself, replying to nothing (thread-refs.ts: `thread === channel`); answers to the message posted there reply to it. */
  channelLevel(conversation: ConversationRef): ThreadRef {
    return { ...conversation, thread: conversation.channel };
  }

  async update(posted: PostedMessage, message: OutboundMessage): Promise<void> {
    await this.edit(posted.where, posted.messageId, renderReplacement(message));
  }

  /** One message edited as the answer is written; past 2,000 characters it points to a file holding the whole answer. */
  streamAnswer(where: ThreadRef): AnswerStream {
    return discordAnswerStream(where, {
      post: (body, file) => this.send(where, body, file ? [attachment(file)] : []),
      edit: (messageId, body) => this.edit(where, messageId, body),
    });
  }

  /** "Switchboard is typing…": Discord shows it for 10 s or until the bot's next message. */
  async showWorking(where: ThreadRef): Promise<void> {
    const { channelId } = await this.targets.resolve(where);
    await discordCall('show typing', () => this.client.rest.post(Routes.channelTyping(channelId)), { channelId });
  }

  /** Discord has no ephemeral messages outside interactions: the note goes to the thread, addressed to the user. */
  async ephemeral(where: ThreadRef, userId: string, message: OutboundMessage): Promise<void> {
    const mention = `<@${userId}>`;
    const addressed = message.card ? message : { ...message, text: `${mention} ${message.text}` };
    const body = renderMessage(addressed);
    await this.send(where, { ...body, content: message.card ? mention : body.content, allowed_mentions: { ...NO_PINGS, users: [userId] } });
  }

  async directMessage(to: UserRef, message: OutboundMessage): Promise<boolean> {
    const channelId = await openDirectChannel(this.client, to.userId);
    if (!channelId) return false;
    await this.send(threadRefOf({ guildId: null, channelId, threadParentId: null }, null), renderMessage(message));
    return true;
  }

  /** Discord's message link; built, not asked for (the channel of a thread reference may be looked up once). */
  async permalink(posted: PostedMessage): Promise<string> {
    const { channelId } = await this.targets.resolve(posted.where);
    const guild = posted.where.workspace === DM_WORKSPACE ? '@me' : posted.where.workspace;
    return `https://discord.com/channels/${guild}/${channelId}/${posted.messageId}`;
  }

  /** A file people posted, from Discord's CDN (or the configured REST base's own host); its URL carries its own signature. */
  fetchFile(file: Attachment, maxBytes: number, signal?: AbortSignal): Promise<FetchedFile> {
    return fetchPlatformFile(file, { origins: [...DISCORD_FILE_ORIGINS, ...originsOf(this.options.apiUrl)] }, maxBytes, signal);
  }

  validate(message: OutboundMessage): void {
    renderMessage(message);
  }

  authority(where: ConversationRef, userId: string, candidateGroups: readonly string[]): Promise<UserAuthority> {
    return memberAuthority(this.client, where, userId, candidateGroups);
  }

  /** A role's members from the member cache (no GuildMembers intent: see role-members.ts). */
  groupMembers(where: ConversationRef, groupId: string): Promise<readonly string[] | null> {
    return Promise.resolve(roleMembers(this.client, where, groupId));
  }

  /** A channel message edit, not the interaction webhook: it works past the 15-minute token. */
  private async edit(where: ThreadRef, messageId: string, body: DiscordContent): Promise<void> {
    const { channelId } = await this.targets.resolve(where);
    await discordCall('edit message', () => this.client.rest.patch(Routes.channelMessage(channelId, messageId), { body }), { channelId, messageId });
  }

  /** Posts one message, with `files` attached, replying to the thread's root when it has one; returns its id. */
  private async send(where: ThreadRef, body: DiscordContent, files: readonly RawFile[] = []): Promise<string> {
    const target = await this.targets.resolve(where);
    const post = () => this.client.rest.post(Routes.channelMessages(target.channelId), { body: asReply(body, target), files: [...files] });
    const sent = (await discordCall('post message', post, { channelId: target.channelId })) as APIMessage;
    return sent.id;
  }

  /**
   * Stores a message the bot takes, then waits for its turn. Discord will not deliver it
   * again, so one that could not be stored goes to the retry queue.
   */
  private async onMessage(core: Core, message: Message): Promise<void> {
    const botId = this.client.user?.id;
    const inbound = botId ? inboundMessage(message, botId) : null;
    if (!inbound) return;
    const arrived = Date.now();
    try {
      await this.take(core, inbound);
      // The gateway wants no ack: a message counts as acknowledged once stored, as on Slack.
      this.metrics.ackObserved({ platform: 'discord', kind: 'event', ms: Date.now() - arrived });
    } catch (err) {
      this.log.warn({ err, messageId: inbound.incoming.messageId }, 'message not stored; it will be tried again');
      this.retries!.add(inbound.incoming.messageId, inbound);
    }
  }

  /** Stores the message and keeps its turn in flight (stop() waits for it); rejects when it could not be stored. */
  private async take(core: Core, inbound: InboundMessage): Promise<void> {
    const accepted = await core.acceptMessage(inbound.incoming, { onlyKnownThread: inbound.onlyKnownThread });
    this.keep(accepted.turn);
  }

  /**
   * Tells the author, in the message's thread, that it was not taken. Not for a follow-up
   * without a mention: whether it was meant for the bot could not be checked, and every
   * thread's chatter would get the notice.
   */
  private async tellNotTaken(inbound: InboundMessage): Promise<void> {
    if (inbound.onlyKnownThread) return;
    const { where, author } = inbound.incoming;
    await this.ephemeral(where, author.id, text(NOT_TAKEN_NOTICE));
  }

  private async onInteraction(core: Core, interaction: Interaction): Promise<void> {
    if (interaction.isButton()) await handleButtonClick(interaction, core, this.log, this.metrics);
    else if (interaction.isModalSubmit()) await handleFormSubmit(interaction, core, this.log, this.metrics);
    else if (interaction.isChatInputCommand()) await handleSlashCommand(interaction, core, this.log, this.metrics);
  }

  /** Runs an event handler off the gateway's path, logging what escapes it; stop() waits for these. */
  private track(handle: () => Promise<void>): void {
    if (this.stopping) return;
    this.keep(handle().catch((err: unknown) => this.log.error({ err }, 'discord event handler failed')));
  }

  /** Work that stop() waits for; `work` never rejects. */
  private keep(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }
}

/**
 * Every message of a thread replies to its root, so a reply to any of them finds the
 * conversation again (inbound-message.ts), pinging the person asked. A deleted root must not
 * lose the answer, hence `fail_if_not_exists: false`.
 */
function asReply(body: DiscordContent, target: ReplyTarget): object {
  if (!target.replyTo) return body;
  return {
    ...body,
    message_reference: { message_id: target.replyTo, fail_if_not_exists: false },
    allowed_mentions: { ...body.allowed_mentions, replied_user: true },
  };
}

/** A file as discord.js sends it: a multipart part of the message. */
function attachment(file: OutboundFile): RawFile {
  return { name: file.name, data: Buffer.from(file.data), contentType: file.mimeType };
}

/** Builds the adapter, makes it the directory's Discord platform, and starts it. */
export async function startDiscordAdapter(input: {
  config: DiscordAdapterOptions;
  core: Core;
  platforms: PlatformDirectory;
  log: Logger;
}): Promise<DiscordAdapter> {
  const adapter = new DiscordAdapter(input.config, input.log);
  input.platforms.register(adapter);
  await adapter.start(input.core);
  return adapter;
}
