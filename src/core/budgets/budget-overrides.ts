import type { BudgetOverride } from '../model/token-budget';
import type { BudgetStore } from '../ports/budget-store';

/**
 * Every channel's own limits, read once and kept: a model call asks this, not Postgres, so an
 * ordinary message under the default settings sends no statement for them. Any process's
 * change (or a lost LISTEN connection) empties the cache, and the next call reads again. A
 * store that cannot say when others change them is read every time.
 */
export class BudgetOverrides {
  private cached: Promise<readonly BudgetOverride[]> | null = null;
  private readonly pushed: boolean;

  constructor(private readonly store: BudgetStore) {
    this.pushed = typeof store.onOverridesChanged === 'function';
    store.onOverridesChanged?.(() => (this.cached = null));
  }

  /** The overrides now in force. */
  current(): Promise<readonly BudgetOverride[]> {
    if (!this.pushed) return this.store.overrides();
    const read = (this.cached ??= this.store.overrides());
    // A failed read is not kept: the next call tries again.
    read.catch(() => this.cached === read && (this.cached = null));
    return read;
  }
}
