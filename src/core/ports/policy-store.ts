import type { PolicyRule, RuleChange, RuleScope } from '../model/policy-rule';
import type { WorkspaceRef } from './schedule-store';

/**
 * Policy rules, keyed by platform, workspace, channel (or none) and tool. Every change is
 * announced to every process ({@link watch}), which is how their caches stay true.
 */
export interface PolicyRuleStore {
  /** Every rule of every workspace: what a process reads once as it starts. */
  allRules(): Promise<PolicyRule[]>;
  /** Every rule of the workspace, its channels' included. */
  rulesIn(workspace: WorkspaceRef): Promise<PolicyRule[]>;
  /** Writes the fields `change` sets over the rule in its scope (made when new); returns the rule as stored. */
  setRule(change: RuleChange): Promise<PolicyRule>;
  /** Deletes the rule in this scope; false when there was none. */
  removeRule(scope: RuleScope): Promise<boolean>;
  /**
   * Calls `changed` with the workspace of every rule written or removed from now on, by any
   * process, once the change is committed; `lost` when changes may have been missed (a
   * dropped connection): anything cached is then to be forgotten. Resolves once listening.
   */
  watch(changed: (workspace: WorkspaceRef) => void, lost: () => void): Promise<void>;
}
