import type { EntityManager } from '@mikro-orm/postgresql';
import type { Platform } from '../../core/model/conversation';
import type { PolicyRule, RuleChange, RuleScope, RuleSettings } from '../../core/model/policy-rule';
import type { PolicyRuleStore } from '../../core/ports/policy-store';
import type { WorkspaceRef } from '../../core/ports/schedule-store';
import { PolicyRuleEntity } from '../entities';
import type { PolicyRuleRow } from '../entities/policy-rule.entity';
import type { ChangeFeed } from '../change-feed';
import { storableText } from '../sql-values';
import { inFork, inTransaction } from './unit-of-work';

/** The NOTIFY channel every change of a rule is announced on, with its workspace as the payload. */
export const POLICY_CHANNEL = 'switchboard_policy_rules';

const SETTING_FIELDS = ['run', 'approvers', 'fourEyes'] as const satisfies readonly (keyof RuleSettings)[];

function ruleOf(row: PolicyRuleRow): PolicyRule {
  return {
    platform: row.platform,
    workspace: row.workspaceId,
    channel: row.channelId || null,
    tool: row.tool,
    run: row.run ?? null,
    approvers: row.approvers ?? null,
    fourEyes: row.fourEyes ?? null,
    setBy: { id: row.setById, name: row.setByName },
    setAt: row.setAt,
  };
}

/** The unique key of a rule's scope: a workspace rule has the empty channel. */
const keyOf = (scope: RuleScope) => ({
  platform: scope.platform,
  workspaceId: storableText(scope.workspace),
  channelId: storableText(scope.channel ?? ''),
  tool: storableText(scope.tool),
});

const payloadOf = (scope: WorkspaceRef): string => JSON.stringify([scope.platform, scope.workspace]);

function workspaceOf(payload: string): WorkspaceRef | null {
  try {
    const [platform, workspace] = JSON.parse(payload) as [Platform, string];
    return typeof workspace === 'string' ? { platform, workspace } : null;
  } catch {
    return null;
  }
}

/**
 * Policy rules in Postgres, through the ORM: read once into each process's cache
 * (core/policy/policy-cache.ts), and a workspace again after each change, never per message. Each write announces its
 * workspace with NOTIFY in its own transaction: every process hears it once it is committed.
 */
export class PolicyRuleRepository implements PolicyRuleStore {
  constructor(
    private readonly em: EntityManager,
    private readonly feed: ChangeFeed,
  ) {}

  async allRules(): Promise<PolicyRule[]> {
    const rows = await inFork(this.em, (em) => em.find(PolicyRuleEntity, {}, { orderBy: { platform: 'asc', workspaceId: 'asc', tool: 'asc', channelId: 'asc' } }));
    return rows.map(ruleOf);
  }

  async rulesIn(workspace: WorkspaceRef): Promise<PolicyRule[]> {
    const where = { platform: workspace.platform, workspaceId: storableText(workspace.workspace) };
    const rows = await inFork(this.em, (em) => em.find(PolicyRuleEntity, where, { orderBy: { tool: 'asc', channelId: 'asc' } }));
    return rows.map(ruleOf);
  }

  async setRule(change: RuleChange): Promise<PolicyRule> {
    const set = SETTING_FIELDS.filter((field) => change.set[field] !== undefined);
    const values = { run: change.set.run, approvers: change.set.approvers ? [...change.set.approvers] : change.set.approvers, fourEyes: change.set.fourEyes };
    const by = { setById: storableText(change.by.id), setByName: storableText(change.by.name) };
    const row = await inTransaction(this.em, async (em) => {
      await em
        .createQueryBuilder(PolicyRuleEntity)
        .insert({ ...keyOf(change), ...by, ...Object.fromEntries(set.map((f) => [f, values[f]])) })
        .onConflict(['platform', 'workspaceId', 'channelId', 'tool'])
        // `excluded` is the row as it would have been inserted: its set_at is now(), by default.
        .merge(['setById', 'setByName', 'setAt', ...set])
        .execute('run');
      await this.announce(em, change);
      return em.findOneOrFail(PolicyRuleEntity, keyOf(change));
    });
    return ruleOf(row);
  }

  async removeRule(scope: RuleScope): Promise<boolean> {
    return inTransaction(this.em, async (em) => {
      const removed = await em.nativeDelete(PolicyRuleEntity, keyOf(scope));
      if (removed) await this.announce(em, scope);
      return removed === 1;
    });
  }

  async watch(changed: (workspace: WorkspaceRef) => void, lost: () => void): Promise<void> {
    this.feed.on(POLICY_CHANNEL, {
      heard: (payload) => {
        const workspace = workspaceOf(payload);
        if (workspace) changed(workspace);
        else lost();
      },
      lost,
    });
    await this.feed.ready();
  }

  /** NOTIFY inside the write's transaction: Postgres sends it on commit, and never for a rollback. */
  private async announce(em: EntityManager, scope: WorkspaceRef): Promise<void> {
    await em.getConnection().execute('select pg_notify(?, ?)', [POLICY_CHANNEL, payloadOf(scope)], 'run', em.getTransactionContext());
  }
}
