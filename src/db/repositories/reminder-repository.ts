import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import type { ReminderStage } from '../../core/model/agent-request';
import type { DueReminder, ReminderStore, ReminderTimes } from '../../core/ports/reminder-store';
import { REQUEST_MOVES } from '../../core/model/run-transitions';
import { AgentRequestEntity, RequestReminderEntity } from '../entities';
import { columnsOf } from '../schema-names';
import { isUuid } from '../sql-values';
import { inFork, inTransaction } from './unit-of-work';

const REMINDER = columnsOf(RequestReminderEntity);

/** Reminders in Postgres, through the ORM: the sweep's question is one select when nothing is due. */
export class ReminderRepository implements ReminderStore {
  constructor(private readonly em: EntityManager) {}

  async due(now: Date, times: ReminderTimes, limit: number): Promise<DueReminder[]> {
    const finalFrom = new Date(now.getTime() + times.finalBeforeMs);
    const firstFrom = new Date(now.getTime() - times.firstAfterMs);
    return inFork(this.em, async (em) => {
      const final = await this.unsent(em, 'final', { expiresAt: { $gt: now, $lte: finalFrom } }, limit);
      const first = await this.unsent(em, 'first', { expiresAt: { $gt: finalFrom }, createdAt: { $lte: firstFrom } }, limit - final.length);
      return [...final, ...first];
    });
  }

  /** Pending requests matching `when` without a reminder of `stage` yet, oldest first: the rows already sent are left out by Postgres, so they never crowd out due ones. */
  private async unsent(em: EntityManager, stage: ReminderStage, when: { expiresAt: { $gt: Date; $lte?: Date }; createdAt?: { $lte: Date } }, limit: number): Promise<DueReminder[]> {
    if (limit <= 0) return [];
    const rows = await em
      .createQueryBuilder(AgentRequestEntity, 'q')
      .select(['q.id'])
      .where({ status: { $in: [...REQUEST_MOVES.expire.from] }, ...when })
      .andWhere(`not exists (select 1 from ${REMINDER.$table} r where r.${REMINDER.request} = q.id and r.${REMINDER.stage} = ?)`, [stage])
      .orderBy({ createdAt: 'asc' })
      .limit(limit)
      .execute('all', false);
    return (rows as { id: string }[]).map((r) => ({ requestId: r.id, stage }));
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
