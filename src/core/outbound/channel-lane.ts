import type { Logger } from '../../logging/logger';
import { NotInChannelError } from '../errors';
import { epochMs, type Clock } from '../ports/clock';
import type { OutboundKind, OutboundOutcome } from '../ports/metrics';
import { retryAdvice, type OutboundSettings } from './retry-advice';
import { TokenBucket } from './token-bucket';

/** One call waiting for its turn in a channel. */
interface Job {
  readonly kind: OutboundKind;
  /** 0 goes before 1. */
  priority: 0 | 1;
  /** Edits of one message share a key: a newer edit replaces a queued older one. */
  readonly messageKey: string | null;
  /** Takes no token of the channel's message budget (see LaneRequest.costless). */
  readonly costless: boolean;
  /** Arrival order; a replacing edit keeps the place of the one it replaced. */
  readonly seq: number;
  call: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  notBefore: number;
  failures: number;
  rateLimits: number;
}

/** How one attempt of a call went, for the metrics. */
export interface LaneAttempt {
  readonly kind: OutboundKind;
  readonly outcome: OutboundOutcome;
  readonly ms: number;
  /** The wait a 429 asked for. */
  readonly retryAfterMs?: number;
}

/** What a caller hands the lane besides the call itself. */
export interface LaneRequest {
  readonly kind: Job['kind'];
  readonly priority: 'high' | 'low';
  readonly messageKey?: string;
  /**
   * A call that is no message in the channel (a session status): it waits its turn, pauses
   * with the channel after a 429 and is retried like any call, but takes none of the
   * per-second budget that Slack's one-message-a-second limit sets. Default false.
   */
  readonly costless?: boolean;
}

/**
 * Everything the bot sends into one channel, one call at a time, within the channel's
 * budget: urgent calls (cards, replies, final states) before progress edits; a queued
 * edit replaced by a newer edit of the same message; at most one edit per message per
 * `editIntervalMs`; the whole channel paused for a 429's retry-after; failures retried a
 * bounded number of times and then thrown to the caller, never dropped silently.
 */
export class ChannelLane {
  private readonly queue: Job[] = [];
  private readonly bucket: TokenBucket;
  private readonly lastEditAt = new Map<string, number>();
  private busy = false;
  private timer: NodeJS.Timeout | null = null;
  private pausedUntil = 0;
  private seq = 0;

  constructor(
    private readonly settings: OutboundSettings,
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly onAttempt: (attempt: LaneAttempt) => void = () => undefined,
  ) {
    this.bucket = new TokenBucket(settings.burst, settings.perSecond, epochMs(clock));
  }

  submit<T>(request: LaneRequest, call: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const priority = request.priority === 'low' ? 1 : 0;
      const messageKey = request.messageKey ?? null;
      const replaced = messageKey ? this.queue.findIndex((j) => j.messageKey === messageKey) : -1;
      const seq = replaced >= 0 ? this.queue[replaced]!.seq : ++this.seq;
      if (replaced >= 0) {
        // The older state is stale: its caller is done, the newer edit carries the message.
        this.queue.splice(replaced, 1)[0]!.resolve(undefined);
      }
      const job: Job = { kind: request.kind, priority, messageKey, costless: request.costless ?? false, seq, call, resolve: resolve as (v: unknown) => void, reject, notBefore: 0, failures: 0, rateLimits: 0 };
      this.queue.push(job);
      this.pump();
    });
  }

  /**
   * Nothing queued, running or paused, and the budget fully refilled: dropping this lane
   * and making a new one later would behave exactly the same.
   */
  isIdle(now: number): boolean {
    return !this.busy && this.queue.length === 0 && this.pausedUntil <= now && this.lastEditAt.size === 0 && this.bucket.isFull(now);
  }

  private pump(): void {
    if (this.busy) return;
    // A newcomer may be able to go before whatever the timer waits for: look again.
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const now = epochMs(this.clock);
    const { job, wakeAt } = this.pick(now);
    if (job) {
      void this.run(job, now);
    } else if (wakeAt !== undefined) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.pump();
      }, wakeAt - now);
    }
  }

  /** The most urgent call that may go now, or when the earliest one may. */
  private pick(now: number): { job?: Job; wakeAt?: number } {
    const budgetReady = this.bucket.readyAt(now);
    let wakeAt: number | undefined;
    for (const job of [...this.queue].sort((a, b) => a.priority - b.priority || a.seq - b.seq)) {
      const at = Math.max(this.pausedUntil, job.costless ? 0 : budgetReady, job.notBefore, this.editReadyAt(job));
      if (at <= now) return { job };
      wakeAt = Math.min(wakeAt ?? at, at);
    }
    return { wakeAt };
  }

  private editReadyAt(job: Job): number {
    const last = job.messageKey ? this.lastEditAt.get(job.messageKey) : undefined;
    return last === undefined ? 0 : last + this.settings.editIntervalMs;
  }

  private async run(job: Job, now: number): Promise<void> {
    this.busy = true;
    this.queue.splice(this.queue.indexOf(job), 1);
    if (!job.costless) this.bucket.take(now);
    try {
      const value = await job.call();
      const endedAt = epochMs(this.clock);
      if (job.messageKey) this.lastEditAt.set(job.messageKey, endedAt);
      this.onAttempt({ kind: job.kind, outcome: 'ok', ms: endedAt - now });
      job.resolve(value);
    } catch (error) {
      this.failed(job, error, epochMs(this.clock) - now);
    } finally {
      this.busy = false;
      this.forgetOldEdits();
      this.pump();
    }
  }

  private failed(job: Job, error: unknown, ms: number): void {
    const advice = retryAdvice(error, job, this.settings);
    const about = { err: error, kind: job.kind, messageKey: job.messageKey, failures: job.failures, rateLimits: job.rateLimits };
    if (!advice.retry) {
      this.onAttempt({ kind: job.kind, outcome: 'failed', ms });
      // A channel the bot may not post in is the channel members' call, and the caller tells the person: no fault of ours.
      if (error instanceof NotInChannelError) this.log.warn(about, 'platform call failed; giving up');
      else this.log.error(about, 'platform call failed; giving up');
      return job.reject(error);
    }
    const retryAfterMs = advice.rateLimited ? advice.afterMs : undefined;
    if (job.messageKey && this.queue.some((j) => j.messageKey === job.messageKey)) {
      this.onAttempt({ kind: job.kind, outcome: 'superseded', ms, retryAfterMs });
      this.log.warn(about, 'platform call failed; a newer edit of the message replaces it');
      return job.resolve(undefined);
    }
    this.onAttempt({ kind: job.kind, outcome: advice.rateLimited ? 'rate_limited' : 'retrying', ms, retryAfterMs });
    const retryAt = epochMs(this.clock) + advice.afterMs;
    if (advice.rateLimited) {
      job.rateLimits += 1;
      this.pausedUntil = Math.max(this.pausedUntil, retryAt);
    } else {
      job.failures += 1;
    }
    job.notBefore = retryAt;
    this.log.warn({ ...about, retryInMs: advice.afterMs, rateLimited: advice.rateLimited }, 'platform call failed; retrying');
    this.queue.push(job);
  }

  /** Edit times matter only for one interval; dropping older ones keeps the map small. */
  private forgetOldEdits(): void {
    const horizon = epochMs(this.clock) - this.settings.editIntervalMs;
    for (const [key, at] of this.lastEditAt) if (at < horizon) this.lastEditAt.delete(key);
  }
}
