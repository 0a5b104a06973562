import {
  ChannelType,
  MessageType,
  PermissionFlagsBits,
  type ApplicationFlags,
  type GuildMemberFlags,
  type RoleFlags,
  type UserFlags,
  type APIGuildMember,
  type APIMessage,
  type APIRole,
  type APIUser,
  type GatewayReadyDispatchData,
} from 'discord.js';
import { snowflakeTimestamp } from './snowflake';
import type { ChannelRecord, FakeDiscordState, RoleRecord, UserRecord } from './state';

/** A JSON object whose exact Discord type is a union not worth spelling out here. */
export type JsonObject = Record<string, unknown>;

export function apiUser(user: UserRecord): APIUser {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.globalName,
    avatar: null,
    ...(user.bot ? { bot: true } : {}),
    public_flags: 0 as UserFlags,
  };
}

export function apiRole(role: RoleRecord): APIRole {
  return {
    id: role.id,
    name: role.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    position: role.position,
    permissions: role.permissions.toString(),
    managed: role.botId !== undefined,
    mentionable: false,
    flags: 0 as RoleFlags,
    ...(role.botId ? { tags: { bot_id: role.botId } } : {}),
  };
}

/** A guild member as Discord sends it; `user` is left out inside MESSAGE_CREATE, where `author` carries it. */
export function apiMember(state: FakeDiscordState, guildId: string, userId: string, withUser = true): Omit<APIGuildMember, 'user'> & { user?: APIUser } {
  const member = state.ensureMember(guildId, userId);
  const user = state.users.get(userId) ?? state.ensureUser({ id: userId });
  return {
    ...(withUser ? { user: apiUser(user) } : {}),
    nick: null,
    avatar: null,
    banner: null,
    roles: [...member.roles],
    joined_at: member.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

/** A channel object; guild channels carry `guild_id` except inside GUILD_CREATE, like Discord. */
export function apiChannel(state: FakeDiscordState, channel: ChannelRecord, withGuildId = true): JsonObject {
  if (channel.type === ChannelType.DM) {
    const recipient = state.users.get(channel.recipientId ?? '') ?? state.ensureUser({ id: channel.recipientId ?? '0' });
    return { id: channel.id, type: ChannelType.DM, last_message_id: null, flags: 0, recipients: [apiUser(recipient)] };
  }
  const base: JsonObject = {
    id: channel.id,
    type: channel.type,
    ...(withGuildId ? { guild_id: channel.guildId } : {}),
    name: channel.name,
    parent_id: channel.parentId,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
  };
  if (channel.type === ChannelType.PublicThread || channel.type === ChannelType.PrivateThread) {
    return {
      ...base,
      owner_id: channel.ownerId ?? state.bot.id,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 1440,
        archive_timestamp: snowflakeTimestamp(channel.id),
        locked: false,
        create_timestamp: snowflakeTimestamp(channel.id),
      },
    };
  }
  // A member overwrite (type 1) denying View Channel hides the channel from that member.
  const overwrites = (channel.hiddenFrom ?? []).map((id) => ({ id, type: 1, allow: '0', deny: String(PermissionFlagsBits.ViewChannel) }));
  return { ...base, position: 0, permission_overwrites: overwrites, nsfw: false, topic: null };
}

/** The guild object of GET /guilds/:id; `full` adds what GUILD_CREATE carries (channels, members, threads...). */
export function apiGuild(state: FakeDiscordState, guildId: string, full: boolean): JsonObject {
  const guild = state.guild(guildId);
  const guildObject: JsonObject = {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    preferred_locale: 'en-US',
    features: [],
    roles: [...guild.roles.values()].map(apiRole),
    emojis: [],
    stickers: [],
    application_id: null,
    max_members: 500000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    widget_enabled: false,
    widget_channel_id: null,
    incidents_data: null,
  };
  if (!full) return guildObject;
  const channels = state.guildChannels(guildId);
  const isThread = (c: ChannelRecord) => c.type === ChannelType.PublicThread || c.type === ChannelType.PrivateThread;
  return {
    ...guildObject,
    joined_at: '2024-01-01T00:00:00.000Z',
    large: false,
    unavailable: false,
    member_count: guild.members.size,
    channels: channels.filter((c) => !isThread(c)).map((c) => apiChannel(state, c, false)),
    threads: channels.filter(isThread).map((c) => apiChannel(state, c, true)),
    members: [...guild.members.keys()].map((userId) => apiMember(state, guildId, userId)),
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function readyPayload(state: FakeDiscordState, sessionId: string, resumeUrl: string): GatewayReadyDispatchData {
  return {
    v: 10,
    user: { ...apiUser(state.bot), bot: true, verified: true, mfa_enabled: false, flags: 0 as UserFlags },
    guilds: [...state.guilds.keys()].map((id) => ({ id, unavailable: true })),
    session_id: sessionId,
    resume_gateway_url: resumeUrl,
    shard: [0, 1],
    application: { id: state.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
  };
}

/** What a message needs besides its author and channel; unset fields take Discord's empty values. */
export interface MessageParts {
  id: string;
  channelId: string;
  author: UserRecord;
  content?: string;
  embeds?: APIMessage['embeds'];
  components?: APIMessage['components'];
  flags?: number;
  mentions?: UserRecord[];
  messageReference?: APIMessage['message_reference'];
  attachments?: APIMessage['attachments'];
  webhookId?: string;
}

/** A complete message object, as REST returns it (no `guild_id`, no `member`). */
export function apiMessage(parts: MessageParts): APIMessage {
  const isReply = parts.messageReference?.message_id !== undefined;
  return {
    id: parts.id,
    channel_id: parts.channelId,
    author: apiUser(parts.author),
    content: parts.content ?? '',
    timestamp: snowflakeTimestamp(parts.id),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: (parts.mentions ?? []).map(apiUser),
    mention_roles: [],
    attachments: parts.attachments ?? [],
    embeds: parts.embeds ?? [],
    components: parts.components ?? [],
    pinned: false,
    type: isReply ? MessageType.Reply : MessageType.Default,
    flags: parts.flags ?? 0,
    ...(parts.messageReference ? { message_reference: { type: 0, ...parts.messageReference } } : {}),
    ...(parts.webhookId ? { webhook_id: parts.webhookId, application_id: parts.webhookId } : {}),
  };
}

/** Users named by `<@id>` / `<@!id>` in content, as Discord fills `mentions`. */
export function mentionedUsers(state: FakeDiscordState, content: string): UserRecord[] {
  const ids = new Set([...content.matchAll(/<@!?(\d{15,21})>/g)].map((match) => match[1] ?? ''));
  return [...ids].map((id) => state.users.get(id) ?? state.ensureUser({ id }));
}
