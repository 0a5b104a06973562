import type { ThreadRef } from '../../core/model/conversation';

/** The workspace of direct messages; each user's DM channel is its own conversation. */
export const DM_WORKSPACE = 'dm';

/** Where something happened on Discord, as far as conversations care. */
export interface DiscordPlace {
  /** Null in DMs. */
  readonly guildId: string | null;
  readonly channelId: string;
  /** Set when the channel is a Discord thread: its parent channel. */
  readonly threadParentId: string | null;
}

/**
 * The one convention between Discord places and the core's ThreadRef, used both ways
 * (reply-target.ts turns it back). Conversation = guild + channel (a thread counts as its
 * parent); thread = the Discord thread, else the message the bot replies to, else the channel
 * itself. The cases: docs/development.md, "Discord places and the core's ThreadRef".
 */
export function threadRefOf(place: DiscordPlace, root: string | null): ThreadRef {
  const conversation = { platform: 'discord' as const, workspace: place.guildId ?? DM_WORKSPACE };
  if (place.threadParentId) return { ...conversation, channel: place.threadParentId, thread: place.channelId };
  return { ...conversation, channel: place.channelId, thread: root ?? place.channelId };
}
