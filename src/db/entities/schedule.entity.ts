import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { SCHEDULE_STATES } from '../../core/model/schedule';
import { ConversationEntity } from './conversation.entity';

/**
 * Agent work on a clock (docs/scheduling.md): a cron in a time zone, a prompt, its owner, and
 * when it fires next. A sweep fires a due schedule by moving `nextFireAt` on with one
 * conditional UPDATE (ScheduleFiringEntity records each firing), so one process fires it.
 */
export const ScheduleEntity = defineEntity({
  name: 'Schedule',
  tableName: 'schedule',
  properties: (p) => ({
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    /** What people type in `schedule pause <id>`. */
    shortId: p.text().unique(),
    conversation: p.manyToOne(ConversationEntity).deleteRule('cascade'),
    cron: p.text(),
    timeZone: p.text(),
    prompt: p.text(),
    ownerId: p.text(),
    ownerName: p.text(),
    state: p.enum([...SCHEDULE_STATES]),
    pausedReason: p.text().nullable(),
    consecutiveFailures: p.integer().default(0),
    nextFireAt: p.datetime().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
  }),
  indexes: [
    // The sweep's one question, every few seconds on every process: which active schedules are due.
    { name: 'schedule_due_index', expression: `create index "schedule_due_index" on "schedule" ("next_fire_at") where "state" = 'active'` },
    { name: 'schedule_conversation_index', properties: ['conversation', 'createdAt'] },
  ],
});

export type ScheduleRow = InferEntity<typeof ScheduleEntity>;
