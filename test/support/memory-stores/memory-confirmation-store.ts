import { randomUUID } from 'node:crypto';
import type { ConfirmationHolder, ConfirmationStore } from '../../../src/core/ports/stores';
import { sameConversation, type MemoryDatabase } from './memory-database';

const sameHolder = (a: ConfirmationHolder, b: ConfirmationHolder) => a.purpose === b.purpose && a.userId === b.userId && sameConversation(a.conversation, b.conversation);

/** One-time confirmations in memory. */
export class MemoryConfirmationStore implements ConfirmationStore {
  constructor(private readonly db: MemoryDatabase) {}

  async issue(holder: ConfirmationHolder, expiresAt: Date): Promise<string> {
    // Random, not counted: the port promises a token nobody can guess.
    const token = randomUUID();
    this.db.confirmations.set(token, { holder: structuredClone(holder), expiresAt: new Date(expiresAt), usedAt: null });
    return token;
  }

  async redeem(token: string, holder: ConfirmationHolder, now: Date): Promise<boolean> {
    const row = this.db.confirmations.get(token);
    if (!row || row.usedAt !== null || row.expiresAt.getTime() <= now.getTime() || !sameHolder(row.holder, holder)) return false;
    row.usedAt = new Date(now);
    return true;
  }
}
