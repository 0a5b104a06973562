import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { AgentRunEntity } from './agent-run.entity';

/** One model turn of a run: what the model said, and what it cost. Its tool calls are rows of their own. */
export const AgentTurnEntity = defineEntity({
  name: 'AgentTurn',
  tableName: 'agent_turn',
  properties: (p) => ({
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    run: p.manyToOne(AgentRunEntity).deleteRule('cascade'),
    seq: p.integer(),
    content: p.text().nullable(),
    promptTokens: p.integer().nullable(),
    completionTokens: p.integer().nullable(),
    totalTokens: p.integer().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
  }),
  uniques: [{ name: 'agent_turn_run_seq_unique', properties: ['run', 'seq'] }],
});

export type AgentTurnRow = InferEntity<typeof AgentTurnEntity>;
