import type { IncomingAction } from '../../core/model/incoming';
import { parseJsonObject } from '../../core/text/json-object';
import { slackThread } from './slack-where';
import type { TranslatedClick } from './translate-interaction';

/**
 * The click a form came from, as a modal's private_metadata carries it to the submission:
 * the action without its user (the submitter is read from the signed submission, never
 * from here) and where private answers go.
 */
export type FormOrigin = Pick<TranslatedClick, 'action' | 'replyWhere'>;

/** Bumped when the fields change, so a modal opened by an older deploy is recognised as out of date. */
const VERSION = 1;

interface Encoded {
  readonly version: number;
  readonly actionId: string;
  readonly value: string;
  readonly workspace: string;
  readonly channel: string;
  readonly thread: string;
  readonly messageId: string;
  readonly replyThread: string;
}

const FIELDS = ['actionId', 'value', 'workspace', 'channel', 'thread', 'messageId', 'replyThread'] as const;

/** The origin as private_metadata (a few hundred characters of JSON; the renderer checks Slack's 3,000). */
export function encodeFormOrigin({ action, replyWhere }: FormOrigin): string {
  const { actionId, value, messageId, where } = action;
  const encoded: Encoded = { version: VERSION, actionId, value, workspace: where.workspace, channel: where.channel, thread: where.thread, messageId, replyThread: replyWhere.thread };
  return JSON.stringify(encoded);
}

/** The origin back from private_metadata; null when it is not one this version wrote. */
export function decodeFormOrigin(raw: string): FormOrigin | null {
  const parsed = parseJsonObject(raw);
  if (!parsed || parsed.version !== VERSION || !FIELDS.every((f) => typeof parsed[f] === 'string')) return null;
  const e = parsed as unknown as Encoded;
  const action: Omit<IncomingAction, 'user'> = { where: slackThread(e.workspace, e.channel, e.thread), messageId: e.messageId, actionId: e.actionId, value: e.value };
  return { action, replyWhere: slackThread(e.workspace, e.channel, e.replyThread) };
}
