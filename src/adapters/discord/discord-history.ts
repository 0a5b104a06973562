import { PermissionFlagsBits, Routes, SnowflakeUtil, type APIChannel, type APIMessage, type Client, type GuildBasedChannel } from 'discord.js';
import type { ChannelMessage, ChannelQuery } from '../../core/model/channel-history';
import type { ConversationRef } from '../../core/model/conversation';
import { UserInputError } from '../../core/errors';
import { discordCall } from './platform-errors';
import { DM_WORKSPACE } from './thread-refs';

/** Discord's largest page of a channel's messages. */
const PAGE = 100;

/** What a person needs to read a channel's history: to see it, and its past messages. */
const READ_HISTORY = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory;

/**
 * Reads a channel of `where`'s guild (GET /channels/{id}/messages, newest pages first), oldest
 * first. Another channel than `where`'s must be in the same guild, and the requester must be
 * able to see it and read its history (their roles and the channel's overwrites); the bot's
 * own access is Discord's to refuse. Otherwise UserInputError.
 */
export async function readDiscordChannel(client: Client, where: ConversationRef, query: ChannelQuery): Promise<ChannelMessage[]> {
  const { guildId, channelId } = discordChannel(query.channel);
  const refused = (why: string) => new UserInputError('channel_refused', `I cannot read ${channelId}: ${why}.`, { channelId, workspace: where.workspace });
  if (guildId !== null && guildId !== where.workspace) throw refused('it is in another server');
  if (channelId !== where.channel) await checkAccess(client, where, channelId, query.requesterId, refused);
  const messages = await readPages(client, channelId, query);
  return messages.reverse().map(toChannelMessage);
}

/** A channel from what the model was given: an id, `<#id>`, or a message or channel link (which names its guild). */
export function discordChannel(raw: string): { readonly guildId: string | null; readonly channelId: string } {
  const trimmed = raw.trim();
  const link = /channels\/(\d+|@me)\/(\d+)/.exec(trimmed);
  if (link) return { guildId: link[1] === '@me' ? DM_WORKSPACE : link[1]!, channelId: link[2]! };
  return { guildId: null, channelId: /^<#(\d+)>$/.exec(trimmed)?.[1] ?? trimmed.replace(/^#/, '') };
}

async function checkAccess(client: Client, where: ConversationRef, channelId: string, requesterId: string, refused: (why: string) => Error): Promise<void> {
  if (where.workspace === DM_WORKSPACE) throw refused('a direct message reads no other channel');
  const channel = await discordCall('fetch channel', () => client.rest.get(Routes.channel(channelId)) as Promise<APIChannel>, { channelId }).catch(() => null);
  if (!channel) throw refused('I cannot see it');
  if (!('guild_id' in channel) || channel.guild_id !== where.workspace) throw refused('it is in another server');
  const guild = client.guilds.cache.get(where.workspace) ?? (await client.guilds.fetch(where.workspace));
  const member = await guild.members.fetch(requesterId).catch(() => null);
  const resolved = (await guild.channels.fetch(channelId).catch(() => null)) as GuildBasedChannel | null;
  const allowed = member && resolved ? resolved.permissionsFor(member).has(READ_HISTORY) : false;
  if (!allowed) throw refused('you cannot read it');
}

/** Pages back from the newest message until `limit` messages, or the first older than `since`. */
async function readPages(client: Client, channelId: string, query: ChannelQuery): Promise<APIMessage[]> {
  const after = query.since ? SnowflakeUtil.generate({ timestamp: query.since.getTime() }).toString() : null;
  const read: APIMessage[] = [];
  let before: string | undefined;
  while (read.length < query.limit) {
    const size = Math.min(PAGE, query.limit - read.length);
    const params = new URLSearchParams({ limit: String(size), ...(before && { before }) });
    const page = (await discordCall('read messages', () => client.rest.get(Routes.channelMessages(channelId), { query: params }), { channelId })) as APIMessage[];
    const fresh = after ? page.filter((m) => BigInt(m.id) > BigInt(after)) : page;
    read.push(...fresh);
    // A short page is the channel's beginning; a message older than `since` ends the read.
    if (page.length < size || fresh.length < page.length) break;
    before = page.at(-1)!.id;
  }
  return read;
}

/** A message as text: its content, or for a message of embeds alone (the bot's cards) their titles and descriptions. */
function toChannelMessage(message: APIMessage): ChannelMessage {
  const embeds = message.embeds.map((e) => [e.title, e.description].filter(Boolean).join(': ')).filter(Boolean);
  return { author: message.author.global_name ?? message.author.username, at: new Date(message.timestamp), text: message.content || embeds.join(' | ') };
}
