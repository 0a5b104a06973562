import type { Logger } from '../../logging/logger';
import { SystemError } from '../errors';
import { text, type FeedbackMark } from '../model/card';
import type { ThreadRef } from '../model/conversation';
import type { AnswerStream, ChatPlatform, ClearWorking, PostedMessage } from '../ports/chat-platform';
import type { LiveTimings } from '../core-deps';

/** Defaults: 250 ms of text held, the working hint after 150 ms without text. */
export const DEFAULT_LIVE_TIMINGS: LiveTimings = { bufferMs: 250, workingAfterMs: 150 };

/**
 * One model completion's answer on its way to the thread. Before the first text, after
 * `workingAfterMs`, the platform shows the bot is working. Text is held for `bufferMs` from
 * its first piece: a completion that ends by then is posted once; after that the platform's
 * stream (where it has one) shows the text as it comes. An answer given a stream already open
 * (`into`: a run's task stream) shows there, and always ends there, even when posted at once. Pass
 * {@link onText} to the model, then end with one of `finish`, `settle`, `fail` or `end`.
 */
export class LiveAnswer {
  private received = '';
  private stream: AnswerStream | null = null;
  private workingTimer: NodeJS.Timeout | null = null;
  private openTimer: NodeJS.Timeout | null = null;
  /** The working hint shown, and how to take it away (where it does not go by itself). */
  private hint: Promise<ClearWorking | void> | null = null;
  private ended = false;

  /**
   * `working`: the message answered, which the working hint may mark; null where something
   * else already shows the bot at work (a run's progress message). `into`: where the words go
   * instead of a stream of their own, which `settle` leaves open.
   */
  constructor(
    private readonly platform: ChatPlatform,
    private readonly where: ThreadRef,
    private readonly recipientUserId: string,
    private readonly timings: LiveTimings,
    private readonly log: Logger,
    private readonly working: { readonly replyTo: string | null } | null,
    private readonly into: AnswerStream | null = null,
  ) {
    if (working && platform.showWorking) this.workingTimer = setTimeout(() => this.showWorking(), timings.workingAfterMs);
  }

  /** The model's `onText`: each piece of the answer as it arrives. */
  readonly onText = (delta: string): void => {
    if (this.ended || delta === '') return;
    this.received += delta;
    this.clearWorkingTimer();
    if (this.stream) return this.show();
    // Blank space alone is nothing to show (the model may go straight on to tool calls).
    if (!this.openTimer && (this.into || this.platform.streamAnswer) && this.received.trim() !== '') {
      this.openTimer = setTimeout(() => this.open(), this.timings.bufferMs);
    }
  };

  /** Whether the answer is being shown as it comes: it then stands in the thread, whatever follows. */
  get streaming(): boolean {
    return this.stream !== null;
  }

  /** Everything the model has written so far. */
  get text(): string {
    return this.received;
  }

  /**
   * Shows the answer: a stream ends with exactly what the model wrote, then `note` when given;
   * otherwise `body` (those words, perhaps trimmed, and the note) is posted once. `feedback` puts 👍/👎 on it.
   */
  async finish(body: string, note: string | null = null, feedback?: FeedbackMark): Promise<PostedMessage> {
    this.end();
    if (this.stream) return this.stream.finish(note ? `${this.received}\n\n${note}` : this.received, feedback);
    if (this.into) return this.into.finish(body, feedback);
    return this.platform.post(this.where, { ...text(body), ...(feedback && { feedback }) });
  }

  /**
   * Ends a stream, if one began, with what the model wrote: words that came with tool calls,
   * or an answer whose run did not end with it, stand in the thread as they are. A platform
   * that refuses is logged, not thrown: the turn or run goes on regardless.
   */
  async settle(): Promise<void> {
    this.end();
    if (!this.stream) return;
    // Words written into a stream that goes on (a run's tasks) stand before what comes next there.
    const ending = this.stream === this.into ? this.stream.show(this.received) : this.stream.finish(this.received);
    await ending.catch((err: unknown) => this.log.warn({ err, where: this.where }, 'streamed words not ended'));
  }

  /** The model failed mid-answer: the stream ends with everything it wrote and then `note`. Only when {@link streaming}. */
  fail(note: string): Promise<PostedMessage> {
    if (!this.stream) throw new SystemError('not_streaming', 'only a streamed answer can be cut short');
    return this.finish('', note);
  }

  /** Stops the timers; later text is ignored. */
  end(): void {
    this.ended = true;
    this.clearWorkingTimer();
    if (this.openTimer) clearTimeout(this.openTimer);
    this.openTimer = null;
  }

  private open(): void {
    this.openTimer = null;
    if (this.ended) return;
    this.stream = this.into ?? this.platform.streamAnswer!(this.where, this.recipientUserId);
    this.show();
  }

  private show(): void {
    // A show that failed after its retries is not fatal: the end of the stream says the whole text.
    this.stream!.show(this.received).catch((err: unknown) => this.log.warn({ err, where: this.where }, 'streamed answer not updated'));
  }

  private showWorking(): void {
    this.workingTimer = null;
    this.hint = this.platform.showWorking!(this.where, this.working?.replyTo ?? null).catch((err: unknown) => this.log.debug({ err, where: this.where }, 'working hint not shown'));
  }

  /** The hint goes once text shows or the answer ends, however it ends. */
  private clearWorkingTimer(): void {
    if (this.workingTimer) clearTimeout(this.workingTimer);
    this.workingTimer = null;
    const hint = this.hint;
    this.hint = null;
    hint?.then((clear) => clear?.()).catch((err: unknown) => this.log.debug({ err, where: this.where }, 'working hint not cleared'));
  }
}
