/**
 * The one way statements reach Postgres (src/db/sql.ts `query`): `?` placeholders bound as
 * parameters, statements prepared once per connection, against the real database.
 */
import { query } from '../../../src/db/sql';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

const em = () => db.orm.em.fork();

it('binds each ? as a parameter, leaves a ? inside quotes alone, and keeps text that looks like SQL as text', async () => {
  const hostile = `'); drop table message; --`;

  const [row] = await query<{ a: string; b: number; quoted: string }>(em(), `select ?::text as a, ?::int + 1 as b, 'why?' as quoted`, [hostile, 41]);

  expect(row).toEqual({ a: hostile, b: 42, quoted: 'why?' });
});

it('refuses a statement given the wrong number of parameters, before sending it', async () => {
  await expect(query(em(), 'select ?::int as a, ?::int as b', [1])).rejects.toThrow('a statement with 2 placeholders was given 1 parameters');
});

it('answers a prepared select * again after a migration has added a column to its table', async () => {
  await query(em(), 'create table prepared_probe (id int primary key)');
  await query(em(), 'insert into prepared_probe values (?)', [1]);
  const read = () => query<Record<string, unknown>>(em(), 'select * from prepared_probe where id = ?', [1]);
  // The pool's connections each prepare it: read it more often than there are connections.
  for (let i = 0; i < 12; i++) expect(await read()).toEqual([{ id: 1 }]);

  await query(em(), `alter table prepared_probe add column note text not null default 'added'`);

  for (let i = 0; i < 12; i++) expect(await read()).toEqual([{ id: 1, note: 'added' }]);
});
