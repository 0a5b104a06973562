/**
 * What the repositories do because they are Postgres, beyond the store contract
 * (test/support/store-contract, run by store-contract.postgres.test.ts): text Postgres
 * refuses, and rows that go with their conversation.
 */
import { MessageRepository } from '../../../src/db/repositories/message-repository';
import { ContextRepository } from '../../../src/db/repositories/context-repository';
import { rows } from '../../support/db-rows';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

let db: TestDatabase;
let n = 0;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

const conversation = () => ({ platform: 'slack' as const, workspace: 'T1', channel: `C${++n}` });
const alice = { id: 'U1', name: 'alice' };

it('stores a message carrying NUL and a lone surrogate, with both replaced, instead of failing', async () => {
  const messages = new MessageRepository(db.orm.em.fork());
  const where = { ...conversation(), thread: '100.1' };
  const text = 'nul\u0000 here, half an emoji \ud83d there';
  const { isNew } = await messages.appendTurn({ where, platformMessageId: 'odd-1', author: alice, role: 'user', type: 'text', text, metadata: { note: text } }, 20);
  expect(isNew).toBe(true);
  const [row] = await rows<{ text: string; metadata: { note: string } }>(
    db.orm,
    'select text, metadata from message m join conversation c on c.id = m.conversation_id where c.channel_id = ?',
    [where.channel],
  );
  expect(row).toEqual({ text: 'nul\uFFFD here, half an emoji \uFFFD there', metadata: { note: 'nul\uFFFD here, half an emoji \uFFFD there' } });
});

it("removes a conversation's context when the conversation is deleted", async () => {
  const contexts = new ContextRepository(db.orm.em.fork());
  const where = conversation();
  await contexts.storeContext(where, { type: 'project', key: 'name', value: 'apollo', source: 'manual', learnedFrom: null, sourceMessageId: null });
  await rows(db.orm, 'delete from conversation where channel_id = ?', [where.channel]);
  const left = await rows(db.orm, `select x.id from conversation_context x where x.context_value = '"apollo"'::jsonb`);
  expect(left).toEqual([]);
});
