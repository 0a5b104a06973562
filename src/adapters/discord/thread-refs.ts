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
 * (reply-target.ts turns a ThreadRef back into a channel and a message to reply to):
 *
 * - conversation = guild + channel. In a DM the workspace is `dm` and the channel the
 *   user's DM channel. In a Discord thread the channel is the thread's parent, so what the
 *   bot remembers about a channel covers its threads (as on Slack).
 * - thread =
 *   - in a Discord thread: the thread's channel id;
 *   - a mention in a channel or a DM: the id of that message, which the bot's answers
 *     reply to. A Discord thread started from that message gets the same id, so the
 *     conversation (and its history) carries on there;
 *   - the channel's top level (a slash command has no message to reply to): the channel
 *     id itself, i.e. `thread === channel`.
 */
export function threadRefOf(place: DiscordPlace, root: string | null): ThreadRef {
  const conversation = { platform: 'discord' as const, workspace: place.guildId ?? DM_WORKSPACE };
  if (place.threadParentId) return { ...conversation, channel: place.threadParentId, thread: place.channelId };
  return { ...conversation, channel: place.channelId, thread: root ?? place.channelId };
}
