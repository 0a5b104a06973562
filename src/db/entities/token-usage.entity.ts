import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { PLATFORMS } from '../../core/model/conversation';
import { BUDGET_SCOPES } from '../../core/model/token-budget';

/**
 * A day's model tokens of one person (in a workspace) or one channel, counted only where a
 * limit applies (docs/policy.md, "Spend limits"). A call holds `reservedTokens` before it goes
 * to the model, by one conditional UPDATE that is refused once the day's use reached the
 * limit, and moves them to `usedTokens` when it reports its use: so however many replicas
 * answer at once, a limit is overspent by at most one call's hold.
 */
export const TokenUsageEntity = defineEntity({
  name: 'TokenUsage',
  tableName: 'token_usage',
  properties: (p) => ({
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    platform: p.enum([...PLATFORMS]),
    workspaceId: p.text(),
    scope: p.enum([...BUDGET_SCOPES]),
    /** The user id or the channel id. */
    subject: p.text(),
    /** The budget day, its date in BUDGET_RESET_TZ (`2026-12-08`). */
    day: p.text(),
    usedTokens: p.integer().default(0),
    reservedTokens: p.integer().default(0),
    /** The 80 % warning was shown: it is shown once a day. */
    warned: p.boolean().default(false),
  }),
  uniques: [{ name: 'token_usage_key_unique', properties: ['platform', 'workspaceId', 'scope', 'subject', 'day'] }],
});

export type TokenUsageRow = InferEntity<typeof TokenUsageEntity>;
