import type { Clock } from '../../src/core/ports/clock';

/**
 * A system clock whose waits (the core's deadlines) end only when the test says so: a test
 * about a deadline decides which operation misses it instead of racing a timer.
 */
export class HeldDeadlines {
  private readonly waiting = new Set<() => void>();

  /** The clock to give the core: real time, held waits. */
  readonly clock: Clock = {
    now: () => new Date(),
    sleep: (_ms, signal) =>
      new Promise<void>((resolve, reject) => {
        const end = () => (this.waiting.delete(end), resolve());
        this.waiting.add(end);
        signal.addEventListener('abort', () => (this.waiting.delete(end), reject(signal.reason)), { once: true });
      }),
  };

  /** How many waits are running now. */
  get pending(): number {
    return this.waiting.size;
  }

  /** Ends every wait running now, as if its time had come. */
  expireAll(): void {
    for (const end of [...this.waiting]) end();
  }
}
