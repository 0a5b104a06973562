import { reachedLimit } from '../../../../src/core/agent/budgets';
import type { AgentBudget } from '../../../../src/core/model/agent-policy';
import type { AgentRun } from '../../../../src/core/model/agent-run';
import type { ToolCallRecord } from '../../../../src/core/model/tool-call';

const BUDGET: AgentBudget = { maxTurns: 4, maxToolCalls: 6, maxRunMs: 60_000, maxCallsPerRequest: 10 };
const NOW = new Date('2026-01-01T12:00:00Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

const run = (over: Partial<AgentRun>): AgentRun =>
  ({ id: 'r1', turns: 1, toolCalls: 1, deadlineAt: at(30_000), ...over }) as AgentRun;

const call = (tool: string, args: Record<string, unknown>): ToolCallRecord => ({ tool, args }) as ToolCallRecord;

describe('which budget a run has reached before its next model turn', () => {
  it.each([
    ['none, well within every limit', run({}), [], null],
    ['turns, at the turn limit', run({ turns: 4 }), [], 'turns'],
    ['turns first, when every limit is reached', run({ turns: 4, toolCalls: 6, deadlineAt: NOW }), [], 'turns'],
    ['tool calls, at the call limit', run({ toolCalls: 6 }), [], 'tool_calls'],
    ['none, one call short of the call limit', run({ toolCalls: 5, turns: 3 }), [], null],
    ['time, at the deadline', run({ deadlineAt: NOW }), [], 'time'],
    ['time, past the deadline', run({ deadlineAt: at(-1) }), [], 'time'],
    ['none, a millisecond before the deadline', run({ deadlineAt: at(1) }), [], null],
    ['repeated call, the same call three times', run({}), [call('a', { x: 1 }), call('a', { x: 1 }), call('a', { x: 1 })], 'repeated_call'],
    ['repeated call, whatever order its arguments are written in', run({}), [call('a', { x: 1, y: 2 }), call('a', { y: 2, x: 1 }), call('a', { x: 1, y: 2 })], 'repeated_call'],
    ['none, the same call twice', run({}), [call('a', { x: 1 }), call('a', { x: 1 })], null],
    ['none, the same tool with other arguments', run({}), [call('a', { x: 1 }), call('a', { x: 2 }), call('a', { x: 3 })], null],
    ['none, other tools with the same arguments', run({}), [call('a', { x: 1 }), call('b', { x: 1 }), call('c', { x: 1 })], null],
  ] as const)('%s', (_title, given, calls, expected) => {
    expect(reachedLimit(given, calls, BUDGET, NOW)).toBe(expected);
  });
});
