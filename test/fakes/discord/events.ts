import {
  ChannelType,
  ComponentType,
  GatewayDispatchEvents,
  InteractionType,
  ApplicationCommandType,
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandInteraction,
  type APIMessage,
  type APIMessageComponentButtonInteraction,
  type APIModalSubmitInteraction,
} from 'discord.js';
import { randomBytes } from 'node:crypto';
import type { FakeGateway } from './gateway-server';
import { gatewayMessage } from './messages';
import { FAKE_DISCORD_IDS, type FakeUserSpec } from './options';
import { apiChannel, apiMember, apiMessage, apiUser, mentionedUsers, type JsonObject } from './payloads';
import type { ChannelRecord, FakeDiscordState, InteractionRecord, UserRecord } from './state';

/** A user by id (a known one, or a new one with default fields) or by full spec. */
export type FakeUserInput = string | FakeUserSpec;

/** Where an event happens. Default: `FAKE_DISCORD_IDS.channel`, else the first guild's first text channel. `dm: true` uses the user's DM channel. */
export interface EventPlace {
  channelId?: string;
  guildId?: string;
  dm?: boolean;
}

export interface MessageCreateOptions extends EventPlace {
  content: string;
  /** Default: `FAKE_DISCORD_IDS.member`. */
  author?: FakeUserInput;
  /** Prefixes `<@bot>` when the content does not mention the bot yet. Default: false. */
  mentionsBot?: boolean;
  /** Default: a new snowflake. */
  messageId?: string;
  /** Posts in this thread under `channelId`; an unknown thread is created first (THREAD_CREATE). */
  threadId?: string;
  /** Makes the message a reply to this message id. */
  replyTo?: string;
  /** Files on the message (FakeDiscord.attachFile's `attachment`). */
  attachments?: APIMessage['attachments'];
}

export interface ButtonInteractionOptions extends EventPlace {
  customId: string;
  /** Default: `FAKE_DISCORD_IDS.member`. */
  user?: FakeUserInput;
  /** The clicked message: a stored message id, or fields over a bot message. Default: a new bot message holding just this button. */
  message?: string | Partial<APIMessage>;
}

export interface CommandInteractionOptions extends EventPlace {
  name: string;
  /** Raw option tree, e.g. [{ type: 1, name: 'forget', options: [{ type: 3, name: 'key', value: 'x' }] }]. */
  options?: APIApplicationCommandInteractionDataOption[];
  /** Default: `FAKE_DISCORD_IDS.member`. */
  user?: FakeUserInput;
}

export interface ModalSubmitOptions extends EventPlace {
  /** The custom_id of the modal that was shown. */
  customId: string;
  /** What the user typed, by text input custom_id. */
  values: Record<string, string>;
  /** The message whose button opened the modal: Discord sends it along. Unset for a modal opened by a command. */
  message?: string;
  /** Default: `FAKE_DISCORD_IDS.member`. */
  user?: FakeUserInput;
}

/** What a sent interaction is known by: the callback route uses `id` and `token`. */
export interface SentInteraction<TPayload> {
  id: string;
  token: string;
  applicationId: string;
  payload: TPayload;
}

/** Builds realistic dispatch payloads and sends them through the gateway. */
export class EventSender {
  constructor(
    private readonly state: FakeDiscordState,
    private readonly gateway: FakeGateway,
  ) {}

  /** Sends a raw dispatch; throws when no client is connected, since the event would vanish. */
  dispatch(t: string, d: unknown): number {
    if (this.gateway.connectedSessions === 0) {
      throw new Error(`fake Discord: cannot dispatch ${t}: no gateway session; wait for the client's clientReady event first`);
    }
    return this.gateway.dispatch(t, d);
  }

  messageCreate(options: MessageCreateOptions): APIMessage {
    const author = this.user(options.author);
    let channel = this.place(options, author);
    if (options.threadId) channel = this.ensureThread(channel, options.threadId, author);
    const mention = `<@${this.state.bot.id}>`;
    const content = options.mentionsBot && !options.content.includes(mention) ? `${mention} ${options.content}` : options.content;
    const replied = options.replyTo ? this.state.messages.get(options.replyTo) : undefined;
    const message = apiMessage({
      id: options.messageId ?? this.state.ids.next(),
      channelId: channel.id,
      author,
      content,
      mentions: mentionedUsers(this.state, content),
      attachments: options.attachments,
      messageReference: options.replyTo ? { message_id: options.replyTo, channel_id: channel.id, ...(channel.guildId ? { guild_id: channel.guildId } : {}) } : undefined,
    });
    if (replied) message.referenced_message = replied;
    this.state.messages.set(message.id, message);
    const payload = gatewayMessage(this.state, message);
    if (channel.guildId) payload.mentions = this.mentionsWithMembers(channel.guildId, message);
    this.dispatch(GatewayDispatchEvents.MessageCreate, payload);
    return payload as unknown as APIMessage;
  }

  buttonInteraction(options: ButtonInteractionOptions): SentInteraction<APIMessageComponentButtonInteraction> {
    const user = this.user(options.user);
    const channel = this.place(options, user);
    const message = this.clickedMessage(channel, options);
    const record = this.register('component', channel, user, message.id);
    const payload = {
      ...this.interactionBase(record, channel, user),
      type: InteractionType.MessageComponent,
      data: { custom_id: options.customId, component_type: ComponentType.Button },
      message,
    };
    this.dispatch(GatewayDispatchEvents.InteractionCreate, payload);
    return { id: record.id, token: record.token, applicationId: this.state.applicationId, payload: payload as unknown as APIMessageComponentButtonInteraction };
  }

  /** A MODAL_SUBMIT (type 5): the values come as labelled text inputs, as current clients send them. */
  modalSubmitInteraction(options: ModalSubmitOptions): SentInteraction<APIModalSubmitInteraction> {
    const user = this.user(options.user);
    const channel = this.place(options, user);
    const message = options.message === undefined ? undefined : this.state.messages.get(options.message);
    if (options.message !== undefined && !message) throw new Error(`fake Discord: modal submit from unknown message ${options.message}`);
    const record = this.register('modal', channel, user, message?.id);
    const components = Object.entries(options.values).map(([customId, value], i) => ({
      type: ComponentType.Label,
      id: 2 * i + 1,
      component: { type: ComponentType.TextInput, id: 2 * i + 2, custom_id: customId, value },
    }));
    const payload = {
      ...this.interactionBase(record, channel, user),
      type: InteractionType.ModalSubmit,
      data: { custom_id: options.customId, components },
      ...(message ? { message } : {}),
    };
    this.dispatch(GatewayDispatchEvents.InteractionCreate, payload);
    return { id: record.id, token: record.token, applicationId: this.state.applicationId, payload: payload as unknown as APIModalSubmitInteraction };
  }

  commandInteraction(options: CommandInteractionOptions): SentInteraction<APIChatInputApplicationCommandInteraction> {
    const user = this.user(options.user);
    const channel = this.place(options, user);
    const record = this.register('command', channel, user);
    const registered = (channel.guildId ? this.state.commands.get(channel.guildId) : undefined)?.find((c) => c.name === options.name);
    const command = registered ?? this.state.commands.get('global')?.find((c) => c.name === options.name);
    const payload = {
      ...this.interactionBase(record, channel, user),
      type: InteractionType.ApplicationCommand,
      data: {
        id: command?.id ?? this.state.ids.next(),
        name: options.name,
        type: ApplicationCommandType.ChatInput,
        options: options.options ?? [],
        ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
      },
    };
    this.dispatch(GatewayDispatchEvents.InteractionCreate, payload);
    return { id: record.id, token: record.token, applicationId: this.state.applicationId, payload: payload as unknown as APIChatInputApplicationCommandInteraction };
  }

  private user(input: FakeUserInput | undefined): UserRecord {
    if (input === undefined) return this.state.users.get(FAKE_DISCORD_IDS.member) ?? this.state.ensureUser({ id: FAKE_DISCORD_IDS.member, username: 'alice' });
    return this.state.ensureUser(typeof input === 'string' ? { id: input } : input);
  }

  /** Resolves the channel (and so the guild) an event happens in, and makes the user a member there. */
  private place(place: EventPlace, user: UserRecord): ChannelRecord {
    const { state } = this;
    if (place.dm) return state.dmChannelWith(user.id, place.channelId);
    let channel = place.channelId ? state.channels.get(place.channelId) : undefined;
    if (place.channelId && !channel) {
      if (place.guildId) throw new Error(`fake Discord: unknown channel ${place.channelId} in guild ${place.guildId}; declare it in options.guilds`);
      channel = state.dmChannelWith(user.id, place.channelId);
    }
    if (!channel) {
      const guildId = place.guildId ?? (state.guilds.has(FAKE_DISCORD_IDS.guild) ? FAKE_DISCORD_IDS.guild : [...state.guilds.keys()][0]);
      if (!guildId) throw new Error('fake Discord: the bot is in no guild; pass dm: true or a DM channelId');
      channel = state.channels.get(FAKE_DISCORD_IDS.channel);
      if (channel?.guildId !== guildId) channel = state.guildChannels(state.guild(guildId).id).find((c) => c.type === ChannelType.GuildText);
      if (!channel) throw new Error(`fake Discord: guild ${guildId} has no text channel; pass channelId`);
    }
    if (place.guildId && channel.guildId !== place.guildId) {
      throw new Error(`fake Discord: channel ${channel.id} is not in guild ${place.guildId}`);
    }
    if (channel.guildId) state.ensureMember(channel.guildId, user.id);
    return channel;
  }

  /** discord.js drops messages for channels it has not cached, so a new thread is announced first. */
  private ensureThread(parent: ChannelRecord, threadId: string, owner: UserRecord): ChannelRecord {
    const known = this.state.channels.get(threadId);
    if (known) return known;
    const thread = this.state.addThread(parent.id, threadId, `thread-${threadId.slice(-4)}`, owner.id);
    this.dispatch(GatewayDispatchEvents.ThreadCreate, { ...apiChannel(this.state, thread), newly_created: true });
    return thread;
  }

  private mentionsWithMembers(guildId: string, message: APIMessage): JsonObject[] {
    return message.mentions.map((user) => ({ ...user, member: apiMember(this.state, guildId, user.id, false) }));
  }

  private clickedMessage(channel: ChannelRecord, options: ButtonInteractionOptions): APIMessage {
    const { state } = this;
    if (typeof options.message === 'string') {
      const stored = state.messages.get(options.message);
      if (!stored) throw new Error(`fake Discord: buttonInteraction on unknown message ${options.message}`);
      return stored;
    }
    const defaults = apiMessage({
      id: state.ids.next(),
      channelId: channel.id,
      author: state.bot,
      content: '',
      components: [
        { type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: 1, label: 'Button', custom_id: options.customId }] },
      ],
    });
    const message = { ...defaults, ...options.message } as APIMessage;
    state.messages.set(message.id, message);
    return message;
  }

  private register(kind: InteractionRecord['kind'], channel: ChannelRecord, user: UserRecord, componentMessageId?: string): InteractionRecord {
    const id = this.state.ids.next();
    const record: InteractionRecord = {
      id,
      token: `fake-interaction-token-${id}-${randomBytes(8).toString('hex')}`,
      kind,
      channelId: channel.id,
      guildId: channel.guildId,
      userId: user.id,
      createdAt: Date.now(),
      ...(componentMessageId ? { componentMessageId } : {}),
    };
    this.state.interactions.set(id, record);
    return record;
  }

  /** Fields every interaction carries; discord.js throws without `entitlements` and `authorizing_integration_owners`. */
  private interactionBase(record: InteractionRecord, channel: ChannelRecord, user: UserRecord): JsonObject {
    const { state } = this;
    const guildId = channel.guildId;
    const appPermissions = guildId ? state.memberPermissions(guildId, state.bot.id) : 0n;
    return {
      id: record.id,
      application_id: state.applicationId,
      token: record.token,
      version: 1,
      channel_id: channel.id,
      channel: { ...apiChannel(state, channel), ...(guildId ? { permissions: appPermissions.toString() } : {}) },
      ...(guildId
        ? {
            guild_id: guildId,
            guild: { id: guildId, locale: 'en-US', features: [] },
            guild_locale: 'en-US',
            member: { ...apiMember(state, guildId, user.id), permissions: state.memberPermissions(guildId, user.id).toString() },
          }
        : { user: apiUser(user) }),
      app_permissions: appPermissions.toString(),
      locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: guildId ? { 0: guildId } : { 1: user.id },
      context: guildId ? 0 : 1,
      attachment_size_limit: 10 * 1024 * 1024,
    };
  }
}
