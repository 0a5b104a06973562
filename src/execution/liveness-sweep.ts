import type { Logger } from '../logging/logger';
import { Periodic } from './periodic';

/** What the liveness sweep asks of the core; both are single conditional statements, safe on every process at once. */
export interface LivenessWork {
  /** Runs with a step due and no live worker, back to the queue. */
  recoverStalledRuns(): Promise<number>;
  /** Turns a dead process never answered, answered here. */
  recoverTurns(): Promise<number>;
}

/**
 * Every process looks, every `intervalMs` and once at start-up, for work a dead process left:
 * a run step whose lease lapsed, a turn whose claim lapsed. The claims are conditional UPDATEs,
 * so of several processes looking at once one takes each; no schedule is shared.
 */
export class LivenessSweep {
  private readonly periodic: Periodic;

  constructor(
    private readonly work: LivenessWork,
    intervalMs: number,
    private readonly log: Logger,
  ) {
    this.periodic = new Periodic(() => this.sweepOnce(), intervalMs);
  }

  start(): Promise<void> {
    return this.periodic.start();
  }

  /** Stops sweeping, and waits for a sweep under way: the database it uses is closed next. */
  stop(): Promise<void> {
    return this.periodic.stop();
  }

  private async sweepOnce(): Promise<void> {
    try {
      const runs = await this.work.recoverStalledRuns();
      const turns = await this.work.recoverTurns();
      if (runs || turns) this.log.info({ runs, turns }, 'took over work a stopped process left');
    } catch (err) {
      this.log.error({ err }, 'liveness sweep failed');
    }
  }
}
