/**
 * The periodic sweeps through the real core over the memory stores, with time moved on the
 * stores' clock: an undecided request expires, a result its worker never posted is posted,
 * and a run whose job was lost goes back to the queue, each once its time has come and not before.
 */
import { z } from 'zod';
import { BOT_AUTHOR } from '../../src/core/model/conversation';
import { defineTool } from '../../src/tools/define-tool';
import { chatAnswer, startFakeOpenAi, toolAnswer, type FakeOpenAi } from '../fakes/fake-openai';
import { TEST_SETTINGS } from '../support/core-over-stores';
import { bob, coreSetup } from './core-kit';

let llm: FakeOpenAi;
beforeAll(async () => {
  llm = await startFakeOpenAi();
});
afterEach(() => llm.reset());
afterAll(() => llm.close());

/** A tool that always asks first: not read-only. */
const restartTool = defineTool({
  name: 'restart_service',
  description: 'Restarts a service',
  input: z.object({ service: z.string() }),
  execute: async ({ service }) => ({ text: `${service} restarted` }),
});

/** A core whose model asked to restart staging: the run waits on its request. */
async function waitingGate() {
  const s = coreSetup({ llm, tools: [restartTool] });
  llm.script('chat', toolAnswer([{ name: 'restart_service', args: { service: 'staging' } }], 'Restart staging'));
  await s.say('restart staging please');
  const run = await s.latestRun();
  const [request] = await s.stores.requests.requestsOfRuns([run.id]);
  return { ...s, run, request: request! };
}

test('an undecided request expires on the sweep once its time has passed, not before: its run ends with a message', async () => {
  const s = await waitingGate();

  expect(await s.core.expireDueRequests()).toBe(0);
  s.clock.advance(TEST_SETTINGS.requestTtlMs);
  expect(await s.core.expireDueRequests()).toBe(1);
  await s.queue.drain();

  expect((await s.stores.requests.getRequest(s.request.id))!.status).toBe('expired');
  expect(await s.stores.runs.getRun(s.run.id)).toMatchObject({ status: 'expired' });
  expect(s.platform.updates().map((u) => u.message.text).join('\n')).toMatch(/expired/i);
  expect(await s.stores.runs.findRunMessage(s.run.id, 'agent_result')).toMatchObject({ metadata: { outcome: 'expired' } });
});

test('a run decided by a process that died before queueing it is handed to the queue after the release delay, not before, and answered once', async () => {
  const s = await waitingGate();
  // The decision was stored; the job that would have taken the next step was never sent.
  await s.stores.requests.decideRequest(s.request.id, 'approved', bob, { now: s.clock.now(), planHash: s.request.planHash, reason: null, deniedResult: '', cardText: 'Approved' });
  llm.script('chat', chatAnswer('Staging is restarted.'));

  expect(await s.core.recoverStalledRuns()).toBe(0);
  s.clock.advance(10_001);
  expect(await s.core.recoverStalledRuns()).toBe(1);
  await s.queue.drain();

  expect(llm.requests.at(-1)!.body.messages.at(-1)).toMatchObject({ role: 'tool', content: 'staging restarted' });
  expect(s.posted().filter((text) => text === 'Staging is restarted.')).toHaveLength(1);
  expect(await s.core.recoverStalledRuns()).toBe(0);
});

test('a result stored by a worker that died before posting it is posted by the sweep a minute later, once', async () => {
  const s = await waitingGate();
  const result = { where: s.run.where, platformMessageId: null, author: BOT_AUTHOR, role: 'assistant', type: 'agent_result', text: 'Gave up on staging.', metadata: { runId: s.run.id, outcome: 'failed', errorCode: null } } as const;
  await s.stores.runs.endRun(s.run.id, { status: 'failed', errorCode: null, result });

  await s.core.recoverStalledRuns();
  expect(s.posted()).not.toContain('Gave up on staging.');
  s.clock.advance(60_001);
  await s.core.recoverStalledRuns();
  await s.core.recoverStalledRuns();
  await s.queue.drain();

  expect(s.posted().filter((text) => text === 'Gave up on staging.')).toHaveLength(1);
});
