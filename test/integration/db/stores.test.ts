/**
 * What the repositories do because they are Postgres, beyond the store contract
 * (test/support/store-contract, run by store-contract.postgres.test.ts): text Postgres
 * refuses, the turn states a sweep leaves in the rows, and rows that go with their conversation.
 */
import { randomUUID } from 'node:crypto';
import type { ThreadRef } from '../../../src/core/model/conversation';
import { createStores, type Stores } from '../../../src/db/create-stores';
import { openConnections, type Connections } from '../../../src/db/orm';
import { rows } from '../../support/db-rows';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

let db: TestDatabase;
let n = 0;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

/** The stores on the test's database, as the app builds them. */
const stores = (): Stores => createStores(db.orm.em.fork(), db.sql);
/** The stores on connections of their own: another process, as far as Postgres can tell. */
const storesOn = (other: Connections): Stores => createStores(other.orm.em.fork(), other.sql);
const fourMoreConnections = () => Promise.all([1, 2, 3, 4].map(() => openConnections(db.url, { orm: 5, hot: 5 })));

const conversation = () => ({ platform: 'slack' as const, workspace: 'T1', channel: `C${++n}` });
const thread = () => ({ ...conversation(), thread: '100.1' });
const alice = { id: 'U1', name: 'alice' };
/** The history a turn reads with its insert, as the core asks for it. */
const HISTORY = 20;

it('stores a message carrying NUL and a lone surrogate, with both replaced, instead of failing', async () => {
  const messages = stores().messages;
  const where = thread();
  const text = 'nul\u0000 here, half an emoji \ud83d there';
  const { isNew } = await messages.appendTurn({ where, platformMessageId: 'odd-1', author: alice, role: 'user', type: 'text', text, metadata: { note: text } }, HISTORY);
  expect(isNew).toBe(true);
  const [row] = await rows<{ text: string; metadata: { note: string } }>(
    db.orm,
    'select text, metadata from message m join conversation c on c.id = m.conversation_id where c.channel_id = ?',
    [where.channel],
  );
  expect(row).toEqual({ text: 'nul\uFFFD here, half an emoji \uFFFD there', metadata: { note: 'nul\uFFFD here, half an emoji \uFFFD there' } });
});

it('hands a turn whose claim lapsed to exactly one of two sweeping processes, only on their platforms, and marks turns older than the window skipped', async () => {
  const turn = async (where: ThreadRef, age: { created: string; claimed: string }) => {
    const { message } = await stores().messages.appendTurn({ where, platformMessageId: randomUUID(), author: alice, role: 'user', type: 'text', text: 'help?', metadata: {} }, HISTORY);
    await rows(db.orm, `update message set created_at = now() - ?::interval, turn_claimed_at = now() - ?::interval where id = ?`, [age.created, age.claimed, message.id]);
    return message.id;
  };
  // Leases far longer than this file's other turns have lived, so only these are due.
  const lapsed = await turn(thread(), { created: '0 s', claimed: '2 hours' });
  const tooOld = await turn(thread(), { created: '5 hours', claimed: '5 hours' });
  const elsewhere = await turn({ ...thread(), platform: 'discord' }, { created: '0 s', claimed: '2 hours' });
  const held = await turn(thread(), { created: '0 s', claimed: '0 s' });
  const others = await fourMoreConnections();
  try {
    const sweeps = await Promise.all(others.slice(0, 2).map((o) => storesOn(o).messages.claimStaleTurns(3_600_000, 4 * 3_600_000, 50, ['slack'])));

    expect(sweeps.flatMap((s) => s.claimed.map((m) => [m.id, m.where.platform, m.text]))).toEqual([[lapsed, 'slack', 'help?']]);
    expect(sweeps.map((s) => s.skipped).sort()).toEqual([0, 1]);
    const states = await rows<{ id: string; turn_state: string }>(db.orm, 'select id, turn_state from message where id in (?, ?, ?, ?)', [lapsed, tooOld, elsewhere, held]);
    expect(Object.fromEntries(states.map((s) => [s.id, s.turn_state]))).toEqual({ [lapsed]: 'pending', [tooOld]: 'skipped', [elsewhere]: 'pending', [held]: 'pending' });
  } finally {
    await Promise.all(others.map((o) => o.close()));
  }
});

it('removes a conversation\'s context when the conversation is deleted', async () => {
  const contexts = stores().contexts;
  const where = conversation();
  await contexts.storeContext(where, { type: 'project', key: 'name', value: 'apollo', source: 'manual', learnedFrom: null, sourceMessageId: null });
  await rows(db.orm, 'delete from conversation where channel_id = ?', [where.channel]);
  const left = await rows(db.orm, `select x.id from conversation_context x where x.context_value = '"apollo"'::jsonb`);
  expect(left).toEqual([]);
});
