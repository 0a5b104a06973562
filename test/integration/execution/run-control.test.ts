import { hashPlan } from '../../../src/core/requests/plan-hash';
import { RequestRepository } from '../../../src/db/repositories/request-repository';
import { RunRepository } from '../../../src/db/repositories/run-repository';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { RecordingPlatform } from '../../support/recording-platform';
import { rows } from '../../support/db-rows';
import { alice, bob, buttonsOf, click, editsOf, newThread, propose, requestMessages, requestRow, toolRuns, waitForStatus } from './execution-kit';
import { TOOL_RUN_TABLE } from './test-tools';
import { startWorkerApp, type WorkerApp } from './worker-app';

jest.setTimeout(30_000);

const settings = { runHeartbeatMs: 100, progressIntervalMs: 50 };

let db: TestDatabase;
let clicker: WorkerApp;
const platform = new RecordingPlatform('slack', { idPrefix: 'c-' });

beforeAll(async () => {
  db = await createTestDatabase();
  await rows(db.orm, TOOL_RUN_TABLE);
  clicker = await startWorkerApp({ url: db.url, platform, settings, work: false });
});

afterAll(async () => {
  await clicker.stop();
  await db.close();
});

/** Starts a worker process's worth of core + pg-boss for the body, then stops it. */
async function withWorker<T>(body: (worker: WorkerApp, workerPlatform: RecordingPlatform) => Promise<T>, extra: Partial<Parameters<typeof startWorkerApp>[0]> = {}): Promise<T> {
  const workerPlatform = new RecordingPlatform('slack', { idPrefix: `w${Date.now()}-` });
  const worker = await startWorkerApp({ url: db.url, platform: workerPlatform, settings, ...extra });
  try {
    return await body(worker, workerPlatform);
  } finally {
    await worker.stop();
  }
}

const cardOf = (requestId: string) => platform.posts().find((p) => buttonsOf(p.message).some((b) => b.value === requestId))!;

describe('running exactly what was approved', () => {
  it('refuses to run a plan changed in the database after approval, and ends the run failed', async () => {
    const where = newThread();
    const requestId = await propose(clicker.core, where, alice, 'safe_steps', { steps: 2 }, () => platform.calls);
    await click(clicker.core, where, alice, 'approve', requestId);
    await rows(db.orm, `update message set metadata = jsonb_set(metadata, '{actions,0,args,steps}', '9') where id = ?`, [requestId]);

    await withWorker(async (_worker, workerPlatform) => {
      await waitForStatus(db.orm, requestId, ['succeeded', 'failed'], 10_000);
      const card = cardOf(requestId).messageId;
      await workerPlatform.waitFor((calls) => editsOf(calls, card).some((c) => c.message.text.includes('failed')));
      expect(workerPlatform.posts().at(-1)!.message.text).toBe(
        '❌ Failed: Run safe_steps\nThe stored plan no longer matches what was approved; nothing was run.',
      );
      expect(editsOf(workerPlatform.calls, card).at(-1)!.message.text).toBe('❌ Approved by alice · failed: Run safe_steps');
    });
    expect((await requestRow(db.orm, requestId)).request_status).toBe('failed');
    expect(await toolRuns(db.orm, requestId)).toEqual([]);
    const result = (await requestMessages(db.orm, requestId)).find((m) => m.message_type === 'agent_result')!;
    expect(result.metadata).toMatchObject({ outcome: 'failed', errorCode: 'plan_changed', actions: [{ tool: 'safe_steps', outcome: 'skipped' }] });
  });

  it('stops a run on Cancel between steps: it ends cancelled and its later steps never run', async () => {
    const where = newThread();
    await withWorker(async (_worker, workerPlatform) => {
      const requestId = await propose(clicker.core, where, alice, 'safe_steps', { steps: 20, delayMs: 100 }, () => platform.calls);
      await click(clicker.core, where, alice, 'approve', requestId);
      const deadline = Date.now() + 10_000;
      while ((await toolRuns(db.orm, requestId)).length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const replies: string[] = [];
      await click(clicker.core, where, bob, 'cancel', requestId, replies);
      expect(replies).toEqual(['Only the requester, whoever approved it, or an approver can cancel this run.']);
      await click(clicker.core, where, alice, 'cancel', requestId, replies);
      expect(replies[1]).toBe('Cancelling: the run stops before its next step.');

      await waitForStatus(db.orm, requestId, ['cancelled'], 5000);
      await workerPlatform.waitFor((calls) => calls.some((c) => c.kind === 'post' && c.message.text.startsWith('⏹️')));
      const stepsAtEnd = (await toolRuns(db.orm, requestId)).length;
      await new Promise((r) => setTimeout(r, 500));
      const steps = await toolRuns(db.orm, requestId);
      expect(steps).toHaveLength(stepsAtEnd);
      expect(Math.max(...steps.map((s) => s.step))).toBeLessThan(20);

      const result = (await requestMessages(db.orm, requestId)).find((m) => m.message_type === 'agent_result')!;
      expect(result.metadata).toMatchObject({ outcome: 'cancelled', cancelledBy: { id: alice.id }, actions: [{ tool: 'safe_steps', outcome: 'cancelled' }] });
      expect(workerPlatform.posts().at(-1)!.message.text).toBe('⏹️ Cancelled (by alice): Run safe_steps');
      const progress = workerPlatform.posts().find((p) => p.message.text.startsWith('Running'))!;
      expect(editsOf(workerPlatform.calls, progress.messageId).at(-1)!.message.text).toMatch(/^Run finished[\s\S]*⏹️ step \d+/);
    });
  });

  it('cancels an approved request no worker has started, and a worker that comes later runs nothing', async () => {
    const where = newThread();
    const requestId = await propose(clicker.core, where, alice, 'deploy', { steps: 1 }, () => platform.calls);
    await click(clicker.core, where, alice, 'approve', requestId);
    const replies: string[] = [];
    await click(clicker.core, where, alice, 'cancel', requestId, replies);
    expect(replies).toEqual(['Cancelled before it started; nothing ran.']);
    expect(platform.posts().at(-1)!.message.text).toBe('⏹️ Cancelled (by alice): Run deploy');
    expect(editsOf(platform.calls, cardOf(requestId).messageId).at(-1)!.message.text).toContain('cancelled');

    await withWorker(async () => {
      const deadline = Date.now() + 5000;
      const jobDone = async () => (await rows<{ state: string }>(db.orm, 'select state from pgboss.job where id = ?', [requestId]))[0]?.state === 'completed';
      while (!(await jobDone()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await jobDone()).toBe(true);
    });
    expect(await toolRuns(db.orm, requestId)).toEqual([]);
    expect((await requestRow(db.orm, requestId)).request_status).toBe('cancelled');
  });
});

describe('the sweep', () => {
  it('hands runs that lost their job back to the queue: one approved but never enqueued, one whose worker fell silent', async () => {
    const where = newThread();
    const repo = new RequestRepository(clicker.orm.em.fork());
    const runs = new RunRepository(clicker.orm.em.fork());
    const create = () =>
      repo.createRequest({ where, summary: 'Lost', actions: [{ tool: 'safe_steps', args: { steps: 1 }, reason: 'test' }], destructive: false, requestedBy: alice, expiresAt: new Date(Date.now() + 60_000) });
    const planHash = hashPlan([{ tool: 'safe_steps', args: { steps: 1 }, reason: 'test' }]);
    // As if the deciding process died right after its UPDATE, before enqueueing.
    const approved = await create();
    await repo.decideRequest(approved.id, 'approved', alice, new Date(), planHash);
    // As if a worker started a run and died, and its job was lost with it.
    const silent = await create();
    await repo.decideRequest(silent.id, 'approved', alice, new Date(), planHash);
    await runs.startRun(silent.id);
    await rows(db.orm, `update message set heartbeat_at = now() - interval '1 minute' where id = ?`, [silent.id]);

    await withWorker(
      async () => {
        const [first, second] = await Promise.all([
          waitForStatus(db.orm, approved.id, ['succeeded', 'failed'], 8000),
          waitForStatus(db.orm, silent.id, ['succeeded', 'failed'], 8000),
        ]);
        expect([first.request_status, first.run_attempt]).toEqual(['succeeded', 1]);
        expect([second.request_status, second.run_attempt]).toEqual(['succeeded', 2]);
      },
      { execution: { sweepIntervalMs: 1000 } },
    );
    expect((await toolRuns(db.orm, approved.id)).filter((r) => r.step === 0)).toHaveLength(1);
    expect((await toolRuns(db.orm, silent.id)).filter((r) => r.step === 0)).toHaveLength(1);
  });
});

describe('expiry', () => {
  it('expires an undecided request on the scheduled sweep, edits its card, and answers a later click', async () => {
    const where = newThread();
    await withWorker(
      async (worker, workerPlatform) => {
        const requestId = await propose(worker.core, where, alice, 'safe_steps', { steps: 1 }, () => workerPlatform.calls);
        await waitForStatus(db.orm, requestId, ['expired'], 8000);
        const card = workerPlatform.posts().find((p) => buttonsOf(p.message).some((b) => b.value === requestId))!;
        await workerPlatform.waitFor((calls) => editsOf(calls, card.messageId).length > 0);
        const edited = editsOf(workerPlatform.calls, card.messageId).at(-1)!.message;
        expect(edited.text).toBe('⌛ Expired before anyone decided: Run safe_steps');
        expect(buttonsOf(edited)).toEqual([]);

        const replies: string[] = [];
        await click(worker.core, where, alice, 'approve', requestId, replies);
        expect(replies).toEqual(['This request has expired; ask again if it is still needed.']);
        const result = (await requestMessages(db.orm, requestId)).find((m) => m.message_type === 'agent_result')!;
        expect(result.metadata).toMatchObject({ outcome: 'expired' });
        expect(await toolRuns(db.orm, requestId)).toEqual([]);
      },
      { settings: { ...settings, requestTtlMs: 300 }, execution: { sweepIntervalMs: 1000 } },
    );
  });
});
