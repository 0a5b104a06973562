/** What `read_channel` asks a platform for. */
export interface ChannelQuery {
  /** The channel to read, in the conversation's workspace. */
  readonly channel: string;
  /** The most messages, newest last; 1 to 200. */
  readonly limit: number;
  /** Only messages from this time on; null: the last `limit`. */
  readonly since: Date | null;
  /** Who asked: outside the current channel they must be a member of the channel read. */
  readonly requesterId: string;
}

/** One message read back from a channel's history. */
export interface ChannelMessage {
  /** The author as the platform names them (a user id or name). */
  readonly author: string;
  readonly at: Date;
  readonly text: string;
  /** Replies in its thread, when the platform says (Slack). */
  readonly replies?: number;
}

/** The most messages one read returns. */
export const MAX_CHANNEL_READ = 200;
