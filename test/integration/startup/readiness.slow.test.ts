/**
 * /healthz and /readyz of a whole Switchboard (the console, with HEALTH_PORT) on a Postgres
 * of the test's own: ready once started; not ready, naming the database, while Postgres is
 * down; ready again when it is back. And not ready while migrations are pending.
 */
import { PassThrough } from 'node:stream';
import { loadConfig } from '../../../src/config/config';
import { createLogger } from '../../../src/logging/logger';
import { openOrm } from '../../../src/db/orm';
import { startSwitchboard, type RunningSwitchboard } from '../../../src/app';
import { rows } from '../../support/db-rows';
import { startPostgresProcess, type PostgresProcess } from '../../support/postgres-process';
import { createTestDatabase } from '../../support/test-database';
import { eventually } from '../../platform/slack/slack-harness';

jest.setTimeout(120_000);

/** A console Switchboard whose input stays open, serving the ops routes on a free port. */
async function start(env: Record<string, string>): Promise<RunningSwitchboard> {
  const config = loadConfig({ HEALTH_PORT: '0', HOST: '127.0.0.1', EXPIRY_SWEEP_INTERVAL: '1h', ...env });
  return startSwitchboard(config, createLogger({ level: 'silent' }), { input: new PassThrough(), output: new PassThrough() });
}

async function get(app: RunningSwitchboard, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${app.opsPort}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/**
 * Waits until the sweep offered at start-up has run and been completed. pg-boss 10 does not
 * await a job's completion, so a completion cut off by the outage would surface as an
 * unhandled rejection (which main() logs, and jest counts against the test).
 */
async function sweepDone(url: string): Promise<void> {
  const orm = await openOrm(url, 1);
  try {
    await eventually(async () => {
      const open = await rows<{ n: string }>(orm, `select count(*) as n from pgboss.job where state < 'completed'`);
      const done = await rows<{ n: string }>(orm, `select count(*) as n from pgboss.job where state = 'completed'`);
      return Number(open[0]!.n) === 0 && Number(done[0]!.n) > 0 ? true : undefined;
    }, 20_000);
  } finally {
    await orm.close(true);
  }
}

describe('readiness on a Postgres that goes away and comes back', () => {
  let pg: PostgresProcess;
  let app: RunningSwitchboard;
  beforeAll(async () => {
    pg = await startPostgresProcess();
    app = await start({ DATABASE_URL: pg.url });
    await sweepDone(pg.url);
  });
  afterAll(async () => {
    await app?.stop();
    await pg?.close();
  });

  test('answers 200 once started, 503 naming the database while Postgres is stopped, and 200 again when it returns', async () => {
    expect(await get(app, '/readyz')).toEqual({
      status: 200,
      body: { ready: true, checks: { startup: 'ok', database: 'ok', migrations: 'ok', jobs: 'ok' } },
    });

    await pg.stop();
    const down = await eventually(async () => {
      const answer = await get(app, '/readyz');
      return answer.status === 503 ? answer : undefined;
    }, 20_000);
    expect(down.body).toMatchObject({ ready: false, checks: { database: expect.stringMatching(/^failed|^no answer/) } });
    // Alive all the same: a liveness probe must not restart a process that waits for its database.
    expect(await get(app, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });

    await pg.start();
    const back = await eventually(async () => {
      const answer = await get(app, '/readyz');
      return answer.status === 200 ? answer : undefined;
    }, 30_000);
    expect(back.body).toMatchObject({ ready: true, checks: { database: 'ok' } });
  });
});

test('a process started before the release phase migrated is not ready, and says how many migrations are pending', async () => {
  const db = await createTestDatabase({ migrated: false });
  const app = await start({ DATABASE_URL: db.url, MIGRATE_ON_START: 'false' });
  try {
    const answer = await get(app, '/readyz');
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ ready: false, checks: { database: 'ok', migrations: expect.stringMatching(/^\d+ pending$/) } });
  } finally {
    await app.stop();
    await db.close();
  }
});
