import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { RecordingPlatform } from '../../support/recording-platform';
import { rows } from '../../support/db-rows';
import { alice, click, editsOf, gateRow, newThread, postsOf, propose, runMessages, toolRuns, waitForRun } from './execution-kit';
import { TOOL_RUN_TABLE } from './test-tools';
import { startWorkerApp, type WorkerApp } from './worker-app';
import { spawnWorker, type WorkerChild } from './worker-child';

// Bounds, generous for a loaded machine: each test starts two worker processes (up to 30 s each).
jest.setTimeout(90_000);

// A worker that misses 3 lease renewals 500 ms apart is taken for dead, and the liveness sweep
// (every 300 ms) hands its step to the queue. pg-boss's own redelivery is minutes away
// (TEST_EXECUTION), so only the lease can take a run over within the test's time. The killed
// worker is dead for sure; the lease is long enough (1.5 s) that the live one, stalled by a
// loaded machine, is not taken for dead too, and the action timeout is far above the tool's 2 s.
const settings = { actionTimeoutMs: 30_000, runHeartbeatMs: 500, progressIntervalMs: 100 };

let db: TestDatabase;
let clicker: WorkerApp;
const platform = new RecordingPlatform('slack');
const children: WorkerChild[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await rows(db.orm, TOOL_RUN_TABLE);
  // The process people click on: it proposes, decides and enqueues, but runs nothing.
  clicker = await startWorkerApp({ url: db.url, platform, settings, work: false });
});

afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => c.kill('SIGKILL')));
});

afterAll(async () => {
  await clicker.stop();
  await db.close();
});

/** Approves a 10-step run, lets worker A start it, kills A with SIGKILL mid-run, and starts worker B. */
async function crashMidRun(tool: string) {
  const where = newThread();
  const a = await spawnWorker(db.url, { settings });
  children.push(a);
  const gate = await propose(clicker.core, where, alice, tool, { steps: 10, delayMs: 200 }, () => platform.calls);
  await click(clicker.core, where, alice, 'approve', gate);
  await a.waitFor((calls) => calls.some((c) => c.kind === 'update' && c.message.text.includes('step 3')), 10_000);
  await a.kill('SIGKILL');
  expect((await gateRow(db.orm, gate)).run).toBe('running');
  const b = await spawnWorker(db.url, { settings });
  children.push(b);
  return { gate, a, b };
}

describe('a worker killed with SIGKILL mid-run', () => {
  it('is taken over by another worker process, which runs an idempotent tool again to success', async () => {
    const { gate, a, b } = await crashMidRun('safe_steps');

    const row = await waitForRun(db.orm, gate, ['succeeded', 'failed', 'cancelled'], 20_000);
    expect(row).toMatchObject({ run: 'succeeded', attempt: 1 });

    const starts = (await toolRuns(db.orm, gate)).filter((r) => r.step === 0);
    expect(starts.map((r) => r.pid)).toEqual([a.pid, b.pid]);

    // One progress message: B edited the one A posted instead of posting its own.
    const progress = postsOf(a.calls)[0]!;
    expect(progress.message.text).toMatch(/^Working/);
    await b.waitFor((calls) => postsOf(calls).some((c) => c.message.text.startsWith('✅ Done')), 5000);
    expect(postsOf(b.calls).map((c) => c.message.text)).toEqual([expect.stringMatching(/^✅ Done: Run safe_steps\nsafe_steps took 10 steps/)]);
    // The result's platform id is stored once its post returns, before the progress message's last edit.
    await b.waitFor((calls) => editsOf(calls, progress.messageId).some((c) => c.message.text.startsWith('Run finished')), 5000);
    const messages = await runMessages(db.orm, gate);
    expect(messages.map((m) => m.message_type).sort()).toEqual(['agent_progress', 'agent_result']);

    const result = messages.find((m) => m.message_type === 'agent_result')!;
    expect(result.metadata).toMatchObject({ outcome: 'succeeded', errorCode: null });
    expect(result.platform_message_id).toMatch(new RegExp(`^p${b.pid}-`));
  });

  it('does not run a non-idempotent tool again: the call ends interrupted, the run fails and the user is told', async () => {
    const { gate, a, b } = await crashMidRun('deploy');

    const row = await waitForRun(db.orm, gate, ['succeeded', 'failed', 'cancelled'], 20_000);
    expect(row).toMatchObject({ run: 'failed', error_code: 'interrupted' });

    const starts = (await toolRuns(db.orm, gate)).filter((r) => r.step === 0);
    expect(starts.map((r) => r.pid)).toEqual([a.pid]);

    const result = (await runMessages(db.orm, gate)).find((m) => m.message_type === 'agent_result')!;
    expect(result.metadata).toMatchObject({ outcome: 'failed', errorCode: 'interrupted' });
    await b.waitFor((calls) => postsOf(calls).length > 0, 5000);
    expect(postsOf(b.calls).map((c) => c.message.text)).toEqual([expect.stringMatching(/^❌ Failed: Run deploy\nInterrupted: the process running deploy stopped mid-call\. It was not run again because it is not safe to run twice/)]);
    await b.waitFor((calls) => editsOf(calls, postsOf(a.calls)[0]!.messageId).some((c) => /^Run finished[\s\S]*⚡ `deploy`/.test(c.message.text)), 5000);
  });
});
