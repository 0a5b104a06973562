import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { RecordingPlatform } from '../../support/recording-platform';
import { rows } from '../../support/db-rows';
import { alice, carol, click, newThread, propose, waitForRun } from './execution-kit';
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

/** The audit trail of one request, from Postgres alone: who asked, who decided and when, what ran with which args, and how. */
const AUDIT = `
  select r.requested_by_name as requested_by, r.created_at as requested_at, q.decided_by_name as decided_by, q.decided_at,
         q.status as request_status, r.status as run_status, r.error_code, k.tool, k.args, k.status as call_status,
         k.started_at, k.ended_at, k.error, res.metadata->>'outcome' as outcome
  from agent_request q join agent_run r on r.id = q.run_id join tool_call k on k.request_id = q.id
  left join message res on res.run_id = r.id and res.message_type = 'agent_result'
  where q.id = ?`;

describe('the audit trail', () => {
  it('answers who requested, who decided and when, what ran with which arguments, and how it ended', async () => {
    const where = newThread();
    const gate = await propose(app.core, where, alice, 'deploy', { steps: 5, delayMs: 300 }, () => platform.calls);
    await click(app.core, where, carol, 'approve', gate);
    await waitForRun(db.orm, gate, ['failed'], 10_000);
    await platform.waitFor((calls) => calls.some((c) => c.kind === 'post' && c.message.text.startsWith('❌ Failed: Run deploy')));

    const [audit] = await rows<Record<string, unknown>>(db.orm, AUDIT, [gate.requestId]);
    expect(audit).toMatchObject({
      requested_by: 'alice',
      decided_by: 'carol',
      request_status: 'approved',
      run_status: 'failed',
      tool: 'deploy',
      args: { steps: 5, delayMs: 300 },
      call_status: 'failed',
      error: 'deploy took longer than 400 ms.',
      outcome: 'failed',
    });
    expect(new Date(audit!.decided_at as string).getTime()).toBeGreaterThanOrEqual(new Date(audit!.requested_at as string).getTime());
    expect(new Date(audit!.ended_at as string).getTime()).toBeGreaterThanOrEqual(new Date(audit!.started_at as string).getTime());

    const replies: string[] = [];
    await app.core.handleCommand({ where, user: alice, name: 'requests', args: '' }, async (m) => {
      replies.push(m.text);
    });
    expect(replies[0]).toContain('failed — !run by alice (1 call;');
    expect(replies[0]).toContain(`approved by carol — Run deploy (request ${gate.requestId})`);
  });
});
