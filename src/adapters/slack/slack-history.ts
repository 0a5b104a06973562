import type { webApi } from '@slack/bolt';
import type { ChannelMessage, ChannelQuery } from '../../core/model/channel-history';
import type { ConversationRef } from '../../core/model/conversation';
import { UserInputError } from '../../core/errors';
import { slackTextToPlain } from './mrkdwn';
import { callSlack } from './slack-errors';

/** conversations.members pages read before giving up on finding the requester (1,000 members a page). */
const MEMBER_PAGES = 10;

/**
 * Reads a channel of `where`'s workspace (conversations.history, scopes `channels:history`,
 * `groups:history`, `im:history`, `mpim:history`), oldest first. Another channel than
 * `where`'s must be in the same workspace (conversations.info's `context_team_id`), have the
 * bot as a member, and the requester too (conversations.members); otherwise UserInputError.
 */
export async function readSlackChannel(client: webApi.WebClient, where: ConversationRef, query: ChannelQuery): Promise<ChannelMessage[]> {
  const channel = slackChannelId(query.channel);
  if (channel !== where.channel) await checkAccess(client, where, channel, query.requesterId);
  const oldest = query.since ? { oldest: (query.since.getTime() / 1000).toFixed(6) } : {};
  const page = await callSlack('conversations.history', { channel }, () => client.conversations.history({ channel, limit: query.limit, ...oldest }));
  return (page.messages ?? []).map(toChannelMessage).reverse();
}

/** A channel id from what the model was given: `C123`, `#C123`, `<#C123|general>` or an archive link. */
export function slackChannelId(raw: string): string {
  const trimmed = raw.trim();
  const mention = /^<#([A-Z0-9]+)(\|[^>]*)?>$/.exec(trimmed);
  const link = /\/archives\/([A-Z0-9]+)/.exec(trimmed);
  return mention?.[1] ?? link?.[1] ?? trimmed.replace(/^#/, '');
}

async function checkAccess(client: webApi.WebClient, where: ConversationRef, channel: string, requesterId: string): Promise<void> {
  const refused = (why: string) => new UserInputError('channel_refused', `I cannot read ${channel}: ${why}.`, { channel, workspace: where.workspace });
  const info = await callSlack('conversations.info', { channel }, () => client.conversations.info({ channel })).catch(() => null);
  if (!info?.channel) throw refused('no such channel in this workspace');
  const team = (info.channel as { context_team_id?: string }).context_team_id;
  if (team !== undefined && team !== where.workspace) throw refused('it is in another workspace');
  if (!info.channel.is_member) throw refused('I am not a member of it');
  if (!(await isMember(client, channel, requesterId))) throw refused('you are not a member of it');
}

async function isMember(client: webApi.WebClient, channel: string, userId: string): Promise<boolean> {
  let cursor: string | undefined;
  for (let page = 0; page < MEMBER_PAGES; page++) {
    const answer = await callSlack('conversations.members', { channel }, () => client.conversations.members({ channel, limit: 1000, ...(cursor && { cursor }) }));
    if (answer.members?.includes(userId)) return true;
    cursor = answer.response_metadata?.next_cursor;
    if (!cursor) return false;
  }
  return false;
}

function toChannelMessage(message: { user?: string; username?: string; bot_id?: string; ts?: string; text?: string; reply_count?: number }): ChannelMessage {
  const author = message.user ?? message.username ?? message.bot_id ?? 'unknown';
  const at = new Date(Number(message.ts ?? 0) * 1000);
  return { author, at, text: slackTextToPlain(message.text ?? ''), ...(message.reply_count !== undefined && { replies: message.reply_count }) };
}
