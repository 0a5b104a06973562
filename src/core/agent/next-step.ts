import type { AgentBudget } from '../model/agent-policy';
import type { AgentRun, BudgetLimit, RunOutcome } from '../model/agent-run';
import type { ToolCallRecord } from '../model/tool-call';
import type { NewToolCall } from '../ports/stores';
import { reachedLimit } from './budgets';

/**
 * What a run's step does next, from what its transcript says. `run_calls`: the latest turn
 * has calls to run now (`run`), or calls a dead worker left running that are not safe to run
 * again (`interrupt`: they end interrupted); `await_decision`: a gate is open and nothing else
 * can happen; `ask_model`: every call has its result, so the model takes the next turn (with
 * no tools when `limit` says a budget is spent); `end`: the run is over without the model.
 */
export type NextStep =
  | { readonly kind: 'run_calls'; readonly run: readonly ToolCallRecord[]; readonly interrupt: readonly ToolCallRecord[] }
  | { readonly kind: 'await_decision' }
  | { readonly kind: 'ask_model'; readonly limit: BudgetLimit | null }
  | { readonly kind: 'end'; readonly end: RunEndCause };

/**
 * Why a run ends without the model's last word: cancelled by a person; its steps cut short by
 * crashes `attempts` times; or a `!run` whose one call (`call`, when stored) has its result.
 */
export type RunEndCause =
  | { readonly why: 'cancelled' }
  | { readonly why: 'crashed_too_often'; readonly attempts: number }
  | { readonly why: 'manual_done'; readonly status: RunOutcome; readonly errorCode: 'interrupted' | null; readonly call: ToolCallRecord | null };

/** The facts a step is chosen from, as plain values. */
export interface StepFacts {
  /** The run as the step claimed it. */
  readonly run: AgentRun;
  /** Every call of the run, as this step knows them now. */
  readonly calls: readonly ToolCallRecord[];
  readonly budget: AgentBudget;
  readonly now: Date;
  /** How many takeovers after crashes a run survives. */
  readonly maxAttempts: number;
  /**
   * Whether this step already took the latest turn's calls in hand. Calls still ready then
   * were not started (the lease or the call changed meanwhile): the step goes on without them.
   */
  readonly ranCalls: boolean;
}

/** How a `!run`'s one call ends its run; any other status (none stored, say) is a failure. */
const MANUAL_OUTCOME: Partial<Record<ToolCallRecord['status'], RunOutcome>> = {
  succeeded: 'succeeded',
  denied: 'denied',
  expired: 'expired',
  cancelled: 'cancelled',
};

/** The step a run takes next. Pure: the stepper does what it says, and the table tests check every branch. */
export function nextStep(facts: StepFacts): NextStep {
  const { run } = facts;
  if (run.status === 'cancelled') return { kind: 'end', end: { why: 'cancelled' } };
  if (run.attempt > facts.maxAttempts) return { kind: 'end', end: { why: 'crashed_too_often', attempts: run.attempt } };
  const latest = facts.calls.filter((c) => c.turnSeq === run.turns);
  if (!facts.ranCalls) {
    const calls = dueCalls(latest);
    if (calls.run.length || calls.interrupt.length) return { kind: 'run_calls', ...calls };
  }
  if (latest.some((c) => c.status === 'pending')) return { kind: 'await_decision' };
  if (run.kind === 'manual') {
    const call = latest[0] ?? null;
    const status = (call && MANUAL_OUTCOME[call.status]) ?? 'failed';
    return { kind: 'end', end: { why: 'manual_done', status, errorCode: call?.status === 'interrupted' ? 'interrupted' : null, call } };
  }
  return { kind: 'ask_model', limit: reachedLimit(run, facts.calls, facts.budget, facts.now) };
}

/** Ready calls, and running ones left by a dead worker: run again when idempotent, else interrupted. */
function dueCalls(latest: readonly ToolCallRecord[]): { run: ToolCallRecord[]; interrupt: ToolCallRecord[] } {
  const run = latest.filter((c) => c.status === 'ready' || (c.status === 'running' && c.idempotent));
  return { run, interrupt: latest.filter((c) => c.status === 'running' && !c.idempotent) };
}

/**
 * A run's status once a model turn's calls are stored: `waiting` when the calls that can run
 * all wait for a decision; a refused call beside gated ones makes a step due all the same
 * (it shows the run's progress, then waits).
 */
export function statusAfterTurn(calls: readonly NewToolCall[]): 'running' | 'waiting' {
  return calls.some((c) => c.status === 'ready' || c.status === 'refused') || !calls.some((c) => c.status === 'pending') ? 'running' : 'waiting';
}
