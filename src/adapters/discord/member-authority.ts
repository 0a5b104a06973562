import { PermissionFlagsBits, RESTJSONErrorCodes, type Client, type Guild } from 'discord.js';
import type { ConversationRef } from '../../core/model/conversation';
import type { UserAuthority } from '../../core/ports/chat-platform';
import { discordCall, hasDiscordCode } from './platform-errors';
import { DM_WORKSPACE } from './thread-refs';

const NO_AUTHORITY: UserAuthority = { isAdmin: false, groups: [] };

/**
 * What a member may decide: `isAdmin` when they hold Manage Server or Administrator in the
 * conversation's guild, `groups` the candidate role ids they hold. In a DM nobody is an
 * admin (approvers named by user id still are). Works for any guild the bot is in, served
 * by this shard or not, without caching a foreign guild (reply-target.ts trusts the guild
 * cache to mean "served here").
 */
export async function memberAuthority(
  client: Client,
  where: ConversationRef,
  userId: string,
  candidateRoles: readonly string[],
): Promise<UserAuthority> {
  if (where.workspace === DM_WORKSPACE) return NO_AUTHORITY;
  return discordCall(
    'fetch member',
    async () => {
      const guild: Guild = client.guilds.cache.get(where.workspace) ?? (await client.guilds.fetch({ guild: where.workspace, cache: false }));
      try {
        const member = await guild.members.fetch(userId);
        return {
          isAdmin: member.permissions.any([PermissionFlagsBits.ManageGuild, PermissionFlagsBits.Administrator]),
          groups: candidateRoles.filter((id) => member.roles.cache.has(id)),
        };
      } catch (error) {
        if (hasDiscordCode(error, RESTJSONErrorCodes.UnknownMember)) return NO_AUTHORITY;
        throw error;
      }
    },
    { guildId: where.workspace, userId },
  );
}
