import type { BudgetScope } from '../model/token-budget';

/** Budget settings as the core reads them; app.ts fills them from BUDGET_*. */
export interface BudgetSettings {
  /** Tokens a day per person in a workspace; 0 = unlimited. */
  readonly perUserDay: number;
  /** Tokens a day per channel; 0 = unlimited. */
  readonly perChannelDay: number;
  /** Whose midnight starts a new day (IANA). Default UTC. */
  readonly resetTimeZone: string;
  /** Tokens held for a call's answer, besides its prompt's estimate. Default 4000. */
  readonly reserveTokens: number;
}

/** No limits: the default. */
export const NO_BUDGETS: BudgetSettings = { perUserDay: 0, perChannelDay: 0, resetTimeZone: 'UTC', reserveTokens: 4000 };

/** The share of a limit at which the day's warning is shown. */
export const WARN_AT = 0.8;

const n = (tokens: number): string => tokens.toLocaleString('en-US');

/** Whose budget, as a sentence starts: "Your" or "This channel's". */
const whose = (scope: BudgetScope): string => (scope === 'user' ? 'Your' : "This channel's");

/** When the day's budgets start again, said plainly: "midnight UTC (2026-12-09 00:00 UTC)". */
export function resetText(resetAt: Date, timeZone: string): string {
  return `midnight ${timeZone} (${resetAt.toISOString().slice(0, 16).replace('T', ' ')} UTC)`;
}

/** Why a turn was refused before the model was asked. */
export function refusalText(scope: BudgetScope, limit: number, used: number, reset: string): string {
  return `${whose(scope)} daily budget of ${n(limit)} model tokens is used up (${n(used)} used today), so I did not ask the model. It resets at ${reset}.`;
}

/** The once-a-day note that a budget is nearly spent. */
export function warningText(scope: BudgetScope, limit: number, used: number, reset: string): string {
  const share = Math.min(100, Math.floor((used / limit) * 100));
  return `⚠️ ${whose(scope)} daily budget is ${share}% spent: ${n(used)} of ${n(limit)} model tokens. It resets at ${reset}.`;
}

/** A counter under a limit, for `!usage`: its tokens today of the limit. */
export function usageLine(label: string, used: number, limit: number): string {
  return `${label}: ${n(used)} of ${n(limit)} tokens today (${Math.floor((used / limit) * 100)}%)`;
}
