import type PgBoss from 'pg-boss';
import type { Logger } from '../logging/logger';

/** The pg-boss queue of sweep jobs. */
export const SWEEP_QUEUE = 'switchboard-sweep';

/** What the shared sweep does: idempotent, so an occasional second sweep is harmless. */
export interface Sweeper {
  expireDueRequests(): Promise<number>;
  remindDueRequests(): Promise<number>;
}

/**
 * A sweep every `intervalMs` across all processes: each process offers a sweep job each
 * interval, throttled by pg-boss to one job per interval slot (a unique key on the slot),
 * and whichever worker fetches it sweeps. A pg-boss cron schedule would do the same at
 * most once a minute; this allows shorter intervals and needs no clock-skew monitor.
 */
export class SweepSchedule {
  private timer: NodeJS.Timeout | null = null;
  private workerId: string | null = null;

  constructor(
    private readonly boss: PgBoss,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  async start(sweeper: Sweeper, pollingIntervalSeconds: number): Promise<void> {
    this.workerId = await this.boss.work(SWEEP_QUEUE, { batchSize: 1, pollingIntervalSeconds }, () => this.sweep(sweeper));
    this.timer = setInterval(() => void this.offer(), this.intervalMs);
    await this.offer();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async offer(): Promise<void> {
    const slotSeconds = Math.max(1, Math.round(this.intervalMs / 1000));
    try {
      const id = await this.boss.sendThrottled(SWEEP_QUEUE, {}, { retryLimit: 0, expireInSeconds: Math.max(60, slotSeconds) }, slotSeconds, 'sweep');
      if (id && this.workerId) this.boss.notifyWorker(this.workerId);
    } catch (err) {
      this.log.error({ err }, 'could not schedule a sweep');
    }
  }

  private async sweep(sweeper: Sweeper): Promise<void> {
    try {
      const expired = await sweeper.expireDueRequests();
      const reminded = await sweeper.remindDueRequests();
      if (expired || reminded) this.log.info({ expired, reminded }, 'sweep done');
    } catch (err) {
      this.log.error({ err }, 'sweep failed');
      throw err;
    }
  }
}
