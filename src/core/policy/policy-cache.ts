import type { Logger } from '../../logging/logger';
import type { PolicyRule } from '../model/policy-rule';
import type { PolicyRuleStore } from '../ports/policy-store';
import type { WorkspaceRef } from '../ports/schedule-store';

const keyOf = (w: WorkspaceRef): string => `${w.platform}:${w.workspace}`;

/**
 * Every policy rule, read once per process ({@link load}: at start-up, else on first use) and
 * kept fresh by the store's change notices (Postgres NOTIFY, heard by every process): a notice
 * reads its workspace again at once, in the background. A message's lookups are answered from
 * memory, so an ordinary message sends no statement for policy (docs/policy.md).
 */
export class PolicyCache {
  private rules = new Map<string, readonly PolicyRule[]>();
  private loading: Promise<void> | null = null;
  private watching: Promise<void> | null = null;
  /** Per workspace, the read a notice started, and its number: only the latest one is kept. */
  private readonly refreshes = new Map<string, { readonly done: Promise<void>; readonly seq: number }>();
  private seq = 0;

  constructor(
    private readonly store: PolicyRuleStore,
    private readonly log: Logger,
  ) {}

  /** Listens for changes, then reads every rule; once per process (again after a lost connection). */
  load(): Promise<void> {
    this.loading ??= this.loadAll().catch((error: unknown) => {
      this.loading = null;
      throw error;
    });
    return this.loading;
  }

  /** The workspace's rules; waits only for a first load or for a change being read. */
  async rulesIn(workspace: WorkspaceRef): Promise<readonly PolicyRule[]> {
    await this.load();
    await this.refreshes.get(keyOf(workspace))?.done;
    return this.rules.get(keyOf(workspace)) ?? [];
  }

  /** A workspace's rules changed (this process's own change, or a notice): they are read again now. */
  changed(workspace: WorkspaceRef): void {
    const key = keyOf(workspace);
    const seq = ++this.seq;
    // After any full read in flight, so that its older answer cannot land last.
    const done = (this.loading ?? Promise.resolve())
      .then(() => this.store.rulesIn(workspace))
      .then((rules) => {
        if (this.refreshes.get(key)?.seq === seq) this.rules.set(key, rules);
      })
      .catch((error: unknown) => {
        this.log.warn({ err: error, workspace }, 'could not read changed policy rules; every rule is read again');
        this.loading = null;
      })
      .finally(() => {
        if (this.refreshes.get(key)?.seq === seq) this.refreshes.delete(key);
      });
    this.refreshes.set(key, { done, seq });
  }

  private async loadAll(): Promise<void> {
    // Listen before reading: a change committed after the read is then heard.
    await this.watch();
    const all = await this.store.allRules();
    const rules = new Map<string, PolicyRule[]>();
    for (const rule of all) rules.set(keyOf(rule), [...(rules.get(keyOf(rule)) ?? []), rule]);
    this.rules = rules;
  }

  private watch(): Promise<void> {
    this.watching ??= this.store
      .watch(
        (workspace) => this.changed(workspace),
        () => {
          this.log.warn('policy change notices may have been missed; every rule is read again');
          this.loading = null;
        },
      )
      .catch((error: unknown) => {
        this.watching = null;
        throw error;
      });
    return this.watching;
  }
}
