/** Runs and calls as the store returns them, for the pure tests of what a step does next. */
import type { AgentBudget } from '../../../../src/core/model/agent-policy';
import { NO_USAGE, type AgentRun } from '../../../../src/core/model/agent-run';
import type { ToolCallRecord } from '../../../../src/core/model/tool-call';

export const START = new Date('2026-12-01T09:00:00Z');

export const budget: AgentBudget = { maxTurns: 8, maxToolCalls: 20, maxRunMs: 3_600_000, maxCallsPerRequest: 10 };

/** An agent run on its first turn, an hour from its deadline, on its first attempt. */
export function aRun(over: Partial<AgentRun> = {}): AgentRun {
  return {
    id: 'run-1',
    where: { platform: 'slack', workspace: 'T1', channel: 'C1', thread: '1.0' },
    kind: 'agent',
    status: 'running',
    requestedBy: { id: 'U1', name: 'alice' },
    triggerMessageId: 'm-1',
    turns: 1,
    toolCalls: 1,
    usage: NO_USAGE,
    deadlineAt: new Date(START.getTime() + budget.maxRunMs),
    attempt: 1,
    createdAt: START,
    endedAt: null,
    errorCode: null,
    cancelledBy: null,
    traceId: null,
    ...over,
  };
}

let ids = 0;

/** A call of the run's first turn; `over` sets its status, turn, tool and arguments. */
export function aCall(over: Partial<ToolCallRecord> = {}): ToolCallRecord {
  const id = `call-${++ids}`;
  return {
    id,
    runId: 'run-1',
    turnSeq: 1,
    position: 0,
    callId: `model-${id}`,
    tool: 'read_status',
    args: { service: 'staging' },
    gate: 'auto',
    requestId: null,
    status: 'ready',
    idempotent: false,
    output: null,
    error: null,
    result: null,
    startedAt: null,
    endedAt: null,
    ...over,
  };
}
