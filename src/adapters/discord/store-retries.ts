import type { Logger } from '../../logging/logger';

/** How often, and for how long, a message whose store failed is tried again. */
export interface StoreRetryOptions {
  /** Messages waiting for another try at most; a failure beyond that is given up at once. Default 200. */
  readonly maxWaiting?: number;
  /** The wait before the second try; each further wait doubles. Default 1 s. */
  readonly firstDelayMs?: number;
  /** The longest wait between two tries. Default 30 s. */
  readonly maxDelayMs?: number;
  /** No try starts later than this after the first. Default 2 minutes. */
  readonly giveUpAfterMs?: number;
}

const DEFAULTS: Required<StoreRetryOptions> = { maxWaiting: 200, firstDelayMs: 1000, maxDelayMs: 30_000, giveUpAfterMs: 120_000 };

/** One message waiting for its next try. */
interface Waiting<T> {
  readonly item: T;
  readonly firstTriedAt: number;
  tries: number;
  /** Set while it waits for its next try; unset while a try is under way. */
  timer?: NodeJS.Timeout;
}

/**
 * Messages whose store failed, tried again with exponential backoff, bounded in number and
 * in time. Discord never delivers a gateway message again, so without this a database
 * outage would lose every message sent during it. A message that runs out of tries (or
 * finds no room, or is still waiting at `stop()`) goes to `giveUp`, which tells its channel.
 */
export class StoreRetries<T> {
  private readonly waiting = new Map<string, Waiting<T>>();
  private readonly options: Required<StoreRetryOptions>;
  /** Tries and give-ups under way, for stop() to wait for. */
  private readonly underWay = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly tryAgain: (item: T) => Promise<void>,
    private readonly giveUp: (item: T) => Promise<void>,
    private readonly log: Logger,
    options: StoreRetryOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Takes a message whose first try just failed; `key` names it (a message id). */
  add(key: string, item: T): void {
    if (this.stopped || this.waiting.size >= this.options.maxWaiting) {
      this.log.warn({ key, waiting: this.waiting.size, stopped: this.stopped }, 'no room to try a message again: given up');
      return this.abandon(item);
    }
    const entry: Waiting<T> = { item, firstTriedAt: Date.now(), tries: 1 };
    this.waiting.set(key, entry);
    this.schedule(key, entry);
  }

  /** Stops trying: messages waiting are given up now, a try under way gets its answer first. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const [key, entry] of this.waiting) {
      if (entry.timer === undefined) continue;
      clearTimeout(entry.timer);
      this.end(key, entry, 'stopping: message given up');
    }
    while (this.underWay.size > 0) await Promise.allSettled([...this.underWay]);
  }

  private schedule(key: string, entry: Waiting<T>): void {
    const { firstDelayMs, maxDelayMs, giveUpAfterMs } = this.options;
    const delay = Math.min(firstDelayMs * 2 ** (entry.tries - 1), maxDelayMs);
    if (this.stopped || Date.now() + delay - entry.firstTriedAt > giveUpAfterMs) return this.end(key, entry, 'message still not stored after its last try: given up');
    entry.timer = setTimeout(() => this.track(this.attempt(key, entry)), delay);
  }

  private async attempt(key: string, entry: Waiting<T>): Promise<void> {
    entry.timer = undefined;
    entry.tries += 1;
    try {
      await this.tryAgain(entry.item);
      this.waiting.delete(key);
      this.log.info({ key, tries: entry.tries }, 'message stored on a later try');
    } catch (err) {
      this.log.debug({ err, key, tries: entry.tries }, 'message still not stored');
      this.schedule(key, entry);
    }
  }

  private end(key: string, entry: Waiting<T>, why: string): void {
    this.waiting.delete(key);
    this.log.warn({ key, tries: entry.tries }, why);
    this.abandon(entry.item);
  }

  private abandon(item: T): void {
    this.track(this.giveUp(item).catch((err: unknown) => this.log.error({ err }, 'could not tell the channel a message was given up')));
  }

  private track(work: Promise<void>): void {
    this.underWay.add(work);
    void work.finally(() => this.underWay.delete(work));
  }
}
