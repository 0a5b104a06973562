/**
 * The LISTEN feed that keeps each process's caches of rarely changed rows honest
 * (src/db/change-feed.ts): a NOTIFY committed by anyone reaches every listener, and a lost
 * connection is told as a change too, then listened to again at the next ready().
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

async function notify(): Promise<void> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(`select pg_notify('switchboard_test_feed', '')`);
  } finally {
    await client.end();
  }
}

it('hears a NOTIFY, tells a lost connection as a change, and listens again at the next ready()', async () => {
  const feed = new ChangeFeed(db.url);
  feeds.push(feed);
  let heard = 0;
  feed.on('switchboard_test_feed', () => (heard += 1));
  await feed.ready();

  await notify();
  await eventually(() => expect(heard).toBe(1));

  // Another session ends the feed's connection, as a restarted database or a proxy would.
  const admin = new Client({ connectionString: db.url });
  await admin.connect();
  await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query = 'listen switchboard_test_feed'`);
  await admin.end();
  await eventually(() => expect(heard).toBe(2));

  await feed.ready();
  await notify();
  await eventually(() => expect(heard).toBe(3));
});
