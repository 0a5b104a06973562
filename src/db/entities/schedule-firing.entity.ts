import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { ScheduleEntity } from './schedule.entity';

/**
 * One firing of a schedule: the time it was for. Unique on (schedule, time), inserted in the
 * transaction that moves the schedule on, so a firing is recorded once whatever races; the
 * rows are the schedule's history and go with it.
 */
export const ScheduleFiringEntity = defineEntity({
  name: 'ScheduleFiring',
  tableName: 'schedule_firing',
  properties: (p) => ({
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    schedule: p.manyToOne(ScheduleEntity).deleteRule('cascade'),
    /** The cron time this firing is for (not when it ran: a caught-up firing runs later). */
    dueAt: p.datetime(),
    createdAt: p.datetime().defaultRaw('now()'),
  }),
  uniques: [{ name: 'schedule_firing_schedule_due_unique', properties: ['schedule', 'dueAt'] }],
});

export type ScheduleFiringRow = InferEntity<typeof ScheduleFiringEntity>;
