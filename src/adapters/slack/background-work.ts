import type { Logger } from '../../logging/logger';

/**
 * Work started after Slack has been acknowledged. Each job's failure is logged on the
 * job's own logger (never an unhandled rejection), and `idle()` lets a shutdown wait for
 * the jobs under way.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  /** Starts `job` without waiting for it. */
  start(log: Logger, what: string, job: () => Promise<void>): void {
    const run = job()
      .catch((err: unknown) => log.error({ err }, `${what} failed`))
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Resolves once every job started so far has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /**
   * Waits for the jobs under way, but no longer than `graceMs`: a deploy's kill timeout must
   * not be outlived by a backlog. Returns how many jobs were still running; their messages
   * are already stored.
   */
  async settle(graceMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([this.idle(), timeout]);
    clearTimeout(timer);
    return this.running.size;
  }
}
