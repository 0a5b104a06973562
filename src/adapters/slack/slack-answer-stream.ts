import type { types, webApi } from '@slack/bolt';
import { text, type FeedbackMark } from '../../core/model/card';
import type { ThreadRef } from '../../core/model/conversation';
import type { AnswerStream, PostedMessage } from '../../core/ports/chat-platform';
import { PlatformError } from '../../core/errors';
import type { Logger } from '../../logging/logger';
import { answerFile, SHOWN_PART_POINTER } from '../../core/model/outbound-file';
import { SLACK_BUDGETS, SLACK_LIMITS } from './limits';
import { escapeMrkdwn } from './mrkdwn';
import { renderFeedbackBlock } from './render-feedback';
import { renderMessage, type SlackContent } from './render-message';
import { callSlack } from './slack-errors';
import { uploadToThread } from './slack-upload';
import { SlackStream, type Recipient } from './slack-stream';
import { CHANNEL_LEVEL, threadTs } from './slack-where';

/**
 * An answer streamed into a Slack thread (chat.startStream / appendStream / stopStream), at most
 * 4,000 characters shown, then a pointer to a file of the whole answer; written after the run's
 * task cards when given them; posted then edited where Slack refuses to stream. Text counts as
 * shown once Slack took it. Details: docs/development.md, "Long answers and files".
 */
export class SlackAnswerStream implements AnswerStream {
  private shown = '';
  private readonly stream: SlackStream;
  /** The fallback's one message, once posted, and the text it shows; null while streaming. */
  private edited: { ts: string | null; text: string } | null = null;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly where: ThreadRef,
    recipient: Recipient | null,
    private readonly log: Logger,
    /** The stream of a run's task cards to write after; default a stream of the answer's own. */
    into?: SlackStream,
    /** The task cards' last changes, sent as the stream ends. */
    private readonly lastTasks: () => types.TaskUpdateChunk[] = () => [],
  ) {
    this.stream = into ?? new SlackStream(client, where, recipient, log);
    if (where.thread === CHANNEL_LEVEL) this.edited = { ts: null, text: '' };
  }

  async show(textSoFar: string): Promise<void> {
    const head = headOf(textSoFar, SLACK_BUDGETS.streamedMessage);
    if (!this.edited) {
      try {
        return await this.streamText(head.slice(this.shown.length));
      } catch (error) {
        if (this.stream.firstTs !== null || !isRefusal(error)) throw error;
        this.log.info({ err: error, channel: this.where.channel }, 'Slack refused to stream; the answer is edited in place instead');
        this.edited = { ts: null, text: '' };
      }
    }
    await this.showEdited({ text: escapeMrkdwn(head || EMPTY) });
    this.shown = head;
  }

  async finish(wholeText: string, feedback?: FeedbackMark): Promise<PostedMessage> {
    await this.show(wholeText);
    const outgrown = wholeText.length > this.shown.length;
    const blocks = feedback ? [renderFeedbackBlock(feedback.messageId)] : undefined;
    if (!this.edited) {
      if (outgrown) await this.stream.send({ markdown: SHOWN_PART_POINTER });
      await this.stream.end({ tasks: this.lastTasks(), ...(blocks && { blocks }) });
    } else {
      const shown = outgrown ? this.shown + SHOWN_PART_POINTER : this.shown;
      await this.showEdited(feedback ? renderMessage({ ...text(shown), feedback }) : { text: escapeMrkdwn(shown || EMPTY), blocks: [] }, true);
    }
    if (outgrown) await uploadToThread(this.client, this.where, { ...answerFile(wholeText), comment: '' });
    const messageId = this.stream.firstTs ?? this.edited?.ts;
    if (!messageId) throw new PlatformError('nothing_posted', 'a streamed answer showed no Slack message', { channel: this.where.channel, retryable: false });
    return { where: this.where, messageId };
  }

  /** Sends `fresh` in calls of at most 12,000 characters (escaped). */
  private async streamText(fresh: string): Promise<void> {
    let rest = fresh;
    while (rest !== '') {
      const piece = escapedHead(rest, SLACK_LIMITS.streamText);
      await this.stream.send({ markdown: piece });
      this.shown += piece;
      rest = rest.slice(piece.length);
    }
  }

  /** Posts the fallback's message, or edits it when what it shows changed (`force`: its buttons did). */
  private async showEdited(content: SlackContent, force = false): Promise<void> {
    const edited = this.edited!;
    const { channel } = this.where;
    if (edited.ts === null) {
      const posted = await callSlack('chat.postMessage', { channel }, () => this.client.chat.postMessage({ channel, ...threadTs(this.where), ...content }));
      edited.ts = posted.ts!;
    } else if (force || edited.text !== content.text) {
      const ts = edited.ts;
      await callSlack('chat.update', { channel, ts }, () => this.client.chat.update({ channel, ts, blocks: [], ...content }));
    }
    edited.text = content.text;
  }
}

/** Slack refuses an empty message; an answer not yet written shows as an ellipsis. */
const EMPTY = '…';

/** Slack said no for good (an `ok:false` error code), as opposed to a 429, a 5xx or the network. */
function isRefusal(error: unknown): boolean {
  return error instanceof PlatformError && error.context.retryable === false;
}

/**
 * The head of `rest` within `room` characters that still fits one streaming call once escaped:
 * the model's words are sent escaped, as in every other message, so they cannot become a
 * mention such as `<!channel>` (each `&` grows by four characters).
 */
function escapedHead(rest: string, room: number): string {
  let piece = headOf(rest, room);
  for (let over = escapeMrkdwn(piece).length - SLACK_LIMITS.streamText; over > 0; over = escapeMrkdwn(piece).length - SLACK_LIMITS.streamText) {
    piece = headOf(rest, piece.length - Math.ceil(over / 4));
  }
  return piece;
}

/**
 * At most `room` characters of `text`: when it must be cut, after the last line break or
 * space in the second half of the room if there is one (the next stream starts a new
 * message), never between the two halves of a surrogate pair.
 */
function headOf(text: string, room: number): string {
  if (text.length <= room) return text;
  const window = text.slice(0, room);
  const space = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
  if (space >= room / 2) return window.slice(0, space + 1);
  const code = text.charCodeAt(room - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? room - 1 : room);
}
