import type { Message } from 'discord.js';
import type { Attachment } from '../../core/model/attachment';
import type { Person } from '../../core/model/conversation';
import type { IncomingMessage } from '../../core/model/incoming';
import { threadRefOf, type DiscordPlace } from './thread-refs';

/** A message the bot takes, and whether the core should take it only in a thread it is part of. */
export interface InboundMessage {
  readonly incoming: IncomingMessage;
  readonly onlyKnownThread: boolean;
}

/**
 * Which messages the bot takes, as what:
 * - never a bot's (its own posts come back over the gateway too) nor a system message;
 * - a DM, or a message that mentions the bot (a reply to the bot with its ping on does): always;
 * - without a mention, a message in a Discord thread or a reply to one of the bot's
 *   messages: a follow-up, which the core takes only in a thread the bot is part of.
 * Anything else in a channel is not for the bot.
 */
export function inboundMessage(message: Message, botId: string): InboundMessage | null {
  if (message.author.bot || message.system) return null;
  const place = placeOf(message);
  const addressed = !message.inGuild() || message.mentions.users.has(botId);
  const replied = repliedBotMessage(message, botId);
  if (!addressed && !place.threadParentId && !replied) return null;
  // A reply to the bot joins the conversation of the message it replied to; anything else starts one here.
  const root = replied ? (replied.reference?.messageId ?? null) : message.id;
  return {
    incoming: {
      where: threadRefOf(place, root),
      messageId: message.id,
      author: authorOf(message),
      text: stripMention(message.content, botId),
      ...attachmentsOf(message),
    },
    onlyKnownThread: !addressed,
  };
}

/** Where a message or an interaction happened; a channel discord.js has not cached counts as no thread. */
export function placeOf(source: {
  readonly guildId: string | null;
  readonly channelId: string | null;
  readonly channel: { isThread(): boolean; readonly parentId?: string | null } | null;
}): DiscordPlace {
  const threadParentId = source.channel?.isThread() ? (source.channel.parentId ?? null) : null;
  return { guildId: source.guildId, channelId: source.channelId ?? '', threadParentId };
}

/** The bot's message this one replies to, when discord.js has it (the gateway sends it along with the reply). */
function repliedBotMessage(message: Message, botId: string): Message | null {
  const id = message.reference?.messageId;
  if (!id || message.reference?.channelId !== message.channelId) return null;
  const replied = message.channel.messages.cache.get(id);
  return replied?.author.id === botId ? replied : null;
}

/** Where Discord serves the files people post: downloads go to these origins only. */
export const DISCORD_FILE_ORIGINS = ['https://cdn.discordapp.com', 'https://media.discordapp.net'];

/** The message's attachments, when it has any (most have none: then no field at all). */
function attachmentsOf(message: Message): { attachments?: Attachment[] } {
  if (message.attachments.size === 0) return {};
  const attachments = [...message.attachments.values()].map((a) => ({ id: a.id, name: a.name, type: a.contentType ?? '', size: a.size, handle: a.url }));
  return { attachments };
}

function authorOf(message: Message): Person {
  return { id: message.author.id, name: message.member?.displayName ?? message.author.displayName };
}

/** Removes the bot's own mention (`<@id>` or the older `<@!id>`) wherever it is. */
function stripMention(content: string, botId: string): string {
  return content.replace(new RegExp(`<@!?${botId}> ?`, 'g'), '').trim();
}
