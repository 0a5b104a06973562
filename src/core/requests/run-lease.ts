import type { Logger } from '../../logging/logger';
import type { RunStore } from '../ports/stores';

/**
 * The running worker's hold on a run: a heartbeat every `intervalMs` that proves it is
 * alive and, in the same statement, notices a Cancel clicked on any process or another
 * worker having taken the run over (after this one fell silent). Either aborts `signal`.
 */
export class RunLease {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private state: 'held' | 'cancelled' | 'lost' = 'held';
  private beating = false;

  constructor(
    private readonly requestId: string,
    private readonly attempt: number,
    private readonly runs: RunStore,
    intervalMs: number,
    private readonly log: Logger,
  ) {
    this.timer = setInterval(() => void this.beat(), intervalMs);
  }

  /** Aborted on Cancel or when the run is lost to another worker. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get cancelled(): boolean {
    return this.state === 'cancelled';
  }

  /** Another attempt owns the run now: this worker must neither end nor report it. */
  get lost(): boolean {
    return this.state === 'lost';
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async beat(): Promise<void> {
    if (this.beating || this.state !== 'held') return;
    this.beating = true;
    try {
      const status = await this.runs.heartbeat(this.requestId, this.attempt);
      if (status === null) this.end('lost');
      else if (status === 'cancelled') this.end('cancelled');
    } catch (err) {
      // A missed beat or two is fine; a long outage lets another worker take over, and
      // the next beat that gets through finds that out.
      this.log.warn({ err, requestId: this.requestId }, 'heartbeat failed');
    } finally {
      this.beating = false;
    }
  }

  private end(state: 'cancelled' | 'lost'): void {
    this.state = state;
    this.log.info({ requestId: this.requestId, attempt: this.attempt, state }, state === 'lost' ? 'run taken over by another worker' : 'cancel noticed');
    this.controller.abort(new Error(state));
  }
}
