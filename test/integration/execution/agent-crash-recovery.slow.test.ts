import { APPROVE_ACTION } from '../../../src/core/model/action-ids';
import type { ThreadRef } from '../../../src/core/model/conversation';
import { createLogger } from '../../../src/logging/logger';
import { OpenAiModel } from '../../../src/llm/openai-model';
import { chatAnswer, startFakeOpenAi, toolAnswer, type FakeOpenAi, type RecordedCompletion } from '../../fakes/fake-openai';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { RecordingPlatform } from '../../support/recording-platform';
import { rows } from '../../support/db-rows';
import { alice, buttonsOf, click, gateRow, newThread, postsOf, runMessages, toolRuns, waitForRun, type Gate } from './execution-kit';
import { TOOL_RUN_TABLE } from './test-tools';
import { startWorkerApp, type WorkerApp } from './worker-app';
import { spawnWorker, type WorkerChild } from './worker-child';

// Bounds, generous for a loaded machine: each test starts two worker processes (up to 30 s each).
jest.setTimeout(120_000);

// As in crash-recovery.slow.test.ts: a worker missing 3 renewals 500 ms apart is taken for dead,
// and the liveness sweep (every 300 ms) hands its step back to the queue.
const settings = { actionTimeoutMs: 30_000, runHeartbeatMs: 500, progressIntervalMs: 100 };
const FINAL_ANSWER = 'The job is done: it ran to the end.';
const INTERRUPTED_ANSWER = 'The deploy was cut short; it may or may not have taken effect.';

let db: TestDatabase;
let llm: FakeOpenAi;
let clicker: WorkerApp;
const platform = new RecordingPlatform('slack');
const children: WorkerChild[] = [];

/** The model: asks for the tool the message names; once it reads that call's result, answers in words. */
function agentModel(request: RecordedCompletion) {
  const last = request.body.messages.at(-1);
  if (last?.role === 'tool') return chatAnswer(last.content?.startsWith('Interrupted') ? INTERRUPTED_ANSWER : FINAL_ANSWER);
  const tool = last?.content?.includes('deploy') ? 'deploy' : 'safe_steps';
  return toolAnswer([{ name: tool, args: { steps: 10, delayMs: 200 } }]);
}

beforeAll(async () => {
  [db, llm] = await Promise.all([createTestDatabase(), startFakeOpenAi()]);
  llm.fallback(agentModel);
  await rows(db.orm, TOOL_RUN_TABLE);
  const model = new OpenAiModel({ apiKey: 'test-key', baseUrl: llm.baseUrl, model: 'test-model', timeoutMs: 10_000, maxRetries: 0 }, createLogger({ level: 'silent' }));
  // The process people talk to and click on: it answers turns and decides, but runs no steps.
  clicker = await startWorkerApp({ url: db.url, platform, settings, model, work: false });
});

afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => c.kill('SIGKILL')));
});

afterAll(async () => {
  await clicker?.stop();
  await llm?.close();
  await db?.close();
});

const worker = async () => {
  const child = await spawnWorker(db.url, { settings, openAiBaseUrl: llm.baseUrl });
  children.push(child);
  return child;
};

/** A mention the model answers with a gated call: the gate its card shows. */
async function ask(where: ThreadRef, text: string): Promise<Gate> {
  const before = platform.calls.length;
  await clicker.core.handleMessage({ where, messageId: `${where.thread}.1`, author: alice, text });
  const card = postsOf(platform.calls.slice(before)).find((c) => c.message.card);
  const approve = card && buttonsOf(card.message).find((b) => b.actionId === APPROVE_ACTION);
  if (!card || !approve) throw new Error('no card was posted');
  return { requestId: approve.value.split('.')[0]!, cardMessageId: card.messageId, approveValue: approve.value };
}

const resultTexts = async (gate: Gate) => (await runMessages(db.orm, gate)).filter((m) => m.message_type === 'agent_result').map((m) => m.text);

const postedAnswers = (children: WorkerChild[], answer: string) =>
  children.flatMap((c) => postsOf(c.calls)).filter((c) => c.message.text === answer).length + postsOf(platform.calls).filter((c) => c.message.text === answer).length;

/** Approves, lets worker A start the call, kills A with SIGKILL mid-call, and starts worker B. */
async function crashMidCall(text: string) {
  const where = newThread();
  const a = await worker();
  const gate = await ask(where, text);
  await click(clicker.core, where, alice, 'approve', gate);
  await a.waitFor((calls) => calls.some((c) => c.kind === 'update' && c.message.text.includes('step 3')), 10_000);
  await a.kill('SIGKILL');
  expect((await gateRow(db.orm, gate)).run).toBe('running');
  const b = await worker();
  return { gate, a, b };
}

describe('an agent run whose worker is killed with SIGKILL', () => {
  test('mid-call: another worker runs the idempotent call again, the model reads its result, and one final answer is posted', async () => {
    const requestsBefore = llm.requests.length;
    const { gate, a, b } = await crashMidCall('please run the safe job');

    const row = await waitForRun(db.orm, gate, ['succeeded', 'failed', 'cancelled'], 30_000);
    expect(row).toMatchObject({ run: 'succeeded', attempt: 1 });
    expect((await toolRuns(db.orm, gate)).filter((r) => r.step === 0).map((r) => r.pid)).toEqual([a.pid, b.pid]);
    // B asked the model with the call's result as a tool message under the model's call id.
    const [step] = llm.requests.slice(requestsBefore).filter((r) => r.body.messages.at(-1)?.role === 'tool');
    const asked = step!.body.messages.find((m) => m.tool_calls)!.tool_calls![0]!;
    expect(step!.body.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: asked.id, content: expect.stringContaining('safe_steps took 10 steps') });
    await b.waitFor((calls) => postsOf(calls).some((c) => c.message.text === FINAL_ANSWER), 10_000);
    expect(await resultTexts(gate)).toEqual([FINAL_ANSWER]);
    expect(postedAnswers([a, b], FINAL_ANSWER)).toBe(1);
  });

  test('mid-call: a call that is not safe to run twice is not run again; the model is told it was interrupted and answers once', async () => {
    const requestsBefore = llm.requests.length;
    const { gate, a, b } = await crashMidCall('please deploy it');

    await waitForRun(db.orm, gate, ['succeeded', 'failed', 'cancelled'], 30_000);
    expect((await toolRuns(db.orm, gate)).filter((r) => r.step === 0).map((r) => r.pid)).toEqual([a.pid]);
    const step = llm.requests.slice(requestsBefore).find((r) => r.body.messages.at(-1)?.role === 'tool');
    expect(step!.body.messages.at(-1)!.content).toMatch(/^Interrupted: the process running deploy stopped mid-call/);
    await b.waitFor((calls) => postsOf(calls).some((c) => c.message.text === INTERRUPTED_ANSWER), 10_000);
    expect(await resultTexts(gate)).toEqual([INTERRUPTED_ANSWER]);
    expect(postedAnswers([a, b], INTERRUPTED_ANSWER)).toBe(1);
  });

  test('while its gate waits: nothing was held, so an approval after the crash runs on another worker and is answered once', async () => {
    const where = newThread();
    const a = await worker();
    const gate = await ask(where, 'please run the safe job');
    expect((await gateRow(db.orm, gate)).run).toBe('waiting');
    await a.kill('SIGKILL');
    const b = await worker();

    await click(clicker.core, where, alice, 'approve', gate);

    expect(await waitForRun(db.orm, gate, ['succeeded', 'failed', 'cancelled'], 30_000)).toMatchObject({ run: 'succeeded', attempt: 0 });
    expect((await toolRuns(db.orm, gate)).filter((r) => r.step === 0).map((r) => r.pid)).toEqual([b.pid]);
    await b.waitFor((calls) => postsOf(calls).some((c) => c.message.text === FINAL_ANSWER), 10_000);
    expect(await resultTexts(gate)).toEqual([FINAL_ANSWER]);
    expect(postedAnswers([a, b], FINAL_ANSWER)).toBe(1);
  });
});
