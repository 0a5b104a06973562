/**
 * The policy cache when its LISTEN connection is cut (a Postgres restart, a network blip): a
 * change made while nobody listened is still seen, once the connection is back.
 */
import { createLogger } from '../../../src/logging/logger';
import { PolicyCache } from '../../../src/core/policy/policy-cache';
import { createStores } from '../../../src/db/create-stores';
import { rows } from '../../support/db-rows';
import { eventually } from '../../support/eventually';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.close());

test('a rule written while the listening connection was down is read once it listens again', async () => {
  const stores = createStores(db.orm.em.fork(), db.sql);
  const cache = new PolicyCache(stores.policyRules, createLogger({ level: 'silent' }));
  const ws = { platform: 'slack' as const, workspace: 'TLISTEN' };
  expect(await cache.rulesIn(ws)).toEqual([]);

  const cut = await rows<{ cut: boolean }>(db.orm, `select pg_terminate_backend(pid) as cut from pg_stat_activity where datname = current_database() and query like 'listen %'`);
  expect(cut).toEqual([{ cut: true }]);
  // Read (and cached) while deaf, then changed: no notice reaches this cache.
  await cache.rulesIn(ws);
  await stores.policyRules.setRule({ ...ws, channel: 'C1', tool: 'http_get', set: { run: 'auto' }, by: { id: 'U1', name: 'ana' } });

  await eventually(async () => expect(await cache.rulesIn(ws)).toEqual([expect.objectContaining({ tool: 'http_get', run: 'auto' })]));
  // Listening again: a later change is heard as usual.
  await eventually(async () => expect(await rows(db.orm, `select 1 from pg_stat_activity where datname = current_database() and query like 'listen %'`)).toHaveLength(1));
  await stores.policyRules.removeRule({ ...ws, channel: 'C1', tool: 'http_get' });
  await eventually(async () => expect(await cache.rulesIn(ws)).toEqual([]));
});
