import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import type { DueReminder, ReminderStore, ReminderTimes } from '../../core/ports/reminder-store';
import { REQUEST_MOVES } from '../../core/model/run-transitions';
import { AgentRequestEntity, RequestReminderEntity } from '../entities';
import { isUuid } from '../sql-values';
import { inFork, inTransaction } from './unit-of-work';

/** Reminders in Postgres, through the ORM: the sweep's question is one select when nothing is due. */
export class ReminderRepository implements ReminderStore {
  constructor(private readonly em: EntityManager) {}

  async due(now: Date, times: ReminderTimes, limit: number): Promise<DueReminder[]> {
    const finalFrom = new Date(now.getTime() + times.finalBeforeMs);
    const firstFrom = new Date(now.getTime() - times.firstAfterMs);
    const pending = { status: { $in: [...REQUEST_MOVES.expire.from] }, expiresAt: { $gt: now }, $or: [{ expiresAt: { $lte: finalFrom } }, { createdAt: { $lte: firstFrom } }] };
    return inFork(this.em, async (em) => {
      const requests = await em.find(AgentRequestEntity, pending, { fields: ['id', 'expiresAt'], orderBy: { createdAt: 'asc' }, limit: limit * 2 });
      if (requests.length === 0) return [];
      const sent = await em.find(RequestReminderEntity, { request: { $in: requests.map((r) => r.id) } }, { fields: ['request', 'stage'] });
      const claimed = new Set(sent.map((s) => `${s.request.id}/${s.stage}`));
      const due = requests.map((r): DueReminder => ({ requestId: r.id, stage: r.expiresAt.getTime() <= finalFrom.getTime() ? 'final' : 'first' }));
      return due.filter((d) => !claimed.has(`${d.requestId}/${d.stage}`)).slice(0, limit);
    });
  }

  async claim(reminder: DueReminder): Promise<boolean> {
    if (!isUuid(reminder.requestId)) return false;
    return inTransaction(this.em, async (em) => {
      // FOR SHARE: a decision waits for this transaction, so a claimed reminder's request was pending when claimed.
      const pending = await em.findOne(AgentRequestEntity, { id: reminder.requestId, status: { $in: [...REQUEST_MOVES.expire.from] } }, { fields: ['id'], lockMode: LockMode.PESSIMISTIC_READ });
      if (!pending) return false;
      const inserted: unknown[] = await em
        .createQueryBuilder(RequestReminderEntity)
        .insert({ request: reminder.requestId, stage: reminder.stage })
        .onConflict(['request', 'stage'])
        .ignore()
        .returning(['id'])
        .execute('all', false);
      return inserted.length === 1;
    });
  }
}
