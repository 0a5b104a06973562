import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { REQUEST_STATUSES } from '../../core/model/agent-request';
import { AgentRunEntity } from './agent-run.entity';

/**
 * A gate: the calls of one model turn that wait for a person's decision. Deciding is one
 * conditional UPDATE on `status` and `planHash`, so one decision wins however many arrive.
 * The id is made by the core, which needs it on the card before anything is stored.
 */
export const AgentRequestEntity = defineEntity({
  name: 'AgentRequest',
  tableName: 'agent_request',
  properties: (p) => ({
    id: p.uuid().primary(),
    run: p.manyToOne(AgentRunEntity).deleteRule('cascade'),
    summary: p.text(),
    destructive: p.boolean(),
    status: p.enum([...REQUEST_STATUSES]),
    requestedById: p.text(),
    requestedByName: p.text(),
    decidedById: p.text().nullable(),
    decidedByName: p.text().nullable(),
    decidedAt: p.datetime().nullable(),
    reason: p.text().nullable(),
    expiresAt: p.datetime(),
    planHash: p.text(),
    cardPlatformId: p.text().nullable(),
    /** What the card's buttons carry to prove a click came from it before `cardPlatformId` is stored; null for requests older than tokens. */
    cardToken: p.text().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
  }),
  indexes: [
    { name: 'agent_request_run_index', properties: ['run'] },
    // The inbox lists a person's own recent requests, newest first.
    { name: 'agent_request_requester_index', properties: ['requestedById', 'createdAt'] },
    { name: 'agent_request_pending_expiry_index', expression: `create index "agent_request_pending_expiry_index" on "agent_request" ("expires_at") where "status" = 'pending'` },
  ],
});

export type AgentRequestRow = InferEntity<typeof AgentRequestEntity>;
