import { GatewayDispatchEvents, MessageFlags, type APIAttachment, type APIMessage } from 'discord.js';
import type { RecordedFile } from './call-log';
import { apiMember, apiMessage, apiUser, mentionedUsers, type JsonObject } from './payloads';
import type { FakeDiscordState, InteractionRecord } from './state';

/** The state plus a way to tell connected clients what changed (Discord echoes the bot's own writes). */
export interface MessageWorld {
  state: FakeDiscordState;
  echo: (t: string, d: unknown) => void;
}

/** A message the bot writes: through a channel, an interaction response, or a follow-up. */
export interface BotMessageInput {
  channelId: string;
  body: JsonObject;
  files: RecordedFile[];
  /** Interaction responses and follow-ups are webhook messages of the application. */
  interaction?: InteractionRecord;
  /** Added to `body.flags`, e.g. Loading for a deferred reply. */
  extraFlags?: number;
}

/** Creates, stores and (unless ephemeral) echoes a message authored by the bot. */
export function createBotMessage(world: MessageWorld, input: BotMessageInput): APIMessage {
  const { state } = world;
  const id = state.ids.next();
  const body = input.body;
  const content = typeof body.content === 'string' ? body.content : '';
  const channel = state.channels.get(input.channelId);
  const reference = body.message_reference as { message_id?: string } | undefined;
  const message: APIMessage = apiMessage({
    id,
    channelId: input.channelId,
    author: state.bot,
    content,
    embeds: normalizeEmbeds(body.embeds),
    components: (body.components ?? []) as APIMessage['components'],
    flags: (Number(body.flags ?? 0) | (input.extraFlags ?? 0)) & ~MessageFlags.SuppressNotifications,
    mentions: mentionedUsers(state, content),
    attachments: attachmentsFor(state, input.channelId, body, input.files, []),
    messageReference: reference?.message_id
      ? { message_id: reference.message_id, channel_id: input.channelId, ...(channel?.guildId ? { guild_id: channel.guildId } : {}) }
      : undefined,
    webhookId: input.interaction ? state.applicationId : undefined,
  });
  const referenced = reference?.message_id ? state.messages.get(reference.message_id) : undefined;
  if (referenced) message.referenced_message = referenced;
  if (body.nonce !== undefined) message.nonce = body.nonce as string;
  if (input.interaction) message.interaction_metadata = interactionMetadata(state, input.interaction);
  state.messages.set(id, message);
  if (!isEphemeral(message)) world.echo(GatewayDispatchEvents.MessageCreate, gatewayMessage(state, message));
  return message;
}

/** Applies an edit body the way Discord does: only the fields present change; a deferred reply stops loading. */
export function editMessage(world: MessageWorld, message: APIMessage, body: JsonObject, files: RecordedFile[]): APIMessage {
  const { state } = world;
  const edited: APIMessage = { ...message, edited_timestamp: new Date().toISOString() };
  if ('content' in body) {
    edited.content = typeof body.content === 'string' ? body.content : '';
    edited.mentions = mentionedUsers(state, edited.content).map(apiUser);
  }
  if ('embeds' in body) edited.embeds = normalizeEmbeds(body.embeds);
  if ('components' in body) edited.components = (body.components ?? []) as APIMessage['components'];
  const keptFlags = (message.flags ?? 0) & (MessageFlags.Ephemeral | MessageFlags.IsComponentsV2);
  const requested = body.flags === undefined || body.flags === null ? 0 : Number(body.flags);
  edited.flags = (keptFlags | requested) & ~MessageFlags.Loading & ~MessageFlags.SuppressNotifications;
  if ('attachments' in body || files.length > 0) {
    edited.attachments = attachmentsFor(state, message.channel_id, body, files, message.attachments);
  }
  state.messages.set(edited.id, edited);
  if (!isEphemeral(edited)) world.echo(GatewayDispatchEvents.MessageUpdate, gatewayMessage(state, edited));
  return edited;
}

export function deleteMessage(world: MessageWorld, message: APIMessage): void {
  const { state } = world;
  state.messages.delete(message.id);
  if (isEphemeral(message)) return;
  const guildId = state.channels.get(message.channel_id)?.guildId;
  world.echo(GatewayDispatchEvents.MessageDelete, { id: message.id, channel_id: message.channel_id, ...(guildId ? { guild_id: guildId } : {}) });
}

/**
 * A message as the gateway carries it: with `channel_type` (discord.js needs it to build the
 * partial channel of a DM it has never seen, or it drops the message), `guild_id`, and
 * `member` for a guild author.
 */
export function gatewayMessage(state: FakeDiscordState, message: APIMessage): JsonObject {
  const channel = state.channels.get(message.channel_id);
  const withType = { ...message, ...(channel ? { channel_type: channel.type } : {}) };
  if (!channel?.guildId) return withType;
  const isWebhook = message.webhook_id !== undefined;
  return {
    ...withType,
    guild_id: channel.guildId,
    ...(isWebhook ? {} : { member: apiMember(state, channel.guildId, message.author.id, false) }),
  };
}

export function isEphemeral(message: APIMessage): boolean {
  return ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
}

function interactionMetadata(state: FakeDiscordState, interaction: InteractionRecord): NonNullable<APIMessage['interaction_metadata']> {
  const user = state.users.get(interaction.userId) ?? state.ensureUser({ id: interaction.userId });
  return {
    id: interaction.id,
    type: interaction.kind === 'command' ? 2 : 3,
    user: apiUser(user),
    authorizing_integration_owners: interaction.guildId ? { 0: interaction.guildId } : { 1: interaction.userId },
    ...(interaction.componentMessageId ? { interacted_message_id: interaction.componentMessageId } : {}),
  } as NonNullable<APIMessage['interaction_metadata']>;
}

/** Discord marks embeds sent by bots as 'rich'. */
function normalizeEmbeds(embeds: unknown): APIMessage['embeds'] {
  if (!Array.isArray(embeds)) return [];
  return embeds.map((embed) => ({ type: 'rich', ...(embed as object) })) as APIMessage['embeds'];
}

/**
 * Kept attachments (named by id in `body.attachments`) plus one per uploaded file.
 * discord.js names a new upload `files[n]` and lists `{ id: n }` in `attachments`.
 */
function attachmentsFor(
  state: FakeDiscordState,
  channelId: string,
  body: JsonObject,
  files: RecordedFile[],
  existing: APIAttachment[],
): APIAttachment[] {
  const listed = Array.isArray(body.attachments) ? (body.attachments as { id?: unknown }[]) : undefined;
  const kept = listed ? existing.filter((a) => listed.some((l) => String(l.id) === a.id)) : existing;
  const uploaded = files.map((file): APIAttachment => {
    const id = state.ids.next();
    const url = `https://cdn.discordapp.com/attachments/${channelId}/${id}/${encodeURIComponent(file.name)}`;
    return { id, filename: file.name, size: file.size, url, proxy_url: url, content_type: file.contentType };
  });
  return [...kept, ...uploaded];
}
