import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { REMINDER_STAGES } from '../../core/model/agent-request';
import { AgentRequestEntity } from './agent-request.entity';

/**
 * A reminder of a pending request sent to its approvers: unique on (request, stage), inserted
 * by the sweep before it sends, so that however many processes sweep at once each stage is
 * sent once. The rows go with their request.
 */
export const RequestReminderEntity = defineEntity({
  name: 'RequestReminder',
  tableName: 'request_reminder',
  properties: (p) => ({
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    request: p.manyToOne(AgentRequestEntity).deleteRule('cascade'),
    stage: p.enum([...REMINDER_STAGES]),
    sentAt: p.datetime().defaultRaw('now()'),
  }),
  uniques: [{ name: 'request_reminder_request_stage_unique', properties: ['request', 'stage'] }],
});

export type RequestReminderRow = InferEntity<typeof RequestReminderEntity>;
