/** The limits of one run (budgets.ts): which one is spent before the next model turn, and how the last answer names it. */
import { limitNote, reachedLimit, REPEATS_THAT_STOP } from '../../../../src/core/agent/budgets';
import type { AgentRun, BudgetLimit } from '../../../../src/core/model/agent-run';
import type { ToolCallRecord } from '../../../../src/core/model/tool-call';
import { aCall, aRun, budget, START } from './run-records';

const deadline = aRun().deadlineAt;
const get = (url: string, over: Partial<ToolCallRecord> = {}) => aCall({ status: 'succeeded', tool: 'http_get', args: { url }, ...over });

describe('the limit a run has reached', () => {
  test.each<[string, AgentRun, readonly ToolCallRecord[], Date, BudgetLimit | null]>([
    ['none, early in a run', aRun(), [get('https://a')], START, null],
    ['none, one turn short of the limit', aRun({ turns: 7 }), [], START, null],
    ['the turns, at the limit', aRun({ turns: 8 }), [], START, 'turns'],
    ['none, one call short of the limit', aRun({ toolCalls: 19 }), [], START, null],
    ['the tool calls, at the limit', aRun({ toolCalls: 20 }), [], START, 'tool_calls'],
    ['the time, at the deadline', aRun(), [], deadline, 'time'],
    ['the time, past the deadline', aRun(), [], new Date(deadline.getTime() + 60_000), 'time'],
    ['none, just before the deadline', aRun(), [], new Date(deadline.getTime() - 1), null],
    [`a repeated call, made ${REPEATS_THAT_STOP} times with the same arguments`, aRun(), [get('https://a'), get('https://a'), get('https://a')], START, 'repeated_call'],
    ['none, the same call made twice', aRun(), [get('https://a'), get('https://a')], START, null],
    ['none, the same tool with other arguments', aRun(), [get('https://a'), get('https://b'), get('https://c')], START, null],
    ['a repeated call however its arguments are ordered', aRun(), [{ a: 1, b: 2 }, { b: 2, a: 1 }, { a: 1, b: 2 }].map((args) => aCall({ tool: 't', args })), START, 'repeated_call'],
    ['a repeated call across turns and whatever each ended as', aRun({ turns: 3 }), [get('https://a', { turnSeq: 1 }), get('https://a', { turnSeq: 2, status: 'failed' }), get('https://a', { turnSeq: 3, status: 'refused' })], START, 'repeated_call'],
    ['the turns first, when several are spent', aRun({ turns: 8, toolCalls: 20 }), [], deadline, 'turns'],
    ['the tool calls before the time', aRun({ toolCalls: 20 }), [], deadline, 'tool_calls'],
    ['the time before a repeated call', aRun(), [get('https://a'), get('https://a'), get('https://a')], deadline, 'time'],
  ])('%s', (_title, run, calls, now, expected) => {
    expect(reachedLimit(run, calls, budget, now)).toBe(expected);
  });
});

describe('the note a last answer ends with', () => {
  test.each<[BudgetLimit, string]>([
    ['turns', 'I stopped using tools: this run reached its limit of 8 model turns.'],
    ['tool_calls', 'I stopped using tools: this run reached its limit of 20 tool calls.'],
    ['time', 'I stopped using tools: this run reached its time limit of 60 minutes.'],
    ['repeated_call', `I stopped using tools: the same call was made ${REPEATS_THAT_STOP} times with the same arguments.`],
  ])('names the %s limit with its figure', (limit, note) => {
    expect(limitNote(limit, budget)).toBe(note);
  });
});
