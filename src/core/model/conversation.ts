/** Where a conversation happens. Values, compared by content. */
export const PLATFORMS = ['slack', 'discord', 'console'] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * One conversation: a channel in a workspace on a platform. Context and history
 * belong to exactly one of these; channel ids alone are never trusted to be unique.
 */
export interface ConversationRef {
  readonly platform: Platform;
  /** Slack team id, Discord guild id (or `dm`), or `local` for the console. */
  readonly workspace: string;
  readonly channel: string;
}

/** A thread inside a conversation; `thread` is the platform id of the thread's root message. */
export interface ThreadRef extends ConversationRef {
  readonly thread: string;
}

/** A person (or bot) as the platform names them. */
export interface Person {
  readonly id: string;
  readonly name: string;
}

/** The author of everything the bot says. */
export const BOT_AUTHOR: Person = { id: 'switchboard', name: 'Switchboard' };

/** A stable string key for maps and logs, e.g. `slack:T1:C1`. */
export function conversationKey(ref: ConversationRef): string {
  return `${ref.platform}:${ref.workspace}:${ref.channel}`;
}

export function conversationOf(thread: ThreadRef): ConversationRef {
  return { platform: thread.platform, workspace: thread.workspace, channel: thread.channel };
}
