import { CronExpression } from './cron';
import type { ConversationRef, Platform } from './conversation';

/** Whose tokens a daily budget counts: one person's in a workspace, or one channel's. */
export const BUDGET_SCOPES = ['user', 'channel'] as const;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];

/** One counter of a day's tokens: a person (by user id) or a channel (by channel id) in a workspace. */
export interface UsageKey {
  readonly platform: Platform;
  readonly workspace: string;
  readonly scope: BudgetScope;
  /** The user id (scope `user`) or the channel id (scope `channel`). */
  readonly subject: string;
}

/** A counter as stored: tokens the day's settled calls used, and tokens held by calls still running. */
export interface UsageCount {
  readonly key: UsageKey;
  readonly used: number;
  readonly reserved: number;
}

/**
 * A channel's own daily limit set with `policy budget`: for the channel as a whole (`channel`)
 * or for each person in it (`user`). It replaces the environment's default there.
 */
export interface BudgetOverride {
  readonly conversation: ConversationRef;
  readonly scope: BudgetScope;
  readonly tokens: number;
  readonly setBy: { readonly id: string; readonly name: string };
  readonly setAt: Date;
}

/** A budget day, named by its date in the reset time zone: `2026-12-08`. */
export function budgetDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The next midnight after `at` in `timeZone`: when the day's budgets start again. */
export function budgetResetAt(at: Date, timeZone: string): Date {
  return new CronExpression('0 0 * * *', timeZone).nextAfter(at)!;
}

/** The limit that applies to `scope` in `conversation`: the channel's override, else the default (0 = none). */
export function limitFor(scope: BudgetScope, conversation: ConversationRef, overrides: readonly BudgetOverride[], defaults: Readonly<Record<BudgetScope, number>>): number {
  const own = overrides.find((o) => o.scope === scope && sameConversation(o.conversation, conversation));
  return own ? own.tokens : defaults[scope];
}

function sameConversation(a: ConversationRef, b: ConversationRef): boolean {
  return a.platform === b.platform && a.workspace === b.workspace && a.channel === b.channel;
}
