import type { types, webApi } from '@slack/bolt';
import { PlatformError } from '../../core/errors';
import type { ThreadRef } from '../../core/model/conversation';
import type { Logger } from '../../logging/logger';
import { escapeMrkdwn } from './mrkdwn';
import { callSlack } from './slack-errors';

/** Who a stream outside a DM is shown to: Slack requires both (https://docs.slack.dev/reference/methods/chat.startStream). */
export interface Recipient {
  readonly recipient_user_id: string;
  readonly recipient_team_id: string;
}

/** What one call adds to a stream: the model's words (escaped here), task cards, or both. */
export interface StreamPiece {
  readonly markdown?: string;
  readonly tasks?: readonly types.TaskUpdateChunk[];
}

/** Slack's answer to an append after it ended the stream itself (a person's Stop, or minutes without appends). */
const ENDED_BY_SLACK = 'message_not_in_streaming_state';

/**
 * The Slack message a stream writes into now (chat.startStream, appendStream, stopStream). What was to be appended to a stream Slack ended on
 * its own starts a new one, so nothing a person may still be owed is lost. Task cards start
 * their stream as a timeline (task cards among the words).
 */
export class SlackStream {
  private ts: string | null = null;
  private first: string | null = null;
  /** Ended by the app for good: later pieces are dropped (a late task update after the run's answer). */
  private ended = false;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly where: ThreadRef,
    private readonly recipient: Recipient | null,
    private readonly log: Logger,
  ) {}

  /** Whether a stream is open to append to. */
  get isOpen(): boolean {
    return this.ts !== null;
  }

  /** The first stream message this started, once one is. */
  get firstTs(): string | null {
    return this.first;
  }

  /** Appends `piece` to the open stream, or starts one with it; nothing once the stream was ended. */
  async send(piece: StreamPiece): Promise<void> {
    if (this.ended) return;
    if (this.ts !== null) {
      try {
        await this.append(this.ts, piece);
        return;
      } catch (error) {
        if (!(error instanceof PlatformError) || error.context.slackError !== ENDED_BY_SLACK) throw error;
        this.log.info({ channel: this.where.channel, ts: this.ts }, 'Slack ended the stream; going on in a new one');
        this.ts = null;
      }
    }
    await this.start(piece);
  }

  /** Ends the stream for good, with the tasks' last states and `blocks` (👍/👎) below it. */
  async end(last: { readonly blocks?: readonly types.KnownBlock[]; readonly tasks?: readonly types.TaskUpdateChunk[] } = {}): Promise<void> {
    if (this.ended) return;
    await this.stopOpen(last);
    this.ended = true;
  }

  private async stopOpen(last: { readonly blocks?: readonly types.KnownBlock[]; readonly tasks?: readonly types.TaskUpdateChunk[] } = {}): Promise<void> {
    const ts = this.ts;
    if (ts === null) return;
    const { channel } = this.where;
    const extra = { ...(last.blocks && { blocks: [...last.blocks] }), ...(last.tasks?.length && { chunks: [...last.tasks] }) };
    try {
      await callSlack('chat.stopStream', { channel, ts }, () => this.client.chat.stopStream({ channel, ts, ...extra }));
    } catch (error) {
      if (!(error instanceof PlatformError) || error.context.slackError !== ENDED_BY_SLACK) throw error;
    }
    this.ts = null;
  }

  private async start(piece: StreamPiece): Promise<void> {
    const { channel } = this.where;
    const display = piece.tasks?.length ? { task_display_mode: 'timeline' } : {};
    const started = await callSlack('chat.startStream', { channel }, () =>
      this.client.chat.startStream({ channel, thread_ts: this.where.thread, ...content(piece), ...display, ...this.recipient }),
    );
    this.ts = started.ts!;
    this.first ??= this.ts;
  }

  private async append(ts: string, piece: StreamPiece): Promise<void> {
    const { channel } = this.where;
    await callSlack('chat.appendStream', { channel, ts }, () => this.client.chat.appendStream({ channel, ts, ...content(piece) }));
  }
}

/** Words alone as `markdown_text`; task cards (with any words after them) as `chunks`. */
function content(piece: StreamPiece): { markdown_text: string } | { chunks: types.AnyChunk[] } {
  const words = piece.markdown ? escapeMrkdwn(piece.markdown) : '';
  if (!piece.tasks?.length) return { markdown_text: words };
  return { chunks: [...piece.tasks, ...(words ? [{ type: 'markdown_text' as const, text: words }] : [])] };
}
