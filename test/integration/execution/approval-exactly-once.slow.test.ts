import type { Person } from '../../../src/core/model/conversation';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { RecordingPlatform } from '../../support/recording-platform';
import { rows } from '../../support/db-rows';
import { alice, bob, carol, click, gateRow, type Gate, newThread, propose, runMessages, toolRuns, waitForRun } from './execution-kit';
import { TOOL_RUN_TABLE } from './test-tools';
import { startWorkerApp, type WorkerApp } from './worker-app';
import { spawnWorker, type WorkerChild } from './worker-child';

jest.setTimeout(30_000);

const dave: Person = { id: 'U_DAVE', name: 'dave' };
// carol is an approver by id, bob through the G_OPS group; alice and dave are not approvers.
// Leases as in production (3 s): nothing here crashes, and a worker that a loaded machine
// stalls for a few hundred ms must not be taken for dead and have its call run again.
const settings = { policy: { approvers: ['U_CAROL', 'G_OPS'], fourEyes: true }, runHeartbeatMs: 1000 };

let db: TestDatabase;
let one: WorkerApp;
let two: WorkerApp;
let child: WorkerChild;
const platformOne = new RecordingPlatform('slack', { idPrefix: 'one-' });
const platformTwo = new RecordingPlatform('slack', { idPrefix: 'two-' });

beforeAll(async () => {
  db = await createTestDatabase();
  await rows(db.orm, TOOL_RUN_TABLE);
  for (const p of [platformOne, platformTwo]) p.groups.set(bob.id, ['G_OPS']);
  // Two bot processes' worth of core + pg-boss in this process, and a worker in another process.
  [one, two, child] = await Promise.all([
    startWorkerApp({ url: db.url, platform: platformOne, settings }),
    startWorkerApp({ url: db.url, platform: platformTwo, settings }),
    spawnWorker(db.url, { settings }),
  ]);
});

afterAll(async () => {
  await child?.kill('SIGTERM');
  await Promise.all([one?.stop(), two?.stop()]);
  await db.close();
});

/** Step jobs ever sent for the gate's run (pg-boss keeps finished ones in the same table until archived). */
const jobsFor = async (gate: Gate) =>
  (await rows<{ n: string }>(db.orm, `select count(*) as n from pgboss.job j join agent_request q on j.data->>'runId' = q.run_id::text where q.id = ?`, [gate.requestId]))[0]!.n;

describe('deciding a request', () => {
  it('runs a request once when 50 approvals race on two processes while two worker processes poll', async () => {
    const where = newThread();
    const gate = await propose(one.core, where, alice, 'safe_steps', { steps: 3, delayMs: 50 }, () => platformOne.calls);
    const replies: string[] = [];
    await Promise.all(Array.from({ length: 50 }, (_, i) => click(i % 2 ? two.core : one.core, where, i % 3 ? carol : alice, 'approve', gate, replies)));

    await waitForRun(db.orm, gate, ['succeeded'], 10_000);
    // Let any duplicate delivery have its chance before counting.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await toolRuns(db.orm, gate)).filter((r) => r.step === 0)).toHaveLength(1);
    expect((await runMessages(db.orm, gate)).map((m) => m.message_type).sort()).toEqual(['agent_progress', 'agent_result']);
    // The deciding process had a worker slot free, so the decision woke the step in process, and
    // that step ran the call and ended the run on the lease it held: no job was ever sent.
    expect(await jobsFor(gate)).toBe('0');
    expect(replies).toHaveLength(49);
    for (const reply of replies) expect(reply).toMatch(/^(You already approved this request|This request was already approved by (alice|carol))\.$/);
    const progressPosts = [...platformOne.posts(), ...platformTwo.posts(), ...child.calls.filter((c) => c.kind === 'post')].filter(
      (c) => c.kind === 'post' && c.where.channel === where.channel && c.message.text.startsWith('Working'),
    );
    expect(progressPosts).toHaveLength(1);
  });

  it('refuses a destructive approval from anyone but an approver, privately, and runs nothing', async () => {
    const where = newThread();
    const gate = await propose(one.core, where, alice, 'wipe', { steps: 1 }, () => platformOne.calls);
    const replies: string[] = [];
    await click(one.core, where, alice, 'approve', gate, replies);
    await click(two.core, where, dave, 'approve', gate, replies);
    await click(one.core, where, dave, 'deny', gate, replies);

    expect(replies).toEqual([
      'This request is destructive: only an approver can approve it.',
      'This request is destructive: only an approver can approve it.',
      'Only the requester or an approver can deny this request.',
    ]);
    const row = await gateRow(db.orm, gate);
    expect(row).toMatchObject({ request: 'pending', decided_by_id: null, run: 'waiting' });
    expect(await jobsFor(gate)).toBe('0');
    expect(await toolRuns(db.orm, gate)).toEqual([]);
    // Nothing public was said about the refusals: the card is the only message in the thread.
    expect(platformOne.calls.filter((c) => c.kind !== 'ephemeral' && (c.kind === 'update' ? c.posted.where : c.where).channel === where.channel)).toHaveLength(1);
  });

  it('lets the requester approve a non-destructive request but not a stranger', async () => {
    const where = newThread();
    const gate = await propose(one.core, where, alice, 'safe_steps', { steps: 1 }, () => platformOne.calls);
    const replies: string[] = [];
    await click(two.core, where, dave, 'approve', gate, replies);
    expect(replies).toEqual(['Only the requester or an approver can approve this request.']);
    expect((await gateRow(db.orm, gate)).request).toBe('pending');
    await click(two.core, where, alice, 'approve', gate, replies);
    await waitForRun(db.orm, gate, ['succeeded'], 10_000);
  });

  it('applies four eyes: an approver cannot approve their own destructive request, another approver can', async () => {
    const where = newThread();
    const gate = await propose(one.core, where, carol, 'wipe', { steps: 1 }, () => platformOne.calls);
    const replies: string[] = [];
    await click(one.core, where, carol, 'approve', gate, replies);
    expect(replies).toEqual(['Four-eyes rule: someone other than the requester must approve a destructive request.']);
    expect((await gateRow(db.orm, gate)).request).toBe('pending');
    expect(await jobsFor(gate)).toBe('0');

    await click(two.core, where, bob, 'approve', gate, replies);
    const row = await waitForRun(db.orm, gate, ['succeeded'], 10_000);
    expect(row).toMatchObject({ request: 'approved', decided_by_id: bob.id });
    expect(row.decided_at).not.toBeNull();
    expect(replies).toHaveLength(1);
    expect((await toolRuns(db.orm, gate)).filter((r) => r.step === 0)).toHaveLength(1);
  });
});
