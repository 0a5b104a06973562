import type PgBoss from 'pg-boss';
import type { ExecutionQueue } from '../core/ports/execution-queue';
import type { Logger } from '../logging/logger';

/** The pg-boss queue approved requests wait in. */
export const RUN_QUEUE = 'switchboard-run';

/** A run job's data. */
export interface RunJob {
  readonly requestId: string;
}

/** States in which a job will not be delivered again. */
const FINISHED: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

/**
 * The execution queue over pg-boss. The job id is the request id, so concurrent enqueues
 * from any number of processes insert one job (pg-boss inserts with ON CONFLICT DO NOTHING).
 * A job's expiry is the run's longest time plus a margin: a worker that dies mid-run
 * leaves an active job that pg-boss fails after that and delivers again.
 */
export class PgBossRunQueue implements ExecutionQueue {
  private readonly localWorkers: string[] = [];
  /** Jobs this process enqueued that may not have finished yet. */
  private readonly pending = new Set<string>();

  constructor(
    private readonly boss: PgBoss,
    private readonly options: { expiryMarginMs: number; retryLimit: number; retryDelaySeconds: number },
    private readonly log: Logger,
  ) {}

  async enqueue(requestId: string, maxRunMs: number): Promise<void> {
    if (await this.send(requestId, maxRunMs)) return;
    // A job with this id exists. Waiting or running: it will do. Finished while its run
    // was left unfinished (the worker that ended the job had handed the run to another,
    // which then died): replace it so the run gets another delivery.
    const job = await this.boss.getJobById<RunJob>(RUN_QUEUE, requestId);
    if (!job || !FINISHED.has(job.state)) return;
    this.log.info({ requestId, state: job.state }, 'replacing the finished job of an unfinished run');
    await this.boss.deleteJob(RUN_QUEUE, requestId);
    await this.send(requestId, maxRunMs);
  }

  /** Whether any job this process enqueued is still waiting or running. */
  async hasUnfinished(): Promise<boolean> {
    for (const requestId of this.pending) {
      const job = await this.boss.getJobById<RunJob>(RUN_QUEUE, requestId, { includeArchive: true });
      if (!job || FINISHED.has(job.state)) this.pending.delete(requestId);
    }
    return this.pending.size > 0;
  }

  /** This process's workers, woken after an enqueue so the run starts without waiting for a poll. */
  addLocalWorker(workerId: string): void {
    this.localWorkers.push(workerId);
  }

  private async send(requestId: string, maxRunMs: number): Promise<boolean> {
    const id = await this.boss.send(RUN_QUEUE, { requestId } satisfies RunJob, {
      id: requestId,
      expireInSeconds: Math.max(1, Math.ceil((maxRunMs + this.options.expiryMarginMs) / 1000)),
      retryLimit: this.options.retryLimit,
      retryDelay: this.options.retryDelaySeconds,
      retryBackoff: this.options.retryDelaySeconds > 0,
    });
    if (!id) return false;
    this.log.info({ requestId }, 'run enqueued');
    this.pending.add(requestId);
    for (const worker of this.localWorkers) this.boss.notifyWorker(worker);
    return true;
  }
}
