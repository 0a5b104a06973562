import type { ThreadRef } from '../../core/model/conversation';

/**
 * The thread of something that happened outside any thread (a slash command): the bot's
 * answers go to the channel itself. Slack sends commands without a thread, so there is no
 * thread to keep them in.
 */
export const CHANNEL_LEVEL = '';

/** The conversation of a Slack channel in a workspace, at a thread (`CHANNEL_LEVEL` for none). */
export function slackThread(team: string, channel: string, thread: string): ThreadRef {
  return { platform: 'slack', workspace: team, channel, thread };
}

/** `thread_ts` for a Web API call into `where`; none at channel level. */
export function threadTs(where: ThreadRef): { thread_ts?: string } {
  return where.thread === CHANNEL_LEVEL ? {} : { thread_ts: where.thread };
}

/** Whether a channel id is a direct-message channel (D…): one person and the bot, nobody else (a group DM is G…). */
export function isDirectMessageChannel(channel: string): boolean {
  return channel.startsWith('D');
}
