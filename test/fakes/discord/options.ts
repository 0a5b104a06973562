import { ChannelType, PermissionFlagsBits } from 'discord.js';

/** A user as tests describe it; every field but `id` has a default. */
export interface FakeUserSpec {
  id: string;
  /** Default: `user` plus the last four digits of the id. */
  username?: string;
  /** Default: null (Discord's "display name" is unset). */
  globalName?: string | null;
  /** Default: false. */
  bot?: boolean;
}

/** A guild member: a user plus roles; permissions are computed from the roles unless given. */
export interface FakeMemberSpec extends FakeUserSpec {
  /** Role ids, not counting @everyone. Default: none. */
  roles?: string[];
  /** Overrides the computed guild permissions (a bitfield). Default: computed from roles. */
  permissions?: bigint;
}

/** A role; `permissions` is a bitfield from `PermissionFlagsBits`. */
export interface FakeRoleSpec {
  id: string;
  /** Default: `role` plus the last four digits of the id. */
  name?: string;
  /** Default: 0n. */
  permissions?: bigint;
}

/** A guild channel. */
export interface FakeChannelSpec {
  id: string;
  /** Default: `channel` plus the last four digits of the id. */
  name?: string;
  /** Default: `ChannelType.GuildText`. Threads use `PublicThread` with `parentId`. */
  type?: ChannelType;
  /** The category, or for threads the parent channel. Default: null. */
  parentId?: string | null;
  /** Members who may not see it: a member overwrite denying View Channel to each. Default: none. */
  hiddenFrom?: string[];
}

/** A guild the bot is in. The bot is always added as a member. */
export interface FakeGuildSpec {
  id: string;
  /** Default: `guild` plus the last four digits of the id. */
  name?: string;
  /** Default: the first non-bot member, or the bot. The owner has every permission. */
  ownerId?: string;
  /** Permissions of @everyone (the role whose id is the guild id). Default: `DEFAULT_EVERYONE_PERMISSIONS`. */
  everyonePermissions?: bigint;
  channels?: FakeChannelSpec[];
  roles?: FakeRoleSpec[];
  members?: FakeMemberSpec[];
}

/** Options of `startFakeDiscord`; all optional. */
export interface FakeDiscordOptions {
  /** The bot's user. Default: id `FAKE_DISCORD_IDS.bot`, username 'switchboard'. */
  bot?: { id?: string; username?: string };
  /** The bot's application id. Default: `FAKE_DISCORD_IDS.application`. */
  applicationId?: string;
  /** The bot's guild permissions, given through its managed role. Default: `DEFAULT_BOT_PERMISSIONS`. */
  botPermissions?: bigint;
  /** Default: one guild, see `defaultGuild()`. Pass [] for a bot in no guild. */
  guilds?: FakeGuildSpec[];
  /** How long an interaction may wait for its first callback before 10062 Unknown interaction. Default: 3000 ms, like Discord. */
  interactionDeadlineMs?: number;
  /** Dispatch MESSAGE_CREATE / UPDATE / DELETE for the bot's own REST writes, as Discord does. Default: true. */
  echoOwnMessages?: boolean;
  /** The HELLO heartbeat interval. Default: 45000 ms (Discord's value; discord.js sends its first beat after a random part of it). */
  heartbeatIntervalMs?: number;
}

/** Ids of the default world; tests use them instead of repeating literals. */
export const FAKE_DISCORD_IDS = {
  bot: '100000000000000001',
  application: '100000000000000002',
  guild: '200000000000000001',
  channel: '300000000000000001',
  moderatorRole: '400000000000000001',
  /** A member without roles. */
  member: '500000000000000001',
  /** A member holding the moderator role (Manage Server). */
  moderator: '500000000000000002',
  /** The guild owner. */
  owner: '500000000000000003',
} as const;

/** What @everyone may do by default in the fake: read, write, react, use commands, make threads. */
export const DEFAULT_EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.SendMessagesInThreads;

/** The bot's role by default: everything @everyone has plus managing messages and threads. */
export const DEFAULT_BOT_PERMISSIONS =
  DEFAULT_EVERYONE_PERMISSIONS | PermissionFlagsBits.ManageMessages | PermissionFlagsBits.ManageThreads;

/** The default guild: one text channel, a moderator role with Manage Server, a member, a moderator and an owner. */
export function defaultGuild(): FakeGuildSpec {
  const ids = FAKE_DISCORD_IDS;
  return {
    id: ids.guild,
    name: 'Switchboard Test',
    ownerId: ids.owner,
    channels: [{ id: ids.channel, name: 'general' }],
    roles: [{ id: ids.moderatorRole, name: 'Moderator', permissions: PermissionFlagsBits.ManageGuild }],
    members: [
      { id: ids.member, username: 'alice', globalName: 'Alice' },
      { id: ids.moderator, username: 'morgan', globalName: 'Morgan', roles: [ids.moderatorRole] },
      { id: ids.owner, username: 'owen', globalName: 'Owen' },
    ],
  };
}
