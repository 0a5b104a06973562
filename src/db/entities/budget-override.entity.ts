import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { BUDGET_SCOPES } from '../../core/model/token-budget';
import { ConversationEntity } from './conversation.entity';

/**
 * A channel's own daily token limit (`policy budget <tokens> [user|channel]`), for the channel
 * as a whole or for each person in it; who set it and when. Read whole into each process's
 * cache, which a NOTIFY on every change invalidates (budget-repository.ts).
 */
export const BudgetOverrideEntity = defineEntity({
  name: 'BudgetOverride',
  tableName: 'budget_override',
  properties: (p) => ({
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    conversation: p.manyToOne(ConversationEntity).deleteRule('cascade'),
    scope: p.enum([...BUDGET_SCOPES]),
    tokens: p.integer(),
    setById: p.text(),
    setByName: p.text(),
    setAt: p.datetime().defaultRaw('now()'),
  }),
  uniques: [{ name: 'budget_override_conversation_scope_unique', properties: ['conversation', 'scope'] }],
});

export type BudgetOverrideRow = InferEntity<typeof BudgetOverrideEntity>;
