import type { DueReminder, ReminderStore, ReminderTimes } from '../../../src/core/ports/reminder-store';
import type { MemoryDatabase } from './memory-database';

const reminderKey = (r: DueReminder): string => JSON.stringify([r.requestId, r.stage]);

/** Reminders in memory; a claim is a check-and-set between two awaits, as atomic as the repository's transaction. */
export class MemoryReminderStore implements ReminderStore {
  constructor(private readonly db: MemoryDatabase) {}

  async due(now: Date, times: ReminderTimes, limit: number): Promise<DueReminder[]> {
    const finalFrom = now.getTime() + times.finalBeforeMs;
    const firstFrom = now.getTime() - times.firstAfterMs;
    const pending = this.db.requestsWhere((r) => r.status === 'pending' && r.expiresAt.getTime() > now.getTime());
    return pending
      .filter((r) => r.expiresAt.getTime() <= finalFrom || r.createdAt.getTime() <= firstFrom)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.seq - b.seq)
      .map((r): DueReminder => ({ requestId: r.id, stage: r.expiresAt.getTime() <= finalFrom ? 'final' : 'first' }))
      .filter((d) => !this.db.reminders.has(reminderKey(d)))
      .slice(0, limit);
  }

  async claim(reminder: DueReminder): Promise<boolean> {
    const request = this.db.requests.get(reminder.requestId);
    if (request?.status !== 'pending' || this.db.reminders.has(reminderKey(reminder))) return false;
    this.db.reminders.add(reminderKey(reminder));
    return true;
  }
}
