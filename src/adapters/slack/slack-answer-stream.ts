import type { types, webApi } from '@slack/bolt';
import { text, type FeedbackMark } from '../../core/model/card';
import type { ThreadRef } from '../../core/model/conversation';
import type { AnswerStream, PostedMessage } from '../../core/ports/chat-platform';
import { PlatformError } from '../../core/errors';
import { MessageChain } from '../../core/text/message-chain';
import type { Logger } from '../../logging/logger';
import { SLACK_BUDGETS, SLACK_LIMITS } from './limits';
import { escapeMrkdwn } from './mrkdwn';
import { renderFeedbackBlock } from './render-feedback';
import { renderMessages } from './render-message';
import { callSlack } from './slack-errors';
import { SlackStream, type Recipient } from './slack-stream';
import { CHANNEL_LEVEL, threadTs } from './slack-where';

/**
 * An answer streamed into a Slack thread (chat.startStream / appendStream / stopStream), going
 * on in a new stream past 4,000 characters, written after the run's task cards when given them,
 * and posted then edited where Slack refuses to stream. Text counts as shown once Slack took it.
 * Details: docs/development.md, "Streamed answers on Slack".
 */
export class SlackAnswerStream implements AnswerStream {
  private shown = '';
  private readonly stream: SlackStream;
  private edits: MessageChain | null = null;
  /** Set by `finish` for an answer that asks for feedback, when Slack would not stream it. */
  private rated: { readonly feedback: FeedbackMark; readonly wholeText: string } | undefined;

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
    if (where.thread === CHANNEL_LEVEL) this.edits = this.editedMessages();
  }

  async show(textSoFar: string): Promise<void> {
    if (!this.edits) {
      try {
        return await this.streamText(textSoFar.slice(this.shown.length));
      } catch (error) {
        if (this.stream.firstTs !== null || !isRefusal(error)) throw error;
        this.log.info({ err: error, channel: this.where.channel }, 'Slack refused to stream; the answer is edited in place instead');
        this.edits = this.editedMessages();
      }
    }
    await this.edits.show(textSoFar);
    this.shown = textSoFar;
  }

  async finish(wholeText: string, feedback?: FeedbackMark): Promise<PostedMessage> {
    await this.show(wholeText);
    if (!this.edits) await this.stream.end({ tasks: this.lastTasks(), ...(feedback && { blocks: [renderFeedbackBlock(feedback.messageId)] }) });
    else if (feedback) {
      this.rated = { feedback, wholeText };
      await this.edits.show(wholeText, true);
    }
    const messageId = this.stream.firstTs ?? this.edits?.firstId;
    if (!messageId) throw new PlatformError('nothing_posted', 'a streamed answer showed no Slack message', { channel: this.where.channel, retryable: false });
    return { where: this.where, messageId };
  }

  /** Sends `fresh` in calls of at most 12,000 characters, starting a new stream when the current one is full. */
  private async streamText(fresh: string): Promise<void> {
    let rest = fresh;
    while (rest !== '') {
      // Only words count: a run's task cards in the same stream are not text of the message.
      if (this.stream.isOpen && this.stream.chars >= SLACK_BUDGETS.streamedMessage) await this.stream.stop();
      const room = Math.min(SLACK_LIMITS.streamText, SLACK_BUDGETS.streamedMessage - (this.stream.isOpen ? this.stream.chars : 0));
      const piece = escapedHead(rest, room);
      await this.stream.send({ markdown: piece });
      this.shown += piece;
      rest = rest.slice(piece.length);
    }
  }

  private editedMessages(): MessageChain {
    const { channel } = this.where;
    return new MessageChain((answer) => renderMessages(text(answer)).map((content) => content.text), {
      post: async (piece) => {
        const posted = await callSlack('chat.postMessage', { channel }, () => this.client.chat.postMessage({ channel, ...threadTs(this.where), text: piece }));
        return posted.ts!;
      },
      edit: async (ts, piece, last) => {
        // The edit that ends a rated answer renders its last part as a posted one (split alike): with 👍/👎.
        const rated = last && this.rated ? renderMessages({ ...text(this.rated.wholeText), feedback: this.rated.feedback }).at(-1) : undefined;
        const content = rated ?? { text: piece, blocks: [] };
        await callSlack('chat.update', { channel, ts }, () => this.client.chat.update({ channel, ts, ...content }));
      },
    });
  }
}

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
