/**
 * A step whose worker died, through the real core over the memory stores: the dead worker is
 * played through the store port (it took the step and started the call, then nothing), and
 * the stores' clock is moved past its lease. Another process takes the step over then, and
 * not before; a run cut short too often ends; a Cancel that lands mid-call wins over the end.
 */
import { z } from 'zod';
import type { ThreadRef } from '../../src/core/model/conversation';
import { countdownTool } from '../../src/tools/countdown';
import { defineTool } from '../../src/tools/define-tool';
import { chatAnswer, startFakeOpenAi, toolAnswer, type FakeOpenAi } from '../fakes/fake-openai';
import type { MemoryStores } from '../support/memory-stores';
import { alice, AUTO_RUN, bob, coreSetup } from './core-kit';

/** The dead worker's lease: long, so that only the test's clock lets it lapse. */
const DEAD_LEASE_MS = 60_000;

let llm: FakeOpenAi;
beforeAll(async () => {
  llm = await startFakeOpenAi();
});
afterEach(() => llm.reset());
afterAll(() => llm.close());

/** Everything a write_note call really did. */
const written: string[] = [];
const writeNoteTool = defineTool({
  name: 'write_note',
  description: 'Writes a note',
  input: z.object({ text: z.string() }),
  readOnly: true,
  execute: async ({ text }) => {
    written.push(text);
    return { text: `wrote ${text}` };
  },
});

/** An agent run whose first turn asked for `tool`, left by a worker that died running its call. */
async function runLeftMidCall(stores: MemoryStores, where: ThreadRef, tool: string, args: Record<string, unknown>, idempotent: boolean) {
  const created = await stores.runs.createRun({
    where,
    kind: 'agent',
    status: 'running',
    requestedBy: alice,
    triggerMessageId: null,
    deadlineAt: new Date(stores.clock.now().getTime() + 3_600_000),
    turn: { content: null, usage: null, calls: [{ callId: 'call_1', tool, args, gate: 'auto', status: 'ready', idempotent, result: null }] },
    request: null,
  });
  const { run } = created!;
  const dead = (await stores.runs.claimStep(run.id, DEAD_LEASE_MS))!;
  const [call] = (await stores.runs.transcript(run.id)).calls;
  await stores.runs.startCall(dead, call!.id);
  return run;
}

test('a step whose worker died is taken over once its lease lapses, not before: the idempotent call runs again and one answer is posted', async () => {
  const s = coreSetup({ llm, tools: [countdownTool], settings: { autoRun: AUTO_RUN } });
  const run = await runLeftMidCall(s.stores, s.where, 'countdown', { steps: 1, delayMs: 0 }, true);
  llm.script('chat', chatAnswer('Counted down.'));

  await s.core.advanceRun(run.id);
  expect(await s.core.recoverStalledRuns()).toBe(0);
  expect(s.platform.calls).toEqual([]);

  s.clock.advance(DEAD_LEASE_MS + 1);
  expect(await s.core.recoverStalledRuns()).toBe(1);
  await s.queue.drain();

  expect(llm.requests.at(-1)!.body.messages.at(-1)).toMatchObject({ role: 'tool', content: 'Lift-off after 1 steps.' });
  expect(s.posted().filter((text) => text === 'Counted down.')).toHaveLength(1);
  expect(await s.stores.runs.getRun(run.id)).toMatchObject({ status: 'succeeded', attempt: 1 });
});

test('a call not safe to run twice is not run again after a takeover: the model reads that it was interrupted', async () => {
  const s = coreSetup({ llm, tools: [writeNoteTool], settings: { autoRun: AUTO_RUN } });
  const run = await runLeftMidCall(s.stores, s.where, 'write_note', { text: 'once' }, false);
  llm.script('chat', chatAnswer('The note may or may not have been written.'));

  s.clock.advance(DEAD_LEASE_MS + 1);
  await s.core.recoverStalledRuns();
  await s.queue.drain();

  expect(written).toEqual([]);
  expect(llm.requests.at(-1)!.body.messages.at(-1)).toMatchObject({ role: 'tool', content: expect.stringMatching(/^Interrupted: the process running write_note stopped mid-call/) });
  expect((await s.stores.runs.transcript(run.id)).calls.map((c) => c.status)).toEqual(['interrupted']);
  expect(s.posted().at(-1)).toBe('The note may or may not have been written.');
});

test('a run whose steps were cut short more often than allowed ends failed, saying why, without running the call again', async () => {
  const s = coreSetup({ llm, tools: [countdownTool], settings: { autoRun: AUTO_RUN, maxRunAttempts: 1 } });
  const run = await runLeftMidCall(s.stores, s.where, 'countdown', { steps: 1, delayMs: 0 }, true);
  s.clock.advance(DEAD_LEASE_MS + 1);
  // A second worker took it over and died as well.
  expect((await s.stores.runs.claimStep(run.id, DEAD_LEASE_MS))!.run.attempt).toBe(1);
  s.clock.advance(DEAD_LEASE_MS + 1);
  const before = llm.requests.length;

  await s.core.recoverStalledRuns();
  await s.queue.drain();

  expect(llm.requests.length).toBe(before);
  expect(await s.stores.runs.getRun(run.id)).toMatchObject({ status: 'failed', errorCode: 'interrupted', attempt: 2 });
  expect(s.posted().at(-1)).toMatch(/its steps were cut short 2 times by crashes/);
});

test('a Cancel that lands while a call runs wins over the end: the run ends cancelled with one result, and the model is not asked again', async () => {
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const holdTool = defineTool({
    name: 'hold',
    description: 'Holds until cancelled',
    input: z.object({}),
    readOnly: true,
    idempotent: true,
    execute: (_args, { signal }) => {
      started();
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    },
  });
  const s = coreSetup({ llm, tools: [holdTool], settings: { autoRun: AUTO_RUN } });
  s.platform.admins.add(bob.id);
  llm.script('chat', toolAnswer([{ name: 'hold', args: {} }]));
  const before = llm.requests.length;

  const answered = s.say('hold on');
  await running;
  const run = await s.latestRun();
  const replies: string[] = [];
  await s.core.handleCommand({ where: s.where, user: bob, name: 'cancel', args: run.id }, async (reply) => void replies.push(reply.text));
  await answered;

  expect(replies).toEqual(['Cancelling: the run stops before its next step.']);

  expect(llm.requests.length - before).toBe(1);
  expect(await s.stores.runs.getRun(run.id)).toMatchObject({ status: 'cancelled', cancelledBy: bob });
  expect(await s.stores.runs.findRunMessage(run.id, 'agent_result')).toMatchObject({ metadata: { outcome: 'cancelled' } });
  expect(s.posted().filter((text) => /cancel/i.test(text))).toHaveLength(1);
});
