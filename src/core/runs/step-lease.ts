import type { Logger } from '../../logging/logger';
import type { RunStore, StepClaim } from '../ports/stores';

/**
 * A worker's hold on a run's step while it works: renewed every `heartbeatMs`, lapsing after
 * `leaseMs` of silence (so another worker takes the step over when this one dies). A renewal
 * also notices a Cancel from any process, or the step lost to another worker after a long
 * stall: either aborts `signal`.
 */
export class StepLease {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private state: 'held' | 'cancelled' | 'lost' = 'held';
  private renewing = false;

  constructor(
    readonly claim: StepClaim,
    private readonly runs: RunStore,
    timing: { heartbeatMs: number; leaseMs: number },
    private readonly log: Logger,
  ) {
    this.timer = setInterval(() => void this.renew(timing.leaseMs), timing.heartbeatMs);
  }

  /** Aborted on Cancel or when the step is lost to another worker. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Another worker holds the run now: this one must neither change nor report it. */
  get lost(): boolean {
    return this.state === 'lost';
  }

  get cancelled(): boolean {
    return this.state === 'cancelled';
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async renew(leaseMs: number): Promise<void> {
    if (this.renewing || this.state !== 'held') return;
    this.renewing = true;
    try {
      const status = await this.runs.renewLease(this.claim, leaseMs);
      if (status === null) this.end('lost');
      else if (status === 'cancelled') this.end('cancelled');
    } catch (err) {
      // A missed beat or two is fine; a long outage lets another worker take over, and the
      // next beat that gets through finds that out.
      this.log.warn({ err, runId: this.claim.run.id }, 'lease renewal failed');
    } finally {
      this.renewing = false;
    }
  }

  private end(state: 'cancelled' | 'lost'): void {
    this.state = state;
    this.log.info({ runId: this.claim.run.id, state }, state === 'lost' ? 'step taken over by another worker' : 'cancel noticed');
    this.controller.abort(new Error(state));
  }
}
