import type { ExecutionQueue } from '../../src/core/ports/execution-queue';
import type { Logger } from '../../src/logging/logger';

/**
 * Runs approved requests in the test process, right away: for core tests that are not
 * about the job queue (test/integration/execution uses the real pg-boss queue). A second
 * enqueue of one id is harmless because the run starts with a conditional claim.
 */
export class InlineQueue implements ExecutionQueue {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly run: (requestId: string) => Promise<void>,
    private readonly log: Logger,
  ) {}

  async enqueue(requestId: string): Promise<void> {
    const job = this.run(requestId)
      .catch((err: unknown) => this.log.error({ err, requestId }, 'run crashed'))
      .finally(() => this.running.delete(job));
    this.running.add(job);
  }

  /** Waits for runs under way. */
  async drain(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }
}
