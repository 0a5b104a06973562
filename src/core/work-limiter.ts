/**
 * Runs at most `concurrency` tasks at once and starts the rest in order of arrival, so a
 * burst of events is acknowledged at once but answered steadily. Hand-written because p-limit
 * and p-queue are ESM-only, which jest cannot load: docs/development.md, "The work limiter".
 */
export class WorkLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`WorkLimiter concurrency must be a positive integer, got ${concurrency}`);
    }
  }

  /** Tasks started but not finished, and tasks waiting for a slot. */
  get load(): { active: number; queued: number } {
    return { active: this.active, queued: this.waiting.length };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
