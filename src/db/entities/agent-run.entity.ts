import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { RUN_KINDS, RUN_STATUSES } from '../../core/model/agent-run';
import { ConversationEntity } from './conversation.entity';
import { MessageEntity } from './message.entity';

/**
 * One agent run. Its steps are claimed through the lease columns: a worker holds
 * `leaseToken` until `leaseUntil`, renewing it while it works; a lapsed lease lets another
 * worker take the step over. Budgets and token usage are counted here.
 */
export const AgentRunEntity = defineEntity({
  name: 'AgentRun',
  tableName: 'agent_run',
  properties: (p) => ({
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    conversation: p.manyToOne(ConversationEntity).deleteRule('cascade'),
    threadRef: p.text(),
    kind: p.enum([...RUN_KINDS]),
    status: p.enum([...RUN_STATUSES]),
    requestedById: p.text(),
    requestedByName: p.text(),
    /** The message that started it: one run per message, however often its turn is retried. */
    triggerMessage: p.manyToOne(MessageEntity).nullable().unique().deleteRule('set null'),
    turns: p.integer().default(0),
    toolCalls: p.integer().default(0),
    promptTokens: p.integer().default(0),
    completionTokens: p.integer().default(0),
    totalTokens: p.integer().default(0),
    deadlineAt: p.datetime(),
    attempt: p.integer().default(0),
    leaseToken: p.uuid().nullable(),
    leaseUntil: p.datetime().nullable(),
    errorCode: p.text().nullable(),
    cancelledById: p.text().nullable(),
    cancelledByName: p.text().nullable(),
    /** The trace id of the turn that started it, for the log lines of its steps and decisions on any process; null before it existed. */
    traceId: p.text().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
    endedAt: p.datetime().nullable(),
  }),
  indexes: [
    { name: 'agent_run_conversation_recent_index', properties: ['conversation', 'createdAt'] },
    { name: 'agent_run_live_index', expression: `create index "agent_run_live_index" on "agent_run" ("lease_until") where "status" in ('running', 'cancelled')` },
  ],
});

export type AgentRunRow = InferEntity<typeof AgentRunEntity>;
