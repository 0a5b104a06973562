import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { RecordingPlatform } from '../../support/recording-platform';
import { rows } from '../../support/db-rows';
import { alice, click, editsOf, newThread, postsOf, propose, requestMessages, requestRow, toolRuns, waitForStatus } from './execution-kit';
import { TOOL_RUN_TABLE } from './test-tools';
import { startWorkerApp, type WorkerApp } from './worker-app';
import { spawnWorker, type WorkerChild } from './worker-child';

jest.setTimeout(40_000);

// A run's job expires after 3 s (one action's timeout) + 1 s margin; pg-boss looks for
// expired jobs every second; a worker silent for 5 × 100 ms is taken for dead.
const settings = { actionTimeoutMs: 3000, runHeartbeatMs: 100, progressIntervalMs: 100 };

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
  const requestId = await propose(clicker.core, where, alice, tool, { steps: 10, delayMs: 200 }, () => platform.calls);
  await click(clicker.core, where, alice, 'approve', requestId);
  await a.waitFor((calls) => calls.some((c) => c.kind === 'update' && c.message.text.includes('step 3')), 10_000);
  await a.kill('SIGKILL');
  const killedAt = Date.now();
  expect((await requestRow(db.orm, requestId)).request_status).toBe('running');
  const b = await spawnWorker(db.url, { settings });
  children.push(b);
  return { requestId, a, b, killedAt };
}

describe('a worker killed with SIGKILL mid-run', () => {
  it('is taken over by another worker process, which runs an idempotent tool again to success', async () => {
    const { requestId, a, b } = await crashMidRun('safe_steps');

    const row = await waitForStatus(db.orm, requestId, ['succeeded', 'failed', 'cancelled'], 20_000);
    expect(row.request_status).toBe('succeeded');
    expect(row.run_attempt).toBe(2);

    const starts = (await toolRuns(db.orm, requestId)).filter((r) => r.step === 0);
    expect(starts.map((r) => r.pid)).toEqual([a.pid, b.pid]);

    // One progress message: B edited the one A posted instead of posting its own.
    const progress = postsOf(a.calls)[0]!;
    expect(progress.message.text).toMatch(/^Running/);
    await b.waitFor((calls) => postsOf(calls).some((c) => c.message.text.startsWith('✅ Done')), 5000);
    const messages = await requestMessages(db.orm, requestId);
    expect(messages.map((m) => m.message_type).sort()).toEqual(['agent_progress', 'agent_result']);
    expect(postsOf(b.calls).map((c) => c.message.text)).toEqual([expect.stringMatching(/^✅ Done: Run safe_steps\nsafe_steps took 10 steps/)]);
    const progressEdits = editsOf(b.calls, progress.messageId);
    expect(progressEdits.at(-1)!.message.text).toMatch(/^Run finished/);
    expect(progressEdits.at(-1)!.message.text).toContain('(interrupted)');

    const result = messages.find((m) => m.message_type === 'agent_result')!;
    expect(result.metadata).toMatchObject({ outcome: 'succeeded', attempt: 2, actions: [{ tool: 'safe_steps', outcome: 'succeeded' }] });
    expect(result.platform_message_id).toMatch(new RegExp(`^p${b.pid}-`));
    // The card ends in its final state, edited by the worker that finished the run.
    const card = platform.posts().find((p) => p.where.channel === progress.where.channel)!.messageId;
    await b.waitFor((calls) => editsOf(calls, card).some((c) => c.message.text === '✅ Approved by alice · succeeded: Run safe_steps'), 5000);
  });

  it('ends a run of a non-idempotent tool failed with "interrupted", runs nothing again, and tells the user', async () => {
    const { requestId, a, b } = await crashMidRun('deploy');

    const row = await waitForStatus(db.orm, requestId, ['succeeded', 'failed', 'cancelled'], 20_000);
    expect(row.request_status).toBe('failed');

    const starts = (await toolRuns(db.orm, requestId)).filter((r) => r.step === 0);
    expect(starts.map((r) => r.pid)).toEqual([a.pid]);

    const result = (await requestMessages(db.orm, requestId)).find((m) => m.message_type === 'agent_result')!;
    expect(result.metadata).toMatchObject({ outcome: 'failed', errorCode: 'interrupted', actions: [{ tool: 'deploy', outcome: 'interrupted' }] });
    await b.waitFor((calls) => postsOf(calls).length > 0, 5000);
    expect(postsOf(b.calls).map((c) => c.message.text)).toEqual([expect.stringMatching(/^❌ Failed: Run deploy\nInterrupted: .*deploy is not safe to run twice/)]);
    const progressEdits = editsOf(b.calls, postsOf(a.calls)[0]!.messageId);
    expect(progressEdits.at(-1)!.message.text).toMatch(/^Run finished[\s\S]*❌ step \d+ \(interrupted\)/);
  });
});
