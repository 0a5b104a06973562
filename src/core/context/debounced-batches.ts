/** Options for {@link DebouncedBatches}. */
export interface BatchTiming {
  /** A key's batch is handed over once no item has arrived for this long. */
  readonly quietMs: number;
  /** ...or at once when it holds this many items, so a busy key is not starved. */
  readonly maxItems: number;
}

interface OpenBatch<T> {
  readonly items: T[];
  timer?: NodeJS.Timeout;
  /** Resolves once this batch's run has finished, however it ended. */
  readonly settled: Promise<void>;
  readonly settle: () => void;
}

/**
 * Collects items per key and hands each key's batch to `run` after a quiet spell.
 * Runs of one key never overlap (the next waits for the previous, so it sees what that
 * one stored); runs of different keys do. State lives in memory: a batch still open
 * when the process dies is lost, so use this only for best-effort work.
 */
export class DebouncedBatches<T> {
  private readonly open = new Map<string, OpenBatch<T>>();
  private readonly tails = new Map<string, Promise<void>>();
  private readonly unsettled = new Set<Promise<void>>();

  constructor(
    /** Must not reject; a rejection is swallowed here so one key cannot stall the next. */
    private readonly run: (key: string, items: readonly T[]) => Promise<void>,
    private readonly timing: BatchTiming,
  ) {
    if (!(timing.quietMs >= 0)) throw new RangeError(`quietMs must be >= 0, got ${timing.quietMs}`);
    if (!(timing.maxItems >= 1)) throw new RangeError(`maxItems must be >= 1, got ${timing.maxItems}`);
  }

  add(key: string, item: T): void {
    const batch = this.open.get(key) ?? this.openBatch(key);
    batch.items.push(item);
    clearTimeout(batch.timer);
    if (batch.items.length >= this.timing.maxItems) return this.start(key);
    batch.timer = setTimeout(() => this.start(key), this.timing.quietMs);
    // A pending batch must not keep the process alive; shutdown calls flush().
    batch.timer.unref();
  }

  /** Resolves when no batch is open or running (open ones are waited for, not hurried). */
  async idle(): Promise<void> {
    while (this.unsettled.size > 0) await Promise.all([...this.unsettled]);
  }

  /** Starts every open batch now and waits for all runs to finish; for shutdown. */
  async flush(): Promise<void> {
    for (const key of [...this.open.keys()]) this.start(key);
    await this.idle();
  }

  private openBatch(key: string): OpenBatch<T> {
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const batch: OpenBatch<T> = { items: [], settled, settle };
    this.open.set(key, batch);
    this.unsettled.add(settled);
    void settled.then(() => this.unsettled.delete(settled));
    return batch;
  }

  private start(key: string): void {
    const batch = this.open.get(key);
    if (!batch) return;
    clearTimeout(batch.timer);
    this.open.delete(key);
    const previous = this.tails.get(key) ?? Promise.resolve();
    const tail = previous.then(() => this.run(key, batch.items)).catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
      batch.settle();
    });
  }
}
