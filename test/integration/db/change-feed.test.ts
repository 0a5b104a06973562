/**
 * The LISTEN feed that keeps each process's caches of rarely changed rows honest
 * (src/db/change-feed.ts): a NOTIFY committed by anyone reaches every listener, and a lost
 * connection is told as lost, and again once the feed listens anew by itself.
 */
import { Client } from 'pg';
import { ChangeFeed } from '../../../src/db/change-feed';
import { eventually } from '../../support/eventually';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

let db: TestDatabase;
const feeds: ChangeFeed[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(feeds.map((f) => f.close()));
  await db.close();
});

async function notify(payload: string): Promise<void> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(`select pg_notify('switchboard_test_feed', '${payload}')`);
  } finally {
    await client.end();
  }
}

it('hears a NOTIFY, tells a lost connection as lost, listens again by itself and tells that too', async () => {
  const feed = new ChangeFeed(db.url);
  feeds.push(feed);
  const payloads: string[] = [];
  let lost = 0;
  feed.on('switchboard_test_feed', { heard: (payload) => payloads.push(payload), lost: () => (lost += 1) });
  await feed.ready();

  await notify('one');
  await eventually(() => expect(payloads).toEqual(['one']));

  // Another session ends the feed's connection, as a restarted database or a proxy would.
  const admin = new Client({ connectionString: db.url });
  await admin.connect();
  await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query = 'listen switchboard_test_feed'`);
  await admin.end();
  // Told once on the loss, and once more when it listens again, with nobody calling ready().
  await eventually(() => expect(lost).toBe(2), 10_000);

  await notify('two');
  await eventually(() => expect(payloads).toEqual(['one', 'two']));
});
