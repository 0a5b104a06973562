import { loadConfig } from '../../../src/config/config';
import { ConfigError } from '../../../src/core/errors';
import { createLogger } from '../../../src/logging/logger';
import { startSwitchboard } from '../../../src/app';
import { startFakeSlack, type FakeSlack } from '../../fakes/fake-slack';
import { rows } from '../../support/db-rows';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

let db: TestDatabase;
let slack: FakeSlack;
beforeAll(async () => {
  db = await createTestDatabase();
  slack = await startFakeSlack();
});
afterAll(async () => {
  await slack.close();
  await db.close();
});

describe('a failed start', () => {
  it('stops with a configuration error naming the token and leaves no job-queue connection open', async () => {
    slack.failNext('auth.test', { error: 'invalid_auth' });
    const config = loadConfig({
      DATABASE_URL: db.url,
      MIGRATE_ON_START: 'false',
      SLACK_BOT_TOKEN: 'xoxb-revoked',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      HOST: '127.0.0.1',
    });
    const started = startSwitchboard(config, createLogger({ level: 'silent' }));
    await expect(started).rejects.toThrow(ConfigError);
    await expect(started).rejects.toThrow(/SLACK_BOT_TOKEN/);
    const open = await rows<{ n: string }>(
      db.orm,
      `select count(*) as n from pg_stat_activity where datname = current_database() and application_name = 'switchboard-jobs'`,
    );
    expect(Number(open[0]!.n)).toBe(0);
  });
});
