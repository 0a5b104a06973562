import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { raw, type EntityManager } from '@mikro-orm/postgresql';
import type { ConversationRef, Platform } from '../../core/model/conversation';
import { newShortId, type NewSchedule, type Schedule } from '../../core/model/schedule';
import type { ScheduleStore, WorkspaceRef } from '../../core/ports/schedule-store';
import { ScheduleEntity, ScheduleFiringEntity } from '../entities';
import type { ScheduleRow } from '../entities/schedule.entity';
import { storableText } from '../sql-values';
import { conversationIdOf, dbNow, inConversation } from './orm-parts';
import { inFork, inTransaction } from './unit-of-work';

/** Short ids drawn before giving up: a clash is one in hundreds of millions, two in a row never happen. */
const SHORT_ID_ATTEMPTS = 5;

type LoadedRow = ScheduleRow & { conversation: { platform: Platform; workspaceId: string; channelId: string } };

function scheduleOf(row: LoadedRow): Schedule {
  return {
    id: row.id,
    shortId: row.shortId,
    conversation: { platform: row.conversation.platform, workspace: row.conversation.workspaceId, channel: row.conversation.channelId },
    cron: row.cron,
    timeZone: row.timeZone,
    prompt: row.prompt,
    owner: { id: row.ownerId, name: row.ownerName },
    state: row.state,
    pausedReason: row.pausedReason ?? null,
    consecutiveFailures: row.consecutiveFailures,
    nextFireAt: row.nextFireAt ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Schedules in Postgres, through the ORM: nothing here is on a message's path; the sweep's question is one indexed select. */
export class ScheduleRepository implements ScheduleStore {
  constructor(private readonly em: EntityManager) {}

  async create(schedule: NewSchedule): Promise<Schedule> {
    const id = await inFork(this.em, async (em) => {
      const conversation = await conversationIdOf(em, schedule.conversation);
      const row = {
        conversation,
        cron: storableText(schedule.cron),
        timeZone: schedule.timeZone,
        prompt: storableText(schedule.prompt),
        ownerId: storableText(schedule.owner.id),
        ownerName: storableText(schedule.owner.name),
        state: 'active' as const,
        nextFireAt: schedule.nextFireAt,
      };
      for (let attempt = 1; ; attempt++) {
        try {
          return String(await em.insert(ScheduleEntity, { ...row, shortId: newShortId() }));
        } catch (error) {
          if (!(error instanceof UniqueConstraintViolationException) || attempt >= SHORT_ID_ATTEMPTS) throw error;
        }
      }
    });
    return (await this.byId(id))!;
  }

  async findByShortId(workspace: WorkspaceRef, shortId: string): Promise<Schedule | null> {
    const where = { shortId: storableText(shortId), conversation: { platform: workspace.platform, workspaceId: storableText(workspace.workspace) } };
    const row = await inFork(this.em, (em) => em.findOne(ScheduleEntity, where, { populate: ['conversation'] }));
    return row ? scheduleOf(row as LoadedRow) : null;
  }

  async inConversation(conversation: ConversationRef, limit: number): Promise<Schedule[]> {
    const rows = await inFork(this.em, (em) => em.find(ScheduleEntity, inConversation(conversation), { populate: ['conversation'], orderBy: { createdAt: 'asc' }, limit }));
    return rows.map((row) => scheduleOf(row as LoadedRow));
  }

  async pause(id: string, reason: string): Promise<Schedule | null> {
    return this.change(id, { state: 'paused', pausedReason: storableText(reason), nextFireAt: null });
  }

  async resume(id: string, nextFireAt: Date | null): Promise<Schedule | null> {
    return this.change(id, { state: 'active', pausedReason: null, consecutiveFailures: 0, nextFireAt });
  }

  async remove(id: string): Promise<boolean> {
    return (await inFork(this.em, (em) => em.nativeDelete(ScheduleEntity, { id }))) === 1;
  }

  async due(now: Date, platforms: readonly Platform[], limit: number): Promise<Schedule[]> {
    if (!platforms.length) return [];
    const where = { state: 'active' as const, nextFireAt: { $lte: now }, conversation: { platform: { $in: [...platforms] } } };
    const rows = await inFork(this.em, (em) => em.find(ScheduleEntity, where, { populate: ['conversation'], orderBy: { nextFireAt: 'asc' }, limit }));
    return rows.map((row) => scheduleOf(row as LoadedRow));
  }

  async advance(id: string, from: Date, to: Date | null, firing: Date | null): Promise<boolean> {
    return inTransaction(this.em, async (em) => {
      // The claim: of any number of sweeps racing, one finds the schedule still at `from`; the row lock makes the rest wait and then miss.
      const moved = await em.nativeUpdate(ScheduleEntity, { id, state: 'active', nextFireAt: from }, { nextFireAt: to, updatedAt: dbNow() });
      if (moved !== 1 || !firing) return moved === 1;
      const recorded = await em.createQueryBuilder(ScheduleFiringEntity).insert({ schedule: id, dueAt: firing }).onConflict(['schedule', 'dueAt']).ignore().execute('run');
      return recorded.affectedRows === 1;
    });
  }

  async recordOutcome(id: string, succeeded: boolean): Promise<number | null> {
    return inTransaction(this.em, async (em) => {
      const failures = succeeded ? 0 : raw('consecutive_failures + 1');
      if ((await em.nativeUpdate(ScheduleEntity, { id }, { consecutiveFailures: failures, updatedAt: dbNow() })) !== 1) return null;
      return (await em.findOneOrFail(ScheduleEntity, { id }, { fields: ['consecutiveFailures'] })).consecutiveFailures;
    });
  }

  private async change(id: string, values: Partial<Pick<ScheduleRow, 'state' | 'pausedReason' | 'consecutiveFailures' | 'nextFireAt'>>): Promise<Schedule | null> {
    const changed = await inFork(this.em, (em) => em.nativeUpdate(ScheduleEntity, { id }, { ...values, updatedAt: dbNow() }));
    return changed === 1 ? this.byId(id) : null;
  }

  private async byId(id: string): Promise<Schedule | null> {
    const row = await inFork(this.em, (em) => em.findOne(ScheduleEntity, { id }, { populate: ['conversation'] }));
    return row ? scheduleOf(row as LoadedRow) : null;
  }
}
