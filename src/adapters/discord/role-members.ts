import type { Client } from 'discord.js';
import type { ConversationRef } from '../../core/model/conversation';
import { DM_WORKSPACE } from './thread-refs';

/**
 * The people holding role `roleId` in the conversation's guild, as far as discord.js's member
 * cache knows them: the bot does not ask for the privileged GuildMembers intent, so members the
 * gateway never brought are missed (docs/policy.md, "Who is reminded"). Null where `roleId` is
 * no role of a guild served here (a user id, a DM, a guild on another shard).
 */
export function roleMembers(client: Client, where: ConversationRef, roleId: string): readonly string[] | null {
  if (where.workspace === DM_WORKSPACE) return null;
  const guild = client.guilds.cache.get(where.workspace);
  if (!guild?.roles.cache.has(roleId)) return null;
  return guild.members.cache.filter((m) => !m.user.bot && m.roles.cache.has(roleId)).map((m) => m.id);
}
