import type { Logger } from '../../logging/logger';
import type { MessageStore } from '../ports/stores';

/**
 * The turns this process has taken and not yet answered, waiting for a slot or being
 * answered: their claims are renewed in one statement every `renewEveryMs`, so no other
 * process takes them over; a process that dies stops renewing, and its turns are answered
 * elsewhere once their claims lapse.
 */
export class TurnClaims {
  private readonly held = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly messages: MessageStore,
    private readonly renewEveryMs: number,
    private readonly log: Logger,
  ) {}

  hold(messageId: string): void {
    this.held.add(messageId);
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

  private async renew(): Promise<void> {
    try {
      await this.messages.renewTurnClaims([...this.held]);
    } catch (err) {
      this.log.warn({ err, turns: this.held.size }, 'could not renew turn claims');
    }
  }
}
