import type PgBoss from 'pg-boss';
import type { ExecutionQueue } from '../core/ports/execution-queue';
import type { Logger } from '../logging/logger';

/** The pg-boss queue of run steps. */
export const RUN_QUEUE = 'switchboard-run';

/** A step job's data. */
export interface RunJob {
  readonly runId: string;
}

/** States in which a job will not be delivered again. */
const FINISHED: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

/**
 * The execution queue over pg-boss. A job is a wake-up for a run's next step: the step itself
 * is claimed with a lease in Postgres, so duplicate jobs (two processes enqueueing, a sweep
 * re-sending) find nothing to do, and a job lost with its process is re-sent by the sweep.
 * A failing job (a database outage) is delivered again with backoff.
 */
export class PgBossRunQueue implements ExecutionQueue {
  private readonly localWorkers: string[] = [];
  /** Jobs this process enqueued that may not have finished yet. */
  private readonly pending = new Set<string>();

  constructor(
    private readonly boss: PgBoss,
    private readonly options: { jobExpirySeconds: number; retryLimit: number; retryDelaySeconds: number },
    private readonly log: Logger,
  ) {}

  async enqueue(runId: string): Promise<void> {
    const id = await this.boss.send(RUN_QUEUE, { runId } satisfies RunJob, {
      expireInSeconds: this.options.jobExpirySeconds,
      retryLimit: this.options.retryLimit,
      retryDelay: this.options.retryDelaySeconds,
      retryBackoff: this.options.retryDelaySeconds > 0,
    });
    if (!id) return;
    this.log.debug({ runId, jobId: id }, 'run step enqueued');
    this.pending.add(id);
    for (const worker of this.localWorkers) this.boss.notifyWorker(worker);
  }

  /** Whether any job this process enqueued is still waiting or running. */
  async hasUnfinished(): Promise<boolean> {
    for (const id of this.pending) {
      const job = await this.boss.getJobById<RunJob>(RUN_QUEUE, id, { includeArchive: true });
      if (!job || FINISHED.has(job.state)) this.pending.delete(id);
    }
    return this.pending.size > 0;
  }

  /** This process's workers, woken after an enqueue so the step starts without waiting for a poll. */
  addLocalWorker(workerId: string): void {
    this.localWorkers.push(workerId);
  }
}
