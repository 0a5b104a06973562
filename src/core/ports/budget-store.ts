import type { BudgetOverride, BudgetScope, UsageCount, UsageKey } from '../model/token-budget';
import type { ConversationRef, Person } from '../model/conversation';

/** A counter a call must fit in: its key and its limit (> 0). */
export interface BudgetClaim {
  readonly key: UsageKey;
  readonly limit: number;
}

/** What a reservation got: the hold on every counter, or the counter whose limit the day's use has reached. */
export type ReserveOutcome = { readonly ok: true } | { readonly ok: false; readonly refusedBy: BudgetClaim & { readonly used: number } };

/**
 * Daily token counters and the channels' own limits. A reservation is one conditional write per
 * counter in one transaction, so that however many processes reserve at once, no call is let
 * through once a counter's use and holds reached its limit.
 */
export interface BudgetStore {
  /**
   * Holds `tokens` on every claim's counter for `day`, all or none: refused when a counter's
   * used and held tokens together reached its limit already.
   */
  reserve(claims: readonly BudgetClaim[], day: string, tokens: number): Promise<ReserveOutcome>;
  /** Gives back a hold of `held` tokens on each counter and counts `used`; the counters after. */
  settle(keys: readonly UsageKey[], day: string, held: number, used: number): Promise<UsageCount[]>;
  /** True for exactly one caller per counter and day: the one who shows its 80 % warning. */
  claimWarning(key: UsageKey, day: string): Promise<boolean>;
  /** The day's counters of `keys`, in that order; a counter never written counts 0. */
  usage(keys: readonly UsageKey[], day: string): Promise<UsageCount[]>;
  /** Every channel's own limits. */
  overrides(): Promise<BudgetOverride[]>;
  /** Sets (or, with `tokens` null, removes) a channel's own limit for `scope`, and tells every process. */
  setOverride(conversation: ConversationRef, scope: BudgetScope, tokens: number | null, by: Person): Promise<void>;
  /**
   * Calls `listener` whenever any process changed an override, or when changes can no longer
   * be heard (a lost connection): a cache then reads again. Absent: changes are not pushed.
   */
  onOverridesChanged?(listener: () => void): void;
}
