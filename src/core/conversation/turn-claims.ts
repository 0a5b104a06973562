import type { Logger } from '../../logging/logger';
import type { MessageStore } from '../ports/stores';

/**
 * The turns this process has taken and not yet answered, waiting for a slot or being
 * answered: their claims are renewed in one statement every `renewEveryMs`, so no other
 * process takes them over; a process that dies stops renewing, and its turns are answered
 * elsewhere once their claims lapse. The same statement says which of them a person stopped
 * (from any process: the stop is a row's state in Postgres), and their `stopped` callbacks run.
 */
export class TurnClaims {
  /** Each held turn, with what to do when it is found stopped. */
  private readonly held = new Map<string, () => void>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly messages: MessageStore,
    private readonly renewEveryMs: number,
    private readonly log: Logger,
  ) {}

  /** Holds the turn's claim; `stopped` runs (once) when a renewal finds that a person stopped it. */
  hold(messageId: string, stopped: () => void = () => undefined): void {
    this.held.set(messageId, stopped);
    if (this.timer) return;
    this.timer = setInterval(() => void this.renew(), this.renewEveryMs);
    // Renewals never keep the process alive: stopping drains turns first.
    this.timer.unref();
  }

  release(messageId: string): void {
    this.held.delete(messageId);
    if (this.held.size > 0 || !this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
  }

  /** Renews now rather than at the next beat: a stop that this process stored is noticed at once. */
  async renewNow(): Promise<void> {
    if (this.held.size > 0) await this.renew();
  }

  private async renew(): Promise<void> {
    try {
      const stopped = await this.messages.renewTurnClaims([...this.held.keys()]);
      for (const id of stopped) {
        const onStopped = this.held.get(id);
        this.held.set(id, () => undefined);
        onStopped?.();
      }
    } catch (err) {
      this.log.warn({ err, turns: this.held.size }, 'could not renew turn claims');
    }
  }
}
