import { setTimeout as sleep } from 'node:timers/promises';
import PgBoss from 'pg-boss';
import type { Core } from '../core/ports/inbound';
import type { QueueDepth } from '../core/ports/metrics';
import type { Logger } from '../logging/logger';
import type { ExecutionOptions } from './execution-options';
import { LivenessSweep } from './liveness-sweep';
import type { Periodic } from './periodic';
import { PgBossRunQueue, RUN_QUEUE, type RunJob } from './run-queue';
import { scheduleSweep } from './schedule-sweep';
import { SWEEP_QUEUE, SweepSchedule } from './sweep-schedule';

const DRAIN_POLL_MS = 100;
const DEFAULTS = { maintenanceIntervalSeconds: 120, pollingIntervalSeconds: 2, retryLimit: 3, retryDelaySeconds: 5, stopTimeoutMs: 30_000, livenessIntervalMs: 5000, scheduleIntervalMs: 5000 };

/** What the workers and sweeps call on the core. */
type Worked = Pick<Core, 'advanceRun' | 'expireDueRequests' | 'remindDueRequests' | 'recoverStalledRuns' | 'recoverTurns' | 'fireDueSchedules'>;

/**
 * Durable execution on pg-boss in the app's own database: the run queue the core
 * enqueues into, this process's workers, and the periodic sweep. Open it before the core
 * (the core needs the queue), then {@link work} once the core exists.
 */
export class Execution {
  private readonly options: Required<ExecutionOptions>;
  private readonly sweeps: SweepSchedule;
  private liveness: LivenessSweep | null = null;
  private schedules: Periodic | null = null;
  private working = false;
  readonly queue: PgBossRunQueue;

  private constructor(
    private readonly boss: PgBoss,
    options: ExecutionOptions,
    private readonly log: Logger,
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.queue = new PgBossRunQueue(boss, this.options, log);
    this.sweeps = new SweepSchedule(boss, this.options.sweepIntervalMs, log);
  }

  /** Starts pg-boss (creating its schema on first use) and its queues. */
  static async open(options: ExecutionOptions, log: Logger): Promise<Execution> {
    const jobLog = log.child({ module: 'execution' });
    const boss = new PgBoss({
      connectionString: options.databaseUrl,
      application_name: 'switchboard-jobs',
      max: options.concurrency + 3,
      schedule: false,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? DEFAULTS.maintenanceIntervalSeconds,
    });
    // pg-boss reports background failures (maintenance, polling) as events; unheard, they would crash the process.
    boss.on('error', (err) => jobLog.error({ err }, 'job queue error'));
    await boss.start();
    try {
      await createQueueOnce(boss, RUN_QUEUE);
      await createQueueOnce(boss, SWEEP_QUEUE);
    } catch (error) {
      await boss.stop({ graceful: false });
      throw error;
    }
    return new Execution(boss, options, jobLog);
  }

  /** Starts this process's step workers, its share of the expiry sweep, its liveness sweep and its schedule sweep. */
  async work(core: Worked): Promise<void> {
    const { concurrency, pollingIntervalSeconds } = this.options;
    this.queue.startWorking(concurrency, (runId) => core.advanceRun(runId));
    for (let i = 0; i < concurrency; i++) {
      const id = await this.boss.work<RunJob>(RUN_QUEUE, { batchSize: 1, pollingIntervalSeconds }, async (jobs) => {
        for (const job of jobs) await this.runJob(job.data.runId);
      });
      this.queue.addLocalWorker(id);
    }
    await this.sweeps.start(core, pollingIntervalSeconds);
    this.liveness = new LivenessSweep(core, this.options.livenessIntervalMs, this.log);
    await this.liveness.start();
    this.schedules = scheduleSweep(core, this.options.scheduleIntervalMs, this.log);
    await this.schedules.start();
    this.working = true;
    this.log.info({ concurrency, sweepIntervalMs: this.options.sweepIntervalMs, livenessIntervalMs: this.options.livenessIntervalMs }, 'workers started');
  }

  /** Whether this process's workers have started and not yet been stopped (readiness). */
  isWorking(): boolean {
    return this.working;
  }

  /**
   * The run queue across every process: jobs waiting for a worker (created, or due for a
   * retry) and jobs being worked on. pg-boss's job states are ordered, so each is a count
   * of the jobs before a state (two reads, not one snapshot: a job may move in between).
   */
  async queueDepth(): Promise<QueueDepth> {
    const [waiting, unfinished] = await Promise.all([
      this.boss.getQueueSize(RUN_QUEUE, { before: 'active' }),
      this.boss.getQueueSize(RUN_QUEUE, { before: 'completed' }),
    ]);
    return { waiting, active: Math.max(0, unfinished - waiting) };
  }

  /** A step that throws (a database outage, not a failing tool) fails its job; pg-boss delivers it again later. */
  private async runJob(runId: string): Promise<void> {
    try {
      await this.queue.runJob(runId);
    } catch (err) {
      this.log.error({ err, runId }, 'run step failed; it will be delivered again');
      throw err;
    }
  }

  /**
   * Waits (at most the stop timeout) until every run this process enqueued has finished:
   * the console uses it so that a piped script's last approval still runs before exit.
   */
  async drain(): Promise<void> {
    const deadline = Date.now() + this.options.stopTimeoutMs;
    while (Date.now() < deadline && (await this.queue.hasUnfinished())) await sleep(DRAIN_POLL_MS);
  }

  /** Stops taking jobs, waits (bounded) for runs under way, then closes pg-boss's connections. */
  async stop(): Promise<void> {
    this.working = false;
    this.queue.stopWorking();
    this.sweeps.stop();
    await this.liveness?.stop();
    await this.schedules?.stop();
    // The bound's timer is cancelled once the runs settle: left running, it would hold the
    // process (a console exiting, a test worker) for the rest of the stop timeout.
    const settled = new AbortController();
    const bound = sleep(this.options.stopTimeoutMs, undefined, { signal: settled.signal }).catch(() => undefined);
    await Promise.race([this.queue.settled(), bound]).finally(() => settled.abort());
    await this.boss.stop({ graceful: true, wait: true, close: true, timeout: this.options.stopTimeoutMs });
    this.log.info('job queue stopped');
  }
}

const DEADLOCK = '40P01';
const CREATE_ATTEMPTS = 5;

/**
 * Creates a queue, retrying when Postgres picks this process as a deadlock victim: on a
 * fresh database, processes starting together each attach a partition to pg-boss's job
 * table and can deadlock. The loser's retry finds the queue made and does nothing.
 */
async function createQueueOnce(boss: PgBoss, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await boss.createQueue(name);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== DEADLOCK || attempt >= CREATE_ATTEMPTS) throw error;
      await sleep(50 + Math.random() * 200);
    }
  }
}
