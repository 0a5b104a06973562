/**
 * Channels of the fake workspace as read_channel sees them: conversations.info (with the
 * workspace a channel belongs to), conversations.members and conversations.history, from
 * what the test says each channel holds.
 */
import type { Answer, Params } from './web-api-methods';
import { FAKE_WORKSPACE } from './workspace';

/** One channel of the fake; every field optional. */
export interface FakeChannelSpec {
  /** The workspace it belongs to (`context_team_id`). Default the fake's own, `T1`. */
  team?: string;
  /** Its members' user ids. Default: the bot and `U1`. */
  members?: string[];
  /** Whether the bot is a member. Default true. */
  botIsMember?: boolean;
  /** Its messages, oldest first; their ts count up from 1700000000. */
  history?: { user: string; text: string }[];
}

/** conversations.info, .members and .history over the channels in `channels` (others: the fake's workspace, the bot and U1 as members, no history). */
export function channelHandlers(channels: Record<string, FakeChannelSpec>): Record<string, (params: Params) => Answer> {
  const spec = (params: Params) => channels[String(params.channel)] ?? {};
  return {
    'conversations.info': (params) => ({ ok: true, channel: fakeChannel(String(params.channel), spec(params)) }),
    'conversations.members': (params) => {
      const members = spec(params).members ?? [FAKE_WORKSPACE.botUserId, 'U1'];
      return { ok: true, members: [...members], response_metadata: { next_cursor: '' } };
    },
    'conversations.history': (params) => {
      const channel = spec(params);
      if (channel.botIsMember === false) return { ok: false, error: 'not_in_channel' };
      const oldest = Number(params.oldest ?? 0);
      const messages = (channel.history ?? []).map((m, i) => ({ type: 'message', user: m.user, text: m.text, ts: `${1_700_000_000 + i}.000100` }));
      const newestFirst = messages.filter((m) => Number(m.ts) > oldest).reverse().slice(0, Number(params.limit ?? 100));
      return { ok: true, messages: newestFirst, has_more: false };
    },
  };
}

function fakeChannel(id: string, spec: FakeChannelSpec): Record<string, unknown> {
  // Slack's id prefixes: D for a direct message, G for a (legacy) private channel, C otherwise.
  const isIm = id.startsWith('D');
  return {
    id,
    name: isIm ? undefined : `channel-${id.toLowerCase()}`,
    is_channel: !isIm,
    is_im: isIm,
    is_private: isIm || id.startsWith('G'),
    is_member: spec.botIsMember ?? true,
    is_archived: false,
    context_team_id: spec.team ?? FAKE_WORKSPACE.teamId,
  };
}
