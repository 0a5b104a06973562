import type PgBoss from 'pg-boss';
import type { ExecutionQueue } from '../core/ports/execution-queue';
import { WorkLimiter } from '../core/work-limiter';
import type { Logger } from '../logging/logger';

/** The pg-boss queue of run steps. */
export const RUN_QUEUE = 'switchboard-run';

/** A step job's data. */
export interface RunJob {
  readonly runId: string;
}

/** How jobs are sent and retried. */
export interface RunQueueOptions {
  readonly jobExpirySeconds: number;
  readonly retryLimit: number;
  readonly retryDelaySeconds: number;
}

/** States in which a job will not be delivered again. */
const FINISHED: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

/**
 * The execution queue over pg-boss. A wake-up is only that: the step itself is claimed with a
 * lease in Postgres, so a duplicate wake-up (two processes, a sweep re-sending) finds nothing
 * to do, and one lost with its process is re-sent by the liveness sweep. So a wake-up this
 * process can take at once, with a worker slot free, is taken in process: no job row, no
 * poll, no round trips through pg-boss (four statements a step). Otherwise it becomes a job
 * any process's worker takes. Both kinds share this process's `WORKER_CONCURRENCY` slots.
 */
export class PgBossRunQueue implements ExecutionQueue {
  private readonly localWorkers: string[] = [];
  /** Jobs this process sent that may not have finished yet. */
  private readonly sent = new Set<string>();
  /** Steps this process runs without a job. */
  private readonly inProcess = new Set<Promise<void>>();
  private slots: { limiter: WorkLimiter; size: number; step: (runId: string) => Promise<void> } | null = null;

  constructor(
    private readonly boss: PgBoss,
    private readonly options: RunQueueOptions,
    private readonly log: Logger,
  ) {}

  /** Lets this process take steps: `step` with at most `size` at once. Until then every wake-up is a job. */
  startWorking(size: number, step: (runId: string) => Promise<void>): void {
    this.slots = { limiter: new WorkLimiter(size), size, step };
  }

  /** Stops taking wake-ups in process; steps under way go on. */
  stopWorking(): void {
    this.slots = null;
  }

  async enqueue(runId: string): Promise<void> {
    const slots = this.slots;
    const { active, queued } = slots?.limiter.load ?? { active: 0, queued: 0 };
    if (slots && active + queued < slots.size) return this.stepInProcess(slots, runId);
    await this.send(runId, 0);
  }

  /** Runs one job's step in a slot (a job's worker calls this). */
  runJob(runId: string): Promise<void> {
    if (!this.slots) throw new Error('the run queue is not working');
    const { limiter, step } = this.slots;
    return limiter.run(() => step(runId));
  }

  /** Whether any step this process started or sent is still waiting or running. */
  async hasUnfinished(): Promise<boolean> {
    if (this.inProcess.size) return true;
    for (const id of this.sent) {
      const job = await this.boss.getJobById<RunJob>(RUN_QUEUE, id, { includeArchive: true });
      if (!job || FINISHED.has(job.state)) this.sent.delete(id);
    }
    return this.sent.size > 0;
  }

  /** Resolves once the steps this process runs without a job have ended. */
  async settled(): Promise<void> {
    while (this.inProcess.size) await Promise.all(this.inProcess);
  }

  /** This process's workers, woken after a send so the step starts without waiting for a poll. */
  addLocalWorker(workerId: string): void {
    this.localWorkers.push(workerId);
  }

  /** A step that throws (a database outage, not a failing tool) becomes a job retried later, as a failed job would be. */
  private stepInProcess(slots: NonNullable<PgBossRunQueue['slots']>, runId: string): void {
    const running = slots.limiter
      .run(() => slots.step(runId))
      .catch(async (err: unknown) => {
        this.log.error({ err, runId }, 'run step failed; it will be tried again as a job');
        await this.send(runId, this.options.retryDelaySeconds).catch((error: unknown) => this.log.error({ err: error, runId }, 'could not send the retry; the liveness sweep will'));
      })
      .finally(() => this.inProcess.delete(running));
    this.inProcess.add(running);
  }

  private async send(runId: string, delaySeconds: number): Promise<void> {
    const id = await this.boss.send(RUN_QUEUE, { runId } satisfies RunJob, {
      expireInSeconds: this.options.jobExpirySeconds,
      retryLimit: this.options.retryLimit,
      retryDelay: this.options.retryDelaySeconds,
      retryBackoff: this.options.retryDelaySeconds > 0,
      ...(delaySeconds > 0 && { startAfter: delaySeconds }),
    });
    if (!id) return;
    this.log.debug({ runId, jobId: id }, 'run step enqueued');
    this.sent.add(id);
    for (const worker of this.localWorkers) this.boss.notifyWorker(worker);
  }
}
