import type { Logger } from '../logging/logger';

/**
 * Work the core starts and does not wait for (telling people how a run ended, through the
 * paced outbound lane): each failure is logged, never an unhandled rejection, and `idle()`
 * lets a shutdown or a test wait for what is under way.
 */
export class Background {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: Logger) {}

  start(what: string, work: () => Promise<void>): void {
    const run = work()
      .catch((err: unknown) => this.log.error({ err }, `${what} failed`))
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Resolves once every piece of work started so far (and any it started) has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
