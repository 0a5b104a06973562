import type { Logger } from '../../logging/logger';
import type { ExecutionQueue } from '../ports/execution-queue';

/**
 * Runs approved requests in this process, right away. Enough for the console and a
 * single process; a second enqueue of one id is harmless because the run itself starts
 * with a conditional approved → running update.
 */
export class InProcessQueue implements ExecutionQueue {
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

  /** Waits for runs under way (shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.all([...this.running]);
  }
}
