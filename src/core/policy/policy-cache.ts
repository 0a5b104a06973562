import type { Logger } from '../../logging/logger';
import type { PolicyRule } from '../model/policy-rule';
import type { PolicyRuleStore } from '../ports/policy-store';
import type { WorkspaceRef } from '../ports/schedule-store';

const keyOf = (w: WorkspaceRef): string => `${w.platform}:${w.workspace}`;

/**
 * Each workspace's policy rules, read once per process and kept until a change is announced
 * (PolicyRuleStore.watch: Postgres NOTIFY, heard by every process). An ordinary message thus
 * sends no statement for policy (docs/policy.md, "How rules reach every process").
 */
export class PolicyCache {
  private readonly loaded = new Map<string, Promise<PolicyRule[]>>();
  private watching: Promise<void> | null = null;

  constructor(
    private readonly store: PolicyRuleStore,
    private readonly log: Logger,
  ) {}

  /** The workspace's rules, from the cache when it has them. */
  async rulesIn(workspace: WorkspaceRef): Promise<readonly PolicyRule[]> {
    // Listen before the first read: a change committed after the read is then heard.
    await this.watch();
    const key = keyOf(workspace);
    const cached = this.loaded.get(key);
    if (cached) return cached;
    const reading = this.store.rulesIn(workspace);
    this.loaded.set(key, reading);
    // A failed read is not kept: the next message tries again.
    reading.catch(() => this.loaded.get(key) === reading && this.loaded.delete(key));
    return reading;
  }

  /** Drops the workspace's rules, so that the next question reads them again (this process's own change, or one announced). */
  forget(workspace: WorkspaceRef): void {
    this.loaded.delete(keyOf(workspace));
  }

  private watch(): Promise<void> {
    this.watching ??= this.store
      .watch(
        (workspace) => this.forget(workspace),
        () => {
          this.log.warn('policy change notices may have been missed; every cached rule is read again');
          this.loaded.clear();
        },
      )
      .catch((error: unknown) => {
        this.watching = null;
        throw error;
      });
    return this.watching;
  }
}
