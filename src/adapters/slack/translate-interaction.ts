import type { BlockAction, ButtonAction, SlashCommand } from '@slack/bolt';
import type { ThreadRef } from '../../core/model/conversation';
import type { IncomingAction, IncomingCommand } from '../../core/model/incoming';
import { slackTextToPlain } from './mrkdwn';
import { CHANNEL_LEVEL, isDirectMessageChannel, slackThread } from './slack-where';

/** A button click, still without the clicker's name (looked up after the ack). */
export interface TranslatedClick {
  readonly action: Omit<IncomingAction, 'user'>;
  /** Where a private answer goes: the clicked message's thread, or the channel for a top-level message. */
  readonly replyWhere: ThreadRef;
  /** The clicked message was ephemeral: it can only be answered (and replaced) through the response URL. */
  readonly onEphemeral: boolean;
}

/** A payload field when it is text. Payloads are JSON from outside: a field of another kind counts as missing. */
const textOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** What a click on one of our buttons asks; null when Slack sent no channel or message (not a message button). */
export function translateClick(body: BlockAction, action: ButtonAction, team: string): TranslatedClick | null {
  const container = (body.container ?? {}) as { channel_id?: unknown; message_ts?: unknown; thread_ts?: unknown; is_ephemeral?: unknown };
  const channel = textOf(body.channel?.id) ?? textOf(container.channel_id);
  const messageTs = textOf(body.message?.ts) ?? textOf(container.message_ts);
  if (!channel || !messageTs || typeof action.action_id !== 'string') return null;
  const parent = textOf(body.message?.thread_ts) ?? textOf(container.thread_ts);
  const onEphemeral = container.is_ephemeral === true;
  return {
    action: {
      where: slackThread(team, channel, parent ?? messageTs),
      messageId: messageTs,
      actionId: action.action_id,
      value: textOf(action.value) ?? '',
      // Only the person it was shown to sees (and can click) an ephemeral message (a `pending`
      // list) or a message in their DM with the bot (a reminder): the clicker's own surface.
      ...(onEphemeral || isDirectMessageChannel(channel) ? { privateSurface: { workspace: team } } : {}),
    },
    replyWhere: slackThread(team, channel, parent ?? CHANNEL_LEVEL),
    onEphemeral,
  };
}

/** A home view belongs to no channel; its clicks carry this in place of one. */
export const HOME_CHANNEL = '';

/**
 * A click on a button in the clicker's App Home (a view of type `home`, which Slack shows to
 * its owner alone): an inbox click in `team`. Null when the click came from anywhere else.
 */
export function translateHomeClick(body: BlockAction, action: ButtonAction, team: string): Omit<IncomingAction, 'user'> | null {
  const view = (body.view ?? {}) as { type?: unknown; id?: unknown };
  if (view.type !== 'home' || typeof action.action_id !== 'string' || team === '') return null;
  return {
    where: slackThread(team, HOME_CHANNEL, CHANNEL_LEVEL),
    messageId: textOf(view.id) ?? '',
    actionId: action.action_id,
    value: textOf(action.value) ?? '',
    privateSurface: { workspace: team },
  };
}

/**
 * The app's slash commands: `/switchboard <command> [args]` reaches every core command
 * (plain `/switchboard` is help); `/context [args]` is a shortcut for the context command.
 * A null name means "the first word of the text".
 */
export const SLASH_COMMANDS: ReadonlyMap<string, string | null> = new Map([
  ['/switchboard', null],
  ['/context', 'context'],
]);

/**
 * A slash command as a core command, without the user's name. Slack sends no thread, so answers go to the channel.
 * Null when a field is not text (a form field sent twice arrives as a list).
 */
export function translateCommand(payload: Pick<SlashCommand, 'command' | 'text' | 'team_id' | 'channel_id'>): Omit<IncomingCommand, 'user'> | null {
  const { command, team_id: team, channel_id: channel, text: raw = '' } = payload;
  if (![command, team, channel, raw].every((value) => typeof value === 'string')) return null;
  const where = slackThread(team, channel, CHANNEL_LEVEL);
  const text = slackTextToPlain(raw).trim();
  // A Map: a command named like an Object.prototype key (`valueOf`) is no fixed command.
  const fixed = SLASH_COMMANDS.get(command);
  if (fixed) return { where, name: fixed, args: text };
  // `/switchboard !run ...` works too: people type what they would type as a message.
  const [, name = 'help', args = ''] = /^!?(\S+)\s*([\s\S]*)$/.exec(text) ?? [];
  return { where, name: name.toLowerCase(), args: args.trim() };
}
