import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { CALL_GATES, CALL_STATUSES } from '../../core/model/tool-call';
import { AgentRequestEntity } from './agent-request.entity';
import { AgentRunEntity } from './agent-run.entity';

/** One tool call a model turn asked for: its arguments, how policy gated it, and its whole output. */
export const ToolCallEntity = defineEntity({
  name: 'ToolCall',
  tableName: 'tool_call',
  properties: (p) => ({
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    run: p.manyToOne(AgentRunEntity).deleteRule('cascade'),
    turnSeq: p.integer(),
    position: p.integer(),
    callId: p.text(),
    tool: p.text(),
    args: p.json<Record<string, unknown>>().nullable(),
    gate: p.enum([...CALL_GATES]),
    request: p.manyToOne(AgentRequestEntity).nullable().deleteRule('set null'),
    status: p.enum([...CALL_STATUSES]),
    idempotent: p.boolean(),
    output: p.text().nullable(),
    error: p.text().nullable(),
    result: p.text().nullable(),
    startedAt: p.datetime().nullable(),
    endedAt: p.datetime().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
  }),
  uniques: [{ name: 'tool_call_run_turn_position_unique', properties: ['run', 'turnSeq', 'position'] }],
  indexes: [{ name: 'tool_call_request_index', properties: ['request'] }],
});

export type ToolCallRow = InferEntity<typeof ToolCallEntity>;
