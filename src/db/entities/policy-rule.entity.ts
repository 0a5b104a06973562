import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { PLATFORMS } from '../../core/model/conversation';
import { RUN_MODES } from '../../core/model/policy-rule';

/**
 * A policy rule (docs/policy.md): for one tool (or `server__*`) in a workspace or one of its
 * channels, how it runs, who approves it and whether four eyes apply. Null fields fall through.
 */
export const PolicyRuleEntity = defineEntity({
  name: 'PolicyRule',
  tableName: 'policy_rule',
  properties: (p) => ({
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    platform: p.enum([...PLATFORMS]),
    workspaceId: p.text(),
    /** Empty for a workspace rule: a unique key over a nullable column would let two workspace rules in. */
    channelId: p.text().default(''),
    tool: p.text(),
    run: p.enum([...RUN_MODES]).nullable(),
    approvers: p.json<string[]>().nullable(),
    fourEyes: p.boolean().nullable(),
    setById: p.text(),
    setByName: p.text(),
    setAt: p.datetime().defaultRaw('now()'),
  }),
  uniques: [{ name: 'policy_rule_scope_unique', properties: ['platform', 'workspaceId', 'channelId', 'tool'] }],
});

export type PolicyRuleRow = InferEntity<typeof PolicyRuleEntity>;
