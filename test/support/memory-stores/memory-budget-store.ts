import type { ConversationRef, Person } from '../../../src/core/model/conversation';
import type { BudgetOverride, BudgetScope, UsageCount, UsageKey } from '../../../src/core/model/token-budget';
import type { BudgetClaim, BudgetStore, ReserveOutcome } from '../../../src/core/ports/budget-store';
import { conversationKey, type MemoryDatabase } from './memory-database';

const usageKey = (key: UsageKey, day: string): string => JSON.stringify([key.platform, key.workspace, key.scope, key.subject, day]);

/** Token counters and channel limits in memory; a reservation checks and holds every counter between two awaits, as the repository's transaction does. */
export class MemoryBudgetStore implements BudgetStore {
  constructor(private readonly db: MemoryDatabase) {}

  async reserve(claims: readonly BudgetClaim[], day: string, tokens: number): Promise<ReserveOutcome> {
    for (const claim of claims) {
      const row = this.row(claim.key, day);
      if (row.used + row.reserved >= claim.limit) return { ok: false, refusedBy: { ...claim, used: row.used } };
    }
    for (const claim of claims) this.row(claim.key, day).reserved += tokens;
    return { ok: true };
  }

  async settle(keys: readonly UsageKey[], day: string, held: number, used: number): Promise<UsageCount[]> {
    for (const key of keys) {
      const row = this.row(key, day);
      row.reserved = Math.max(0, row.reserved - held);
      row.used += used;
    }
    return this.usage(keys, day);
  }

  async claimWarning(key: UsageKey, day: string): Promise<boolean> {
    const row = this.db.tokenUsage.get(usageKey(key, day));
    if (!row || row.warned) return false;
    row.warned = true;
    return true;
  }

  async usage(keys: readonly UsageKey[], day: string): Promise<UsageCount[]> {
    return keys.map((key) => {
      const row = this.db.tokenUsage.get(usageKey(key, day));
      return { key, used: row?.used ?? 0, reserved: row?.reserved ?? 0 };
    });
  }

  async overrides(): Promise<BudgetOverride[]> {
    return structuredClone([...this.db.budgetOverrides.values()]);
  }

  async setOverride(conversation: ConversationRef, scope: BudgetScope, tokens: number | null, by: Person): Promise<void> {
    const key = JSON.stringify([conversationKey(conversation), scope]);
    if (tokens === null) this.db.budgetOverrides.delete(key);
    else this.db.budgetOverrides.set(key, { conversation: { ...conversation }, scope, tokens, setBy: { ...by }, setAt: this.db.now() });
    for (const listener of this.db.overrideListeners) listener();
  }

  onOverridesChanged(listener: () => void): void {
    this.db.overrideListeners.add(listener);
  }

  private row(key: UsageKey, day: string): { used: number; reserved: number; warned: boolean } {
    const id = usageKey(key, day);
    const found = this.db.tokenUsage.get(id);
    if (found) return found;
    const row = { used: 0, reserved: 0, warned: false };
    this.db.tokenUsage.set(id, row);
    return row;
  }
}
