import { randomUUID } from 'node:crypto';
import { newCardToken } from '../../../src/core/approvals/card-token';
import { showCalls } from '../../../src/core/approvals/show-calls';
import { hashPlan } from '../../../src/core/approvals/shown-plan';
import { createStores } from '../../../src/db/create-stores';
import { ToolRegistry } from '../../../src/tools/tool-registry';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { RecordingPlatform } from '../../support/recording-platform';
import { rows } from '../../support/db-rows';
import { eventually } from '../../support/eventually';
import { alice, bob, buttonsOf, click, editsOf, gateRow, newThread, propose, runMessages, toolRuns, waitForRun, type Gate } from './execution-kit';
import { TOOL_RUN_TABLE, testTools } from './test-tools';
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

describe('running exactly what was approved', () => {
  it('refuses to run a call changed in the database after approval, and ends the run failed', async () => {
    const where = newThread();
    const gate = await propose(clicker.core, where, alice, 'safe_steps', { steps: 2 }, () => platform.calls);
    await click(clicker.core, where, alice, 'approve', gate);
    await rows(db.orm, `update tool_call set args = '{"steps": 9}'::jsonb where request_id = ?`, [gate.requestId]);

    await withWorker(async (worker, workerPlatform) => {
      await waitForRun(db.orm, gate, ['succeeded', 'failed'], 10_000);
      await worker.core.idle();
      expect(workerPlatform.posts().map((p) => p.message.text)).toContain('❌ Failed: Run safe_steps\nNot run: the stored plan no longer matches what was approved.');
    });
    expect(await toolRuns(db.orm, gate)).toEqual([]);
    expect((await runMessages(db.orm, gate)).find((m) => m.message_type === 'agent_result')!.metadata).toMatchObject({ outcome: 'failed' });
  });

  it('stops a run on Cancel mid-call: it ends cancelled and the call\'s later steps never run', async () => {
    const where = newThread();
    await withWorker(async (worker, workerPlatform) => {
      const gate = await propose(clicker.core, where, alice, 'safe_steps', { steps: 20, delayMs: 100 }, () => platform.calls);
      await click(clicker.core, where, alice, 'approve', gate);
      const deadline = Date.now() + 10_000;
      while ((await toolRuns(db.orm, gate)).length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const replies: string[] = [];
      await click(clicker.core, where, bob, 'cancel', gate, replies);
      expect(replies).toEqual(['Only the requester, whoever approved it, or an approver can cancel this run.']);
      await click(clicker.core, where, alice, 'cancel', gate, replies);
      expect(replies[1]).toBe('Cancelling: the run stops before its next step.');

      // The click marks the run cancelled at once; its worker notices at its next renewal, stops
      // the call and ends the run with its result: only then may no step follow.
      await waitForRun(db.orm, gate, ['cancelled'], 5000);
      await eventually(async () => expect((await runMessages(db.orm, gate)).some((m) => m.message_type === 'agent_result')).toBe(true), 5000);
      await worker.core.idle();
      const stepsAtEnd = (await toolRuns(db.orm, gate)).length;
      await new Promise((r) => setTimeout(r, 500));
      const steps = await toolRuns(db.orm, gate);
      expect(steps).toHaveLength(stepsAtEnd);
      expect(Math.max(...steps.map((s) => s.step))).toBeLessThan(20);

      expect((await runMessages(db.orm, gate)).find((m) => m.message_type === 'agent_result')!.metadata).toMatchObject({ outcome: 'cancelled' });
      expect(workerPlatform.posts().at(-1)!.message.text).toBe('⏹️ Cancelled by alice: Run safe_steps');
      const progress = workerPlatform.posts().find((p) => p.message.text.startsWith('Working'))!;
      expect(editsOf(workerPlatform.calls, progress.messageId).at(-1)!.message.text).toMatch(/^Run finished[\s\S]*⏹️ `safe_steps`.* · cancelled/);
    });
  });

  it('cancels an approved run no worker has started at once, and a worker that comes later runs nothing', async () => {
    const where = newThread();
    const gate = await propose(clicker.core, where, alice, 'deploy', { steps: 1 }, () => platform.calls);
    await click(clicker.core, where, alice, 'approve', gate);
    const replies: string[] = [];
    await click(clicker.core, where, alice, 'cancel', gate, replies);
    await clicker.core.idle();
    expect(replies).toEqual(['Cancelled; nothing more ran.']);
    expect(platform.posts().at(-1)!.message.text).toBe('⏹️ Cancelled by alice: Run deploy');

    await withWorker(async () => {
      await new Promise((r) => setTimeout(r, 1000));
    });
    expect(await toolRuns(db.orm, gate)).toEqual([]);
    expect(await gateRow(db.orm, gate)).toMatchObject({ request: 'approved', run: 'cancelled' });
  });
});

describe('the liveness sweep', () => {
  it('hands runs that lost their job back to the queue: one decided but never enqueued, one whose worker fell silent mid-call', async () => {
    const where = newThread();
    const { runs, requests } = createStores(clicker.orm.em.fork(), clicker.db.sql);
    // The hash of the plan as its card would show it, computed as the core does.
    const scope = { platform: where.platform, workspace: where.workspace, channel: where.channel };
    const planHash = hashPlan(showCalls([{ tool: 'safe_steps', args: { steps: 1 } }], new ToolRegistry(testTools(clicker.orm.em.fork())), scope));
    const decided = async (): Promise<Gate> => {
      const created = await runs.createRun({
        where,
        kind: 'manual',
        status: 'waiting',
        requestedBy: alice,
        triggerMessageId: null,
        deadlineAt: new Date(Date.now() + 3_600_000),
        turn: { content: null, usage: null, calls: [{ callId: 'manual', tool: 'safe_steps', args: { steps: 1 }, gate: 'gated', status: 'pending', idempotent: true, result: null }] },
        request: { id: randomUUID(), summary: 'Lost', destructive: false, expiresAt: new Date(Date.now() + 60_000), planHash, cardToken: newCardToken() },
      });
      const requestId = created!.request!.id;
      await requests.decideRequest(requestId, 'approved', alice, { now: new Date(), planHash, reason: null, deniedResult: '', cardText: 'Approved by alice' });
      return { requestId, cardMessageId: '', approveValue: '' };
    };
    // As if the deciding process died right after its UPDATE, before enqueueing.
    const lost = await decided();
    // As if a worker had taken the call and died mid-call, its job lost with it.
    const silent = await decided();
    const runId = (await rows<{ run_id: string }>(db.orm, 'select run_id from agent_request where id = ?', [silent.requestId]))[0]!.run_id;
    await runs.claimStep(runId, 60_000);
    await rows(db.orm, `update tool_call set status = 'running' where run_id = ?`, [runId]);
    await rows(db.orm, `update agent_run set lease_until = now() - interval '1 second' where id = ?`, [runId]);
    // Released a minute ago with no job: the lost one.
    await rows(db.orm, `update agent_run set lease_until = now() - interval '1 minute' where lease_token is null and status = 'running'`);

    await withWorker(async () => {
      const [first, second] = await Promise.all([waitForRun(db.orm, lost, ['succeeded', 'failed'], 8000), waitForRun(db.orm, silent, ['succeeded', 'failed'], 8000)]);
      expect(first).toMatchObject({ run: 'succeeded', attempt: 0 });
      // The silent worker's lease had lapsed: taking its step over counts an attempt, and the idempotent call ran again.
      expect(second).toMatchObject({ run: 'succeeded', attempt: 1 });
    });
    expect((await toolRuns(db.orm, lost)).filter((r) => r.step === 0)).toHaveLength(1);
    expect((await toolRuns(db.orm, silent)).filter((r) => r.step === 0)).toHaveLength(1);
  });
});

describe('expiry', () => {
  it('expires an undecided request on the scheduled sweep, edits its card, ends its run, and answers a later click', async () => {
    const where = newThread();
    await withWorker(
      async (worker, workerPlatform) => {
        const gate = await propose(worker.core, where, alice, 'safe_steps', { steps: 1 }, () => workerPlatform.calls);
        await waitForRun(db.orm, gate, ['expired'], 8000);
        await worker.core.idle();
        const edited = editsOf(workerPlatform.calls, gate.cardMessageId).at(-1)!.message;
        expect(edited.text).toBe('⌛ Expired with no decision; nothing ran: Run safe_steps');
        expect(buttonsOf(edited)).toEqual([]);
        expect(workerPlatform.posts().at(-1)!.message.text).toBe('⌛ Expired with no decision; nothing ran: Run safe_steps\nAsk again with !run safe_steps {"steps":1,"delayMs":0}');

        const replies: string[] = [];
        await click(worker.core, where, alice, 'approve', gate, replies);
        expect(replies).toEqual(['This request has expired; ask again if it is still needed.']);
        expect(await toolRuns(db.orm, gate)).toEqual([]);
      },
      { settings: { ...settings, requestTtlMs: 300 }, execution: { sweepIntervalMs: 1000 } },
    );
  });
});
