import { ChannelType, PermissionFlagsBits, type APIApplicationCommand, type APIMessage } from 'discord.js';
import {
  DEFAULT_BOT_PERMISSIONS,
  DEFAULT_EVERYONE_PERMISSIONS,
  FAKE_DISCORD_IDS,
  defaultGuild,
  type FakeDiscordOptions,
  type FakeGuildSpec,
  type FakeUserSpec,
} from './options';
import { SnowflakeSource } from './snowflake';

export interface UserRecord {
  id: string;
  username: string;
  globalName: string | null;
  bot: boolean;
}

export interface RoleRecord {
  id: string;
  name: string;
  permissions: bigint;
  position: number;
  /** Set on the bot's own managed role. */
  botId?: string;
}

export interface MemberRecord {
  userId: string;
  roles: string[];
  permissionsOverride?: bigint;
  joinedAt: string;
}

export interface ChannelRecord {
  id: string;
  name: string | null;
  type: ChannelType;
  guildId: string | null;
  parentId: string | null;
  /** DM channels: the other user. */
  recipientId?: string;
  /** Threads: who started it. */
  ownerId?: string;
  /** Members denied View Channel by an overwrite. */
  hiddenFrom?: string[];
}

export interface GuildRecord {
  id: string;
  name: string;
  ownerId: string;
  roles: Map<string, RoleRecord>;
  members: Map<string, MemberRecord>;
}

/** An interaction the fake sent, and what the app has answered so far. */
export interface InteractionRecord {
  id: string;
  token: string;
  kind: 'component' | 'command' | 'modal';
  channelId: string;
  guildId: string | null;
  userId: string;
  createdAt: number;
  /** Components, and modals opened from one: the message the button sits on. */
  componentMessageId?: string;
  /** The modal shown as the first answer (callback type 9), as the app sent it. */
  modal?: Record<string, unknown>;
  /** The callback type of the first response, once answered. */
  callbackType?: number;
  /** The message that `@original` names once the interaction was answered. */
  originalMessageId?: string;
}

const JOINED_AT = '2024-01-01T00:00:00.000Z';

/** Everything the fake Discord knows: users, guilds, channels, messages, interactions, commands. */
export class FakeDiscordState {
  readonly ids = new SnowflakeSource();
  readonly bot: UserRecord;
  readonly applicationId: string;
  readonly users = new Map<string, UserRecord>();
  readonly guilds = new Map<string, GuildRecord>();
  readonly channels = new Map<string, ChannelRecord>();
  readonly messages = new Map<string, APIMessage>();
  readonly interactions = new Map<string, InteractionRecord>();
  /** Keyed by guild id, or 'global'. */
  readonly commands = new Map<string, APIApplicationCommand[]>();

  constructor(options: FakeDiscordOptions) {
    this.bot = {
      id: options.bot?.id ?? FAKE_DISCORD_IDS.bot,
      username: options.bot?.username ?? 'switchboard',
      globalName: null,
      bot: true,
    };
    this.users.set(this.bot.id, this.bot);
    this.applicationId = options.applicationId ?? FAKE_DISCORD_IDS.application;
    const botPermissions = options.botPermissions ?? DEFAULT_BOT_PERMISSIONS;
    for (const spec of options.guilds ?? [defaultGuild()]) this.addGuild(spec, botPermissions);
  }

  /** Adds or updates a user; fields not given keep their current (or default) values. */
  ensureUser(spec: FakeUserSpec): UserRecord {
    const known = this.users.get(spec.id);
    const user: UserRecord = {
      id: spec.id,
      username: spec.username ?? known?.username ?? `user${spec.id.slice(-4)}`,
      globalName: spec.globalName !== undefined ? spec.globalName : (known?.globalName ?? null),
      bot: spec.bot ?? known?.bot ?? false,
    };
    this.users.set(user.id, user);
    return user;
  }

  /** The guild, or an error naming the ids the fake knows. */
  guild(guildId: string): GuildRecord {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`fake Discord: unknown guild ${guildId}; known: ${[...this.guilds.keys()].join(', ')}`);
    return guild;
  }

  guildChannels(guildId: string): ChannelRecord[] {
    return [...this.channels.values()].filter((channel) => channel.guildId === guildId);
  }

  /** Makes the user a member (no roles) if they are not one yet, as a user acting in a guild must be. */
  ensureMember(guildId: string, userId: string): MemberRecord {
    const guild = this.guild(guildId);
    let member = guild.members.get(userId);
    if (!member) {
      member = { userId, roles: [], joinedAt: JOINED_AT };
      guild.members.set(userId, member);
    }
    return member;
  }

  /** Guild-level permissions: owner and Administrator get everything; otherwise @everyone OR the member's roles. */
  memberPermissions(guildId: string, userId: string): bigint {
    const guild = this.guild(guildId);
    const member = guild.members.get(userId);
    if (member?.permissionsOverride !== undefined) return member.permissionsOverride;
    if (guild.ownerId === userId) return ALL_PERMISSIONS;
    let permissions = guild.roles.get(guild.id)?.permissions ?? 0n;
    for (const roleId of member?.roles ?? []) permissions |= guild.roles.get(roleId)?.permissions ?? 0n;
    return permissions & PermissionFlagsBits.Administrator ? ALL_PERMISSIONS : permissions;
  }

  /** The DM channel between the bot and a user, created on first use. */
  dmChannelWith(userId: string, channelId?: string): ChannelRecord {
    const existing = [...this.channels.values()].find((c) => c.type === ChannelType.DM && c.recipientId === userId);
    if (existing) return existing;
    const channel: ChannelRecord = {
      id: channelId ?? this.ids.next(),
      name: null,
      type: ChannelType.DM,
      guildId: null,
      parentId: null,
      recipientId: userId,
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** Registers a public thread under a guild channel. */
  addThread(parentId: string, threadId: string, name: string, ownerId: string): ChannelRecord {
    const parent = this.channels.get(parentId);
    if (!parent?.guildId) throw new Error(`fake Discord: threads need a guild channel as parent, got ${parentId}`);
    const thread: ChannelRecord = {
      id: threadId,
      name,
      type: ChannelType.PublicThread,
      guildId: parent.guildId,
      parentId,
      ownerId,
    };
    this.channels.set(thread.id, thread);
    return thread;
  }

  private addGuild(spec: FakeGuildSpec, botPermissions: bigint): void {
    const roles = new Map<string, RoleRecord>();
    roles.set(spec.id, {
      id: spec.id,
      name: '@everyone',
      permissions: spec.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS,
      position: 0,
    });
    (spec.roles ?? []).forEach((role, index) =>
      roles.set(role.id, {
        id: role.id,
        name: role.name ?? `role${role.id.slice(-4)}`,
        permissions: role.permissions ?? 0n,
        position: index + 1,
      }),
    );
    const botRoleId = this.ids.next();
    roles.set(botRoleId, {
      id: botRoleId,
      name: this.bot.username,
      permissions: botPermissions,
      position: roles.size,
      botId: this.bot.id,
    });

    const members = new Map<string, MemberRecord>();
    members.set(this.bot.id, { userId: this.bot.id, roles: [botRoleId], joinedAt: JOINED_AT });
    for (const member of spec.members ?? []) {
      this.ensureUser(member);
      members.set(member.id, {
        userId: member.id,
        roles: member.roles ?? [],
        permissionsOverride: member.permissions,
        joinedAt: JOINED_AT,
      });
    }
    const ownerId = spec.ownerId ?? spec.members?.find((m) => !m.bot)?.id ?? this.bot.id;
    if (!members.has(ownerId)) throw new Error(`fake Discord: guild ${spec.id} owner ${ownerId} is not among its members`);

    this.guilds.set(spec.id, { id: spec.id, name: spec.name ?? `guild${spec.id.slice(-4)}`, ownerId, roles, members });
    for (const channel of spec.channels ?? []) {
      this.channels.set(channel.id, {
        id: channel.id,
        name: channel.name ?? `channel${channel.id.slice(-4)}`,
        type: channel.type ?? ChannelType.GuildText,
        guildId: spec.id,
        parentId: channel.parentId ?? null,
        ...(channel.hiddenFrom && { hiddenFrom: channel.hiddenFrom }),
      });
    }
  }
}

/** Every permission bit Discord defines. */
export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);
