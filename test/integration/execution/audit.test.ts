import { RequestRepository } from '../../../src/db/repositories/request-repository';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { RecordingPlatform } from '../../support/recording-platform';
import { rows } from '../../support/db-rows';
import { alice, carol, click, newThread, waitForStatus } from './execution-kit';
import { TOOL_RUN_TABLE } from './test-tools';
import { startWorkerApp, type WorkerApp } from './worker-app';

jest.setTimeout(20_000);

let db: TestDatabase;
let app: WorkerApp;
const platform = new RecordingPlatform('slack');

beforeAll(async () => {
  db = await createTestDatabase();
  await rows(db.orm, TOOL_RUN_TABLE);
  app = await startWorkerApp({ url: db.url, platform, settings: { actionTimeoutMs: 400, policy: { approvers: ['U_CAROL'], fourEyes: false } } });
});
afterAll(async () => {
  await app.stop();
  await db.close();
});

/** The audit trail of one request, from Postgres alone. */
const AUDIT = `
  select r.metadata->'requestedBy'->>'name' as requested_by, r.created_at as requested_at,
         r.metadata->'decidedBy'->>'name' as decided_by, r.metadata->>'decidedAt' as decided_at,
         r.request_status, r.run_attempt,
         res.metadata->>'outcome' as outcome, res.metadata->>'errorCode' as error_code,
         res.metadata->'actions' as actions, p.metadata->'steps' as steps
  from message r
  left join message res on res.request_id = r.id and res.message_type = 'agent_result'
  left join message p on p.request_id = r.id and p.message_type = 'agent_progress'
  where r.id = ?`;

describe('the audit trail', () => {
  it('answers who requested, who decided and when, what ran with which args, and how each action and step went', async () => {
    const where = newThread();
    const request = await new RequestRepository(app.orm.em.fork()).createRequest({
      where,
      summary: 'Roll out',
      actions: [
        { tool: 'safe_steps', args: { steps: 2, delayMs: 0 }, reason: 'warm up' },
        { tool: 'deploy', args: { steps: 5, delayMs: 300 }, reason: 'ship it' },
        { tool: 'safe_steps', args: { steps: 1, delayMs: 0 }, reason: 'check' },
      ],
      destructive: false,
      requestedBy: alice,
      expiresAt: new Date(Date.now() + 60_000),
    });
    await click(app.core, where, carol, 'approve', request.id);
    await waitForStatus(db.orm, request.id, ['failed'], 10_000);
    // The status and result row land together; the progress message's last write comes just before the result is posted.
    await platform.waitFor((calls) => calls.some((c) => c.kind === 'post' && c.message.text.startsWith('❌ Failed: Roll out')));

    const [audit] = await rows<Record<string, unknown>>(db.orm, AUDIT, [request.id]);
    expect(audit).toMatchObject({ requested_by: 'alice', decided_by: 'carol', request_status: 'failed', run_attempt: 1, outcome: 'failed', error_code: 'action_timeout' });
    expect(Date.parse(audit!.decided_at as string)).toBeGreaterThanOrEqual(new Date(audit!.requested_at as string).getTime());
    const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);
    expect(audit!.actions).toEqual([
      { tool: 'safe_steps', args: { steps: 2, delayMs: 0 }, outcome: 'succeeded', startedAt: iso, endedAt: iso, error: null },
      { tool: 'deploy', args: { steps: 5, delayMs: 300 }, outcome: 'timed_out', startedAt: iso, endedAt: iso, error: 'deploy took longer than 400 ms.' },
      { tool: 'safe_steps', args: { steps: 1, delayMs: 0 }, outcome: 'skipped', startedAt: null, endedAt: null, error: null },
    ]);
    const steps = audit!.steps as { label: string; status: string; startedAt: string; endedAt: string }[];
    // safe_steps' two steps done, then deploy's steps until its timeout cut the running one short.
    const labels = steps.map((s) => `${s.label}:${s.status}`);
    expect(labels.slice(0, 3)).toEqual(['step 1:done', 'step 2:done', expect.stringMatching(/^step 1:(done|failed)$/)]);
    expect(labels.at(-1)).toMatch(/^step \d:failed$/);
    for (const s of steps) expect(Date.parse(s.endedAt)).toBeGreaterThanOrEqual(Date.parse(s.startedAt));

    const replies: string[] = [];
    await app.core.handleCommand({ where, user: alice, name: 'requests', args: '' }, async (m) => {
      replies.push(m.text);
    });
    expect(replies[0]).toMatch(new RegExp(`failed by carol — Roll out \\(requested by alice; id ${request.id}\\)`));
  });
});
