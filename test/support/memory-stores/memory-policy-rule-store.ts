import type { PolicyRule, RuleChange, RuleScope } from '../../../src/core/model/policy-rule';
import type { PolicyRuleStore } from '../../../src/core/ports/policy-store';
import type { WorkspaceRef } from '../../../src/core/ports/schedule-store';
import type { MemoryDatabase } from './memory-database';

const keyOf = (s: RuleScope): string => JSON.stringify([s.platform, s.workspace, s.channel ?? '', s.tool]);
const EMPTY = { run: null, approvers: null, fourEyes: null } as const;

/** Policy rules in memory; a change tells every watcher on the database after the write, as a committed NOTIFY does. */
export class MemoryPolicyRuleStore implements PolicyRuleStore {
  constructor(private readonly db: MemoryDatabase) {}

  async allRules(): Promise<PolicyRule[]> {
    return structuredClone([...this.db.policyRules.values()]);
  }

  async rulesIn(workspace: WorkspaceRef): Promise<PolicyRule[]> {
    const rules = [...this.db.policyRules.values()].filter((r) => r.platform === workspace.platform && r.workspace === workspace.workspace);
    return structuredClone(rules.sort((a, b) => a.tool.localeCompare(b.tool) || (a.channel ?? '').localeCompare(b.channel ?? '')));
  }

  async setRule(change: RuleChange): Promise<PolicyRule> {
    const key = keyOf(change);
    const before = this.db.policyRules.get(key) ?? EMPTY;
    const set = Object.fromEntries(Object.entries(change.set).filter(([, v]) => v !== undefined));
    const rule: PolicyRule = {
      ...before,
      ...structuredClone(set),
      platform: change.platform,
      workspace: change.workspace,
      channel: change.channel,
      tool: change.tool,
      setBy: { ...change.by },
      setAt: this.db.now(),
    };
    this.db.policyRules.set(key, rule);
    this.announce(change);
    return structuredClone(rule);
  }

  async removeRule(scope: RuleScope): Promise<boolean> {
    const removed = this.db.policyRules.delete(keyOf(scope));
    if (removed) this.announce(scope);
    return removed;
  }

  async watch(changed: (workspace: WorkspaceRef) => void): Promise<void> {
    this.db.policyWatchers.add(changed);
  }

  private announce(scope: WorkspaceRef): void {
    const workspace = { platform: scope.platform, workspace: scope.workspace };
    // After this call's write, never inside it: as NOTIFY arrives after the commit.
    queueMicrotask(() => this.db.policyWatchers.forEach((watcher) => watcher(workspace)));
  }
}
