import { ContextRepository } from '../../../src/db/repositories/context-repository';
import { rememberNoteTool } from '../../../src/tools/remember-note';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

const where = { platform: 'discord' as const, workspace: 'G1', channel: 'C-notes', thread: 't' };
const ctx = { runId: 'r1', where, signal: new AbortController().signal, step: () => ({ done: () => undefined, fail: () => undefined }) };

describe('remember_note tool', () => {
  it('stores a fact under a normalised key and keeps the cap', async () => {
    const store = new ContextRepository(db.orm.em.fork());
    const tool = rememberNoteTool(store, { maxValueChars: 100, maxFacts: 2 });
    for (const key of ['First Fact', 'second', 'Third  Fact']) {
      await tool.execute({ type: 'project', key, value: `about ${key}` }, ctx);
    }
    const facts = await store.retrieveContext(where);
    expect(facts.map((f) => f.key).sort()).toEqual(['second', 'third_fact']);
  });

  it('refuses a secret-looking value and stores nothing', async () => {
    const store = new ContextRepository(db.orm.em.fork());
    const tool = rememberNoteTool(store, { maxValueChars: 100, maxFacts: 10 });
    const other = { ...ctx, where: { ...where, channel: 'C-secret' } };
    await expect(tool.execute({ type: 'technology', key: 'ci token', value: 'ghp_0123456789abcdefghijABCDEFGHIJ012345' }, other)).rejects.toThrow(/won't remember it/);
    expect(await store.retrieveContext(other.where)).toEqual([]);
  });
});
