import type { ExecutionQueue } from '../../src/core/ports/execution-queue';
import type { Logger } from '../../src/logging/logger';

/**
 * Takes run steps in the test process, right away: for core tests that are not about the
 * job queue (test/integration/execution uses the real pg-boss queue). A second enqueue of one
 * run is harmless because each step starts with a conditional claim.
 */
export class InlineQueue implements ExecutionQueue {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly advance: (runId: string) => Promise<void>,
    private readonly log: Logger,
    /** Waits for what the core does in the background (telling how a run ended). */
    private readonly background: () => Promise<void> = async () => undefined,
  ) {}

  async enqueue(runId: string): Promise<void> {
    const job = this.advance(runId)
      .catch((err: unknown) => this.log.error({ err, runId }, 'run step crashed'))
      .finally(() => this.running.delete(job));
    this.running.add(job);
  }

  /** Waits for the steps under way (and the ones they enqueue), then for the core's background work. */
  async drain(): Promise<void> {
    do {
      while (this.running.size) await Promise.all([...this.running]);
      await this.background();
    } while (this.running.size);
  }
}
