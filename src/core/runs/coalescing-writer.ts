import { epochMs, type Clock } from '../ports/clock';

/**
 * Writes the latest of a stream of states at most once per `minIntervalMs`, dropping
 * the stale ones in between, and always writes the final state. Progress edits use it
 * to stay within platform edit rates however fast a tool reports.
 */
export class CoalescingWriter<T> {
  private latest: { state: T } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  private lastWriteAt = 0;
  private finished = false;

  constructor(
    private readonly write: (state: T) => Promise<void>,
    private readonly minIntervalMs: number,
    private readonly onError: (error: unknown) => void,
    private readonly clock: Clock,
  ) {}

  /** Offers a new state; it is written now, later, or replaced by a newer one. */
  set(state: T): void {
    if (this.finished) return;
    this.latest = { state };
    if (this.timer) return;
    const wait = Math.max(0, this.lastWriteAt + this.minIntervalMs - epochMs(this.clock));
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, wait);
  }

  /** Writes `state` as the last word, after any write under way; later `set` calls are ignored. */
  async finish(state: T): Promise<void> {
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.latest = { state };
    await this.flush();
  }

  /** Drops whatever is waiting and ignores later states (the run was taken over elsewhere). */
  stop(): void {
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.latest = null;
  }

  private flush(): Promise<void> {
    this.inFlight = this.inFlight.then(async () => {
      const next = this.latest;
      if (!next) return;
      this.latest = null;
      this.lastWriteAt = epochMs(this.clock);
      try {
        await this.write(next.state);
      } catch (error) {
        this.onError(error);
      }
    });
    return this.inFlight;
  }
}
