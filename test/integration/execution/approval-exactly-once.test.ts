import type { Person } from '../../../src/core/model/conversation';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { RecordingPlatform } from '../../support/recording-platform';
import { rows } from '../../support/db-rows';
import { alice, bob, carol, click, newThread, propose, requestMessages, requestRow, toolRuns, waitForStatus } from './execution-kit';
import { TOOL_RUN_TABLE } from './test-tools';
import { startWorkerApp, type WorkerApp } from './worker-app';
import { spawnWorker, type WorkerChild } from './worker-child';

jest.setTimeout(30_000);

const dave: Person = { id: 'U_DAVE', name: 'dave' };
// carol is an approver by id, bob through the G_OPS group; alice and dave are not approvers.
const settings = { policy: { approvers: ['U_CAROL', 'G_OPS'], fourEyes: true }, runHeartbeatMs: 100 };

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

const jobsFor = async (requestId: string) => (await rows<{ n: string }>(db.orm, 'select count(*) as n from pgboss.job where id = ?', [requestId]))[0]!.n;

describe('deciding a request', () => {
  it('runs a request once when 50 approvals race on two processes while two worker processes poll', async () => {
    const where = newThread();
    const requestId = await propose(one.core, where, alice, 'safe_steps', { steps: 3, delayMs: 50 }, () => platformOne.calls);
    const replies: string[] = [];
    await Promise.all(Array.from({ length: 50 }, (_, i) => click(i % 2 ? two.core : one.core, where, i % 3 ? carol : alice, 'approve', requestId, replies)));

    await waitForStatus(db.orm, requestId, ['succeeded'], 10_000);
    // Let any duplicate delivery have its chance before counting.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await toolRuns(db.orm, requestId)).filter((r) => r.step === 0)).toHaveLength(1);
    expect((await requestMessages(db.orm, requestId)).map((m) => m.message_type).sort()).toEqual(['agent_progress', 'agent_result']);
    expect(await jobsFor(requestId)).toBe('1');
    expect(replies).toHaveLength(49);
    for (const reply of replies) expect(reply).toMatch(/^(You already approved this request|This request was already approved by (alice|carol)); it is (approved|running|succeeded)\.$/);
    const progressPosts = [...platformOne.posts(), ...platformTwo.posts(), ...child.calls.filter((c) => c.kind === 'post')].filter(
      (c) => c.kind === 'post' && c.where.channel === where.channel && c.message.text.startsWith('Running'),
    );
    expect(progressPosts).toHaveLength(1);
  });

  it('refuses a destructive approval from anyone but an approver, privately, and runs nothing', async () => {
    const where = newThread();
    const requestId = await propose(one.core, where, alice, 'wipe', { steps: 1 }, () => platformOne.calls);
    const replies: string[] = [];
    await click(one.core, where, alice, 'approve', requestId, replies);
    await click(two.core, where, dave, 'approve', requestId, replies);
    await click(one.core, where, dave, 'deny', requestId, replies);

    expect(replies).toEqual([
      'This request is destructive: only an approver can approve it.',
      'This request is destructive: only an approver can approve it.',
      'Only the requester or an approver can deny this request.',
    ]);
    const row = await requestRow(db.orm, requestId);
    expect(row.request_status).toBe('pending');
    expect(row.metadata.decidedBy).toBeNull();
    expect(await jobsFor(requestId)).toBe('0');
    expect(await toolRuns(db.orm, requestId)).toEqual([]);
    // Nothing public was said about the refusals: the card is the only message in the thread.
    expect(platformOne.calls.filter((c) => c.kind !== 'ephemeral' && (c.kind === 'update' ? c.posted.where : c.where).channel === where.channel)).toHaveLength(1);
  });

  it('lets the requester approve a non-destructive request but not a stranger', async () => {
    const where = newThread();
    const requestId = await propose(one.core, where, alice, 'safe_steps', { steps: 1 }, () => platformOne.calls);
    const replies: string[] = [];
    await click(two.core, where, dave, 'approve', requestId, replies);
    expect(replies).toEqual(['Only the requester or an approver can approve this request.']);
    expect((await requestRow(db.orm, requestId)).request_status).toBe('pending');
    await click(two.core, where, alice, 'approve', requestId, replies);
    await waitForStatus(db.orm, requestId, ['succeeded'], 10_000);
  });

  it('applies four eyes: an approver cannot approve their own destructive request, another approver can', async () => {
    const where = newThread();
    const requestId = await propose(one.core, where, carol, 'wipe', { steps: 1 }, () => platformOne.calls);
    const replies: string[] = [];
    await click(one.core, where, carol, 'approve', requestId, replies);
    expect(replies).toEqual(['Four-eyes rule: someone other than the requester must approve a destructive request.']);
    expect((await requestRow(db.orm, requestId)).request_status).toBe('pending');
    expect(await jobsFor(requestId)).toBe('0');

    await click(two.core, where, bob, 'approve', requestId, replies);
    const row = await waitForStatus(db.orm, requestId, ['succeeded'], 10_000);
    expect(row.metadata.decidedBy).toEqual({ id: bob.id, name: bob.name });
    expect(typeof row.metadata.decidedAt).toBe('string');
    expect(replies).toHaveLength(1);
    expect((await toolRuns(db.orm, requestId)).filter((r) => r.step === 0)).toHaveLength(1);
  });
});
