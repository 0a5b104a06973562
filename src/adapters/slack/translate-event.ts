import type { Attachment } from '../../core/model/attachment';
import type { ThreadRef } from '../../core/model/conversation';
import type { HandleMessageOptions } from '../../core/ports/inbound';
import { slackTextToPlain } from './mrkdwn';
import { slackAttachments } from './slack-files';
import { slackThread } from './slack-where';

/** The fields of a Slack `message` or `app_mention` event the adapter reads. */
export interface SlackMessageEvent {
  readonly type: string;
  readonly subtype?: string;
  readonly channel: string;
  readonly channel_type?: string;
  readonly user?: string;
  readonly bot_id?: string;
  readonly text?: string;
  readonly ts: string;
  readonly thread_ts?: string;
  /** Files shared with the message (subtype `file_share`, or a mention with files). */
  readonly files?: unknown;
}

/** A message for the core, still without the author's name (looked up after the ack). */
export interface TranslatedMessage {
  readonly kind: 'message';
  readonly where: ThreadRef;
  readonly messageId: string;
  readonly userId: string;
  readonly text: string;
  readonly attachments: readonly Attachment[];
  readonly options: HandleMessageOptions;
}

export type Translation = TranslatedMessage | { readonly kind: 'ignore'; readonly why: string };

/** Subtypes that are still a person writing: a thread reply also sent to the channel, a message with a file. */
const PERSON_SUBTYPES = new Set(['thread_broadcast', 'file_share']);

/**
 * Decides what a Slack event means for the core, picking one event source per case so one
 * message is one turn: an `app_mention` for a mention in a channel (Slack also sends it as
 * a `message`, which is skipped), a `message` for a direct message, and a `message` in a
 * thread without a mention as a follow-up the core takes only in threads it knows.
 * Bots (itself included), edits, deletions and other housekeeping subtypes are ignored.
 */
export function translateEvent(event: SlackMessageEvent, ids: { team: string; botUserId: string | undefined }): Translation {
  const ignore = (why: string): Translation => ({ kind: 'ignore', why });
  if (!wellFormed(event)) return ignore('malformed event');
  if (event.bot_id !== undefined || event.subtype === 'bot_message') return ignore('bot message');
  if (event.subtype !== undefined && !PERSON_SUBTYPES.has(event.subtype)) return ignore(`subtype ${event.subtype}`);
  if (!event.user) return ignore('no author');
  if (event.user === ids.botUserId) return ignore('own message');
  const raw = event.text ?? '';
  const message = (options: HandleMessageOptions): Translation => ({
    kind: 'message',
    where: slackThread(ids.team, event.channel, event.thread_ts ?? event.ts),
    messageId: event.ts,
    userId: event.user!,
    text: withoutMention(raw, ids.botUserId),
    attachments: slackAttachments(event.files),
    options,
  });
  if (event.type === 'app_mention') return message({});
  if (event.channel_type === 'im') return message({});
  if (ids.botUserId && raw.includes(`<@${ids.botUserId}`)) return ignore('a mention: handled as app_mention');
  if (event.thread_ts !== undefined && event.thread_ts !== event.ts) return message({ onlyKnownThread: true });
  return ignore('channel message without a mention');
}

const REQUIRED_FIELDS = ['type', 'channel', 'ts'] as const;
const OPTIONAL_FIELDS = ['subtype', 'channel_type', 'user', 'bot_id', 'text', 'thread_ts'] as const;

/** Events are JSON from outside: a field of the wrong kind makes the event unreadable, not an exception later on. */
function wellFormed(event: SlackMessageEvent): boolean {
  return REQUIRED_FIELDS.every((f) => typeof event[f] === 'string') && OPTIONAL_FIELDS.every((f) => event[f] === undefined || typeof event[f] === 'string');
}

/** The text as typed, with the bot's own mention (`<@U123>` or `<@U123|name>`) removed. */
function withoutMention(text: string, botUserId: string | undefined): string {
  // Linear on any input. Leading spaces are taken only from the start of their run
  // (`(?<!\s)`): a bare `\s*` would rescan the run from each of its characters. A label
  // stops at `<` as well as `>` (Slack escapes both inside it): `[^>]*` would scan to the end
  // of the text from every unclosed `<@U…|`, quadratic in the message length.
  const mention = botUserId ? new RegExp(`(?:(?<!\\s)\\s+)?<@${botUserId}(?:\\|[^<>]*)?>\\s*`, 'g') : null;
  return slackTextToPlain(mention ? text.replace(mention, ' ') : text).trim();
}
