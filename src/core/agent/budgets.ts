import type { AgentBudget } from '../model/agent-policy';
import type { AgentRun, BudgetLimit } from '../model/agent-run';
import type { ToolCallRecord } from '../model/tool-call';
import { canonicalJson } from '../approvals/shown-plan';

/** The same call with the same arguments this many times stops the run's tool use. */
export const REPEATS_THAT_STOP = 3;

/** The limit a run has reached before its next model turn, if any: that turn then gets no tools. */
export function reachedLimit(run: AgentRun, calls: readonly ToolCallRecord[], budget: AgentBudget, now: Date): BudgetLimit | null {
  if (run.turns >= budget.maxTurns) return 'turns';
  if (run.toolCalls >= budget.maxToolCalls) return 'tool_calls';
  if (now >= run.deadlineAt) return 'time';
  return repeatsTooOften(calls) ? 'repeated_call' : null;
}

function repeatsTooOften(calls: readonly ToolCallRecord[]): boolean {
  const seen = new Map<string, number>();
  for (const call of calls) {
    const key = `${call.tool}:${canonicalJson(call.args)}`;
    const times = (seen.get(key) ?? 0) + 1;
    if (times >= REPEATS_THAT_STOP) return true;
    seen.set(key, times);
  }
  return false;
}

/** The words the last answer ends with, naming the limit. */
export function limitNote(limit: BudgetLimit, budget: AgentBudget): string {
  switch (limit) {
    case 'turns':
      return `I stopped using tools: this run reached its limit of ${budget.maxTurns} model turns.`;
    case 'tool_calls':
      return `I stopped using tools: this run reached its limit of ${budget.maxToolCalls} tool calls.`;
    case 'time':
      return `I stopped using tools: this run reached its time limit of ${Math.round(budget.maxRunMs / 60_000)} minutes.`;
    case 'repeated_call':
      return `I stopped using tools: the same call was made ${REPEATS_THAT_STOP} times with the same arguments.`;
  }
}
