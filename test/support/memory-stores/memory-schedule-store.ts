import type { ConversationRef, Platform } from '../../../src/core/model/conversation';
import { newShortId, type NewSchedule, type Schedule } from '../../../src/core/model/schedule';
import type { ScheduleStore, WorkspaceRef } from '../../../src/core/ports/schedule-store';
import { sameConversation, type MemoryDatabase, type ScheduleRow } from './memory-database';

const copy = (row: ScheduleRow): Schedule => structuredClone(row);
const firingKey = (id: string, at: Date): string => JSON.stringify([id, at.getTime()]);

/** Schedules in memory; a firing's claim is a compare-and-set between two awaits, as atomic as the repository's transaction. */
export class MemoryScheduleStore implements ScheduleStore {
  constructor(private readonly db: MemoryDatabase) {}

  async create(schedule: NewSchedule): Promise<Schedule> {
    const taken = new Set([...this.db.schedules.values()].map((s) => s.shortId));
    let shortId = newShortId();
    while (taken.has(shortId)) shortId = newShortId();
    const now = this.db.now();
    const row: ScheduleRow = { ...structuredClone(schedule), id: this.db.newId(), shortId, state: 'active', pausedReason: null, consecutiveFailures: 0, createdAt: now, updatedAt: now };
    this.db.schedules.set(row.id, row);
    return copy(row);
  }

  async findByShortId(workspace: WorkspaceRef, shortId: string): Promise<Schedule | null> {
    const row = [...this.db.schedules.values()].find((s) => s.shortId === shortId && s.conversation.platform === workspace.platform && s.conversation.workspace === workspace.workspace);
    return row ? copy(row) : null;
  }

  async inConversation(conversation: ConversationRef, limit: number): Promise<Schedule[]> {
    const rows = [...this.db.schedules.values()].filter((s) => sameConversation(s.conversation, conversation));
    return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).slice(0, limit).map(copy);
  }

  async pause(id: string, reason: string): Promise<Schedule | null> {
    return this.change(id, { state: 'paused', pausedReason: reason, nextFireAt: null });
  }

  async resume(id: string, nextFireAt: Date | null): Promise<Schedule | null> {
    return this.change(id, { state: 'active', pausedReason: null, consecutiveFailures: 0, nextFireAt });
  }

  async remove(id: string): Promise<boolean> {
    for (const key of [...this.db.firings]) if ((JSON.parse(key) as [string, number])[0] === id) this.db.firings.delete(key);
    return this.db.schedules.delete(id);
  }

  async due(now: Date, platforms: readonly Platform[], limit: number): Promise<Schedule[]> {
    const isDue = (s: ScheduleRow) => s.state === 'active' && s.nextFireAt !== null && s.nextFireAt.getTime() <= now.getTime() && platforms.includes(s.conversation.platform);
    const rows = [...this.db.schedules.values()].filter(isDue);
    return rows.sort((a, b) => a.nextFireAt!.getTime() - b.nextFireAt!.getTime()).slice(0, limit).map(copy);
  }

  async advance(id: string, from: Date, to: Date | null, firing: Date | null): Promise<boolean> {
    const row = this.db.schedules.get(id);
    if (!row || row.state !== 'active' || row.nextFireAt?.getTime() !== from.getTime()) return false;
    Object.assign(row, { nextFireAt: to && new Date(to), updatedAt: this.db.now() });
    if (!firing) return true;
    const key = firingKey(id, firing);
    if (this.db.firings.has(key)) return false;
    this.db.firings.add(key);
    return true;
  }

  async recordOutcome(id: string, succeeded: boolean): Promise<number | null> {
    const row = this.db.schedules.get(id);
    if (!row) return null;
    Object.assign(row, { consecutiveFailures: succeeded ? 0 : row.consecutiveFailures + 1, updatedAt: this.db.now() });
    return row.consecutiveFailures;
  }

  private change(id: string, values: Partial<ScheduleRow>): Schedule | null {
    const row = this.db.schedules.get(id);
    if (!row) return null;
    Object.assign(row, values, { updatedAt: this.db.now() });
    return copy(row);
  }
}
