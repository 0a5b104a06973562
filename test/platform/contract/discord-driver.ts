/**
 * The contract driver for Discord: people act through gateway dispatches from the fake
 * Discord to the adapter's real discord.js client, and what they see is read from the REST
 * calls the fake received: channel messages posted and edited, and interaction replies.
 */
import {
  ApplicationCommandOptionType,
  Events,
  GatewayDispatchEvents,
  MessageFlags,
  type APIEmbed,
  type APIMessage,
  type APIMessageComponent,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord.js';
import { DISCORD_LIMITS } from '../../../src/adapters/discord/limits';
import type { ThreadRef } from '../../../src/core/model/conversation';
import { defaultGuild, FAKE_DISCORD_IDS, FakeRoute, type RecordedCall } from '../../fakes/fake-discord';
import { memoryLogger, POSTED_ANSWERS } from '../../support/core-harness';
import { eventually } from '../../support/eventually';
import type { Shown, ShownButton } from '../../support/platform-matchers';
import { startDiscordWorld, type DiscordWorld } from '../discord/discord-world';
import { buttonOf, hasLogLine, type Conversation, type DriverSpec, type PlatformDriver, type ShownFile, type SlashCommand } from './driver';

const ids = FAKE_DISCORD_IDS;
const USER = { id: ids.member, name: 'Alice' };
/** A text channel per conversation, so each reads only its own calls. */
const CHANNELS = Array.from({ length: 24 }, (_, i) => `3100000000000000${String(i + 10)}`);

type Body = RESTPostAPIChannelMessageJSONBody & { flags?: number };

/** Discord through discord.js on the fake gateway and REST API. */
export const discordDriver: DriverSpec = {
  name: 'Discord',
  textLimit: DISCORD_LIMITS.content,
  quirks: { notesSeenByAll: 'Discord has none outside interactions: a reply in the thread that mentions the person, seen by all' },
  start: async () => {
    const { log, lines } = memoryLogger();
    const guild = defaultGuild();
    const channels = [...(guild.channels ?? []), ...CHANNELS.map((id) => ({ id }))];
    const world = await startDiscordWorld({ fake: { guilds: [{ ...guild, channels }] }, log, settings: POSTED_ANSWERS });
    return driverOver(world, lines);
  },
};

function driverOver(world: DiscordWorld, lines: () => Record<string, unknown>[]): PlatformDriver {
  let conversations = 0;
  return {
    adapter: world.adapter,
    llm: world.llm,
    db: world.db,
    open: async () => {
      const channel = CHANNELS[conversations++];
      if (!channel) throw new Error(`the Discord driver has ${CHANNELS.length} channels; add more`);
      return new DiscordConversation(world, channel);
    },
    logged: (msg, fields) => hasLogLine(lines(), msg, fields),
    settle: () => world.harness.queue.drain(),
    stop: () => world.stop(),
  };
}

/** An interaction the person started: its webhook token names the replies to it. */
interface Started {
  readonly kind: 'command' | 'component';
  /** The message a button was on. */
  readonly messageId?: string;
}

class DiscordConversation implements Conversation {
  readonly user = USER;
  readonly where: ThreadRef;
  private readonly interactions = new Map<string, Started>();
  private said: APIMessage | null = null;

  constructor(
    private readonly world: DiscordWorld,
    private readonly channelId: string,
  ) {
    // The conversation's thread is the message the person says first, under an id chosen now.
    this.where = { platform: 'discord', workspace: ids.guild, channel: channelId, thread: `7${channelId.slice(1)}` };
  }

  async say(text: string): Promise<void> {
    if (this.said) throw new Error('a contract conversation says one thing');
    this.said = this.world.fake.messageCreate({ channelId: this.channelId, content: text, mentionsBot: true, messageId: this.where.thread, author: USER.id });
  }

  async redeliver(): Promise<void> {
    // discord.js drops a MESSAGE_CREATE for a message in its cache, so a replay matters to a
    // process without it: a restarted one resuming the session, or another replica.
    const { id } = this.said!;
    const { client } = this.world.adapter;
    const channel = client.channels.cache.get(this.channelId);
    if (!channel?.isTextBased()) throw new Error(`channel ${this.channelId} is not cached`);
    await eventually(() => expect(channel.messages.cache.has(id)).toBe(true));
    // Forgotten as the replay is handled, not before it is sent: the bot's reply, echoed in
    // between, carries this message as `referenced_message` and would cache it again.
    const forgetOnReplay = (packet: { t?: string; d?: { id?: string } }) => {
      if (packet.t !== GatewayDispatchEvents.MessageCreate || packet.d?.id !== id) return;
      client.off(Events.Raw, forgetOnReplay);
      channel.messages.cache.delete(id);
    };
    client.on(Events.Raw, forgetOnReplay);
    this.world.fake.dispatch(GatewayDispatchEvents.MessageCreate, this.said);
  }

  async click(message: Shown, label: string): Promise<void> {
    const customId = buttonOf(message, label).key;
    const sent = this.world.fake.buttonInteraction({ channelId: this.channelId, customId, message: message.messageId!, user: USER.id });
    this.interactions.set(sent.token, { kind: 'component', messageId: message.messageId! });
  }

  async command(command: SlashCommand): Promise<void> {
    const values = (command.options ?? []).map(([name, value]) => ({ type: ApplicationCommandOptionType.String as const, name, value }));
    const options = [{ type: ApplicationCommandOptionType.Subcommand as const, name: command.subcommand, options: values }];
    const sent = this.world.fake.commandInteraction({ channelId: this.channelId, name: command.command, options, user: USER.id });
    this.interactions.set(sent.token, { kind: 'command' });
  }

  files(): ShownFile[] {
    const posts = this.world.fake.calls.filter((call) => call.status < 300 && call.method === 'POST' && call.params.channelId === this.channelId);
    return posts.flatMap((call) => call.files.map((f) => ({ name: f.name, text: f.data.toString('utf8') })));
  }

  shown(): Shown[] {
    return this.world.fake.calls.filter((call) => call.status < 300).flatMap((call) => this.shownBy(call as RecordedCall<Body | undefined>));
  }

  private shownBy(call: RecordedCall<Body | undefined>): Shown[] {
    const { params, body } = call;
    const ours = params.channelId === this.channelId;
    const started = params.token === undefined ? undefined : this.interactions.get(params.token);
    if (!body || (!ours && !started)) return [];
    const seen = { text: visibleText(body.content ?? '', body.embeds ?? []), buttons: buttonsIn(body.components ?? []) };
    const posted = (call.response as APIMessage | undefined)?.id ?? null;
    if (call.method === 'POST' && call.route === FakeRoute.channelMessages) {
      return [this.addressed(body, posted) ?? { kind: 'post', messageId: posted, ...seen, inThread: this.inThread(body) }];
    }
    if (call.method === 'PATCH' && call.route === FakeRoute.channelMessage) {
      return [{ kind: 'edit', messageId: params.messageId!, ...seen, inThread: this.inThread(this.world.fake.message(params.messageId!)) }];
    }
    if (!started) return [];
    if (call.method === 'PATCH' && call.route === FakeRoute.originalResponse) {
      // A command's deferred reply is private; a click's original response is the message clicked.
      return [started.kind === 'command' ? { kind: 'private', messageId: null, to: USER.id, ...seen, inThread: false } : { kind: 'edit', messageId: started.messageId!, ...seen, inThread: false }];
    }
    if (call.method === 'POST' && call.route === FakeRoute.webhook) {
      const ephemeral = ((body.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
      return [ephemeral ? { kind: 'private', messageId: null, to: USER.id, ...seen, inThread: false } : { kind: 'post', messageId: posted, ...seen, inThread: false }];
    }
    return [];
  }

  /** A channel message addressed to one person, pinging only them: Discord's stand-in for a private note. */
  private addressed(body: Body, posted: string | null): Shown | null {
    const [to, ...others] = body.allowed_mentions?.users ?? [];
    const mention = `<@${to}>`;
    if (!to || others.length || !body.content?.startsWith(mention)) return null;
    const text = visibleText(body.content.slice(mention.length).trim(), body.embeds ?? []);
    return { kind: 'private', messageId: posted, to, text, buttons: buttonsIn(body.components ?? []), inThread: this.inThread(body) };
  }

  private inThread(message: { message_reference?: { message_id?: string } } | undefined): boolean {
    return message?.message_reference?.message_id === this.where.thread;
  }
}

/** What a person reads: the content, then each embed's title, description, fields and footer. */
function visibleText(content: string, embeds: readonly APIEmbed[]): string {
  const parts = embeds.flatMap((e) => [e.title, e.description, ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text]);
  return [content, ...parts].filter((part): part is string => Boolean(part?.replace(/\u200b/g, '').trim())).join('\n');
}

function buttonsIn(rows: readonly unknown[]): ShownButton[] {
  const components = (rows as { components?: APIMessageComponent[] }[]).flatMap((row) => row.components ?? []);
  return components.flatMap((c) => ('custom_id' in c && 'label' in c ? [{ label: String(c.label), key: c.custom_id }] : []));
}
