/** What a run's step does next, decided from its transcript alone: every branch of next-step.ts. */
import { nextStep, statusAfterTurn, type NextStep, type StepFacts } from '../../../../src/core/agent/next-step';
import type { NewToolCall } from '../../../../src/core/ports/stores';
import { aCall, aRun, budget, START } from './run-records';

const facts = (over: Partial<StepFacts> = {}): StepFacts => ({ run: aRun(), calls: [], budget, now: START, maxAttempts: 3, ranCalls: false, ...over });

const ready = aCall({ status: 'ready' });
const pending = aCall({ status: 'pending', gate: 'gated', requestId: 'req-1' });
const rerunnable = aCall({ status: 'running', idempotent: true });
const unsafe = aCall({ status: 'running', idempotent: false });
const succeeded = aCall({ status: 'succeeded', output: 'ok', result: 'ok' });
const denied = aCall({ status: 'denied', gate: 'gated', result: 'Denied by bob.' });
const olderReady = aCall({ status: 'ready', turnSeq: 1 });
const secondTurn = aRun({ turns: 2, toolCalls: 2 });
const manual = (over: Parameters<typeof aRun>[0] = {}) => aRun({ kind: 'manual', ...over });
const sameCall = (n: number) => Array.from({ length: n }, () => aCall({ status: 'succeeded', tool: 'http_get', args: { url: 'https://example.com' } }));

describe('the next step of a run', () => {
  test.each<[string, StepFacts, NextStep]>([
    ['ready calls of the latest turn run', facts({ calls: [succeeded, ready] }), { kind: 'run_calls', run: [ready], interrupt: [] }],
    ['a call a dead worker left running runs again when its tool is idempotent', facts({ calls: [rerunnable] }), { kind: 'run_calls', run: [rerunnable], interrupt: [] }],
    ['a call a dead worker left running ends interrupted when it is not safe to run twice', facts({ calls: [unsafe] }), { kind: 'run_calls', run: [], interrupt: [unsafe] }],
    ['ready, re-runnable and interrupted calls are taken in hand together', facts({ calls: [ready, unsafe, rerunnable] }), { kind: 'run_calls', run: [ready, rerunnable], interrupt: [unsafe] }],
    ['calls of an earlier turn are not run again', facts({ run: secondTurn, calls: [olderReady] }), { kind: 'ask_model', limit: null }],
    ['an open gate waits for a decision', facts({ calls: [pending] }), { kind: 'await_decision' }],
    ['auto-run calls beside a gate run first', facts({ calls: [ready, pending] }), { kind: 'run_calls', run: [ready], interrupt: [] }],
    ['after its calls ran, the step waits on the gate beside them', facts({ calls: [succeeded, pending], ranCalls: true }), { kind: 'await_decision' }],
    ['a call still ready after the step ran calls is not taken in hand twice', facts({ calls: [ready], ranCalls: true }), { kind: 'ask_model', limit: null }],
    ['every call has its result: the model takes the next turn with its tools', facts({ calls: [succeeded, denied] }), { kind: 'ask_model', limit: null }],
    ['a cancelled run ends, whatever is ready', facts({ run: aRun({ status: 'cancelled' }), calls: [ready] }), { kind: 'end', end: { why: 'cancelled' } }],
    ['a run past its attempts ends as crashed', facts({ run: aRun({ attempt: 4 }), calls: [rerunnable] }), { kind: 'end', end: { why: 'crashed_too_often', attempts: 4 } }],
    ['a run on its last allowed attempt goes on', facts({ run: aRun({ attempt: 3 }), calls: [rerunnable] }), { kind: 'run_calls', run: [rerunnable], interrupt: [] }],
    ['cancel beats a run past its attempts', facts({ run: aRun({ status: 'cancelled', attempt: 9 }) }), { kind: 'end', end: { why: 'cancelled' } }],
  ])('%s', (_title, given, expected) => {
    expect(nextStep(given)).toEqual(expected);
  });
});

describe('a !run, which has no model', () => {
  test.each<[string, StepFacts, NextStep]>([
    ['its ready call runs', facts({ run: manual(), calls: [ready] }), { kind: 'run_calls', run: [ready], interrupt: [] }],
    ['its gated call waits for a decision', facts({ run: manual(), calls: [pending] }), { kind: 'await_decision' }],
    ['it ends with its call once the call has a result', facts({ run: manual(), calls: [succeeded] }), { kind: 'end', end: { why: 'manual_done', status: 'succeeded', errorCode: null, call: succeeded } }],
    ['a denied call ends it denied', facts({ run: manual(), calls: [denied] }), { kind: 'end', end: { why: 'manual_done', status: 'denied', errorCode: null, call: denied } }],
  ])('%s', (_title, given, expected) => {
    expect(nextStep(given)).toEqual(expected);
  });

  test.each([
    ['failed', 'failed', null],
    ['expired', 'expired', null],
    ['cancelled', 'cancelled', null],
    ['interrupted', 'failed', 'interrupted'],
    ['skipped', 'failed', null],
  ] as const)('a call that ended %s ends the run %s', (callStatus, runStatus, errorCode) => {
    const call = aCall({ status: callStatus });
    expect(nextStep(facts({ run: manual(), calls: [call] }))).toEqual({ kind: 'end', end: { why: 'manual_done', status: runStatus, errorCode, call } });
  });

  test('with no call stored it ends failed', () => {
    expect(nextStep(facts({ run: manual() }))).toEqual({ kind: 'end', end: { why: 'manual_done', status: 'failed', errorCode: null, call: null } });
  });
});

describe('a spent budget gives the model a last turn without tools', () => {
  const deadline = aRun().deadlineAt;
  test.each<[string, StepFacts, NextStep]>([
    ['the turns', facts({ run: aRun({ turns: 8 }), calls: [aCall({ status: 'succeeded', turnSeq: 8 })] }), { kind: 'ask_model', limit: 'turns' }],
    ['the tool calls', facts({ run: aRun({ toolCalls: 20 }), calls: [succeeded] }), { kind: 'ask_model', limit: 'tool_calls' }],
    ['the time, at the deadline', facts({ calls: [succeeded], now: deadline }), { kind: 'ask_model', limit: 'time' }],
    ['the same call made three times', facts({ calls: sameCall(3) }), { kind: 'ask_model', limit: 'repeated_call' }],
    ['but not one millisecond before the deadline', facts({ calls: [succeeded], now: new Date(deadline.getTime() - 1) }), { kind: 'ask_model', limit: null }],
  ])('%s', (_title, given, expected) => {
    expect(nextStep(given)).toEqual(expected);
  });

  test('a spent budget does not stop calls already approved, nor a gate already open', () => {
    const spent = aRun({ turns: 8, toolCalls: 20 });
    const ready8 = aCall({ status: 'ready', turnSeq: 8 });
    expect(nextStep(facts({ run: spent, calls: [ready8], now: aRun().deadlineAt }))).toEqual({ kind: 'run_calls', run: [ready8], interrupt: [] });
    expect(nextStep(facts({ run: spent, calls: [aCall({ status: 'pending', turnSeq: 8 })] }))).toEqual({ kind: 'await_decision' });
  });
});

describe("a run's status once a turn's calls are stored", () => {
  const call = (status: NewToolCall['status']): NewToolCall => ({ callId: 'c', tool: 't', args: {}, gate: status === 'pending' ? 'gated' : status === 'ready' ? 'auto' : 'refused', status, idempotent: false, result: null });
  test.each<[string, NewToolCall['status'][], 'running' | 'waiting']>([
    ['waits when every call needs a decision', ['pending', 'pending'], 'waiting'],
    ['runs when a call may run at once', ['ready', 'pending'], 'running'],
    ['runs when a call was refused, so the model reads why', ['refused'], 'running'],
    ['runs a step beside a gate when a call was refused', ['refused', 'pending'], 'running'],
    ['runs when there are no calls', [], 'running'],
  ])('%s', (_title, statuses, expected) => {
    expect(statusAfterTurn(statuses.map(call))).toBe(expected);
  });
});
