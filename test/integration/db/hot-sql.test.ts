/**
 * How hot statements reach Postgres (src/db/hot-sql.ts): named parameters bound as `$n`,
 * statements prepared once per connection on a pool of their own, and a database that does
 * not answer reported as StoreUnavailableError.
 */
import { StoreUnavailableError } from '../../../src/core/errors';
import { HotSql } from '../../../src/db/hot-sql';
import { hotStatement, sql, type SqlText } from '../../../src/db/hot-statement';
import { eventually } from '../../support/eventually';
import { freePort } from '../../support/free-port';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

const ECHO = hotStatement<{ text: string; n: number }, { a: string; b: number; again: string; quoted: string; has: boolean }>(
  (p) => sql`select ${p.text}::text as a, ${p.n}::int + 1 as b, ${p.text}::text as again, 'why? :n' as quoted, '{"k": 1}'::jsonb ? 'k' as has`,
);

it('binds each named parameter once however often it is used, leaves quoted text and the jsonb ? operator alone, and keeps text that looks like SQL as text', async () => {
  const hostile = `'); drop table message; --`;

  const [row] = await db.sql.rows(ECHO, { text: hostile, n: 41 });

  expect(ECHO.text).toContain('$1::text as a, $2::int + 1 as b, $1::text as again');
  expect(row).toEqual({ a: hostile, b: 42, again: hostile, quoted: 'why? :n', has: true });
});

it('refuses a statement given no value for one of its parameters, naming it, before sending it', async () => {
  await expect(db.sql.rows(ECHO, { text: 'x' } as never)).rejects.toThrow(`statement ${ECHO.name} was given no n`);
});

it('stores text with NUL and a lone surrogate, both replaced', async () => {
  const [row] = await db.sql.rows(ECHO, { text: 'nul\u0000 and \ud83d', n: 1 });

  expect(row!.a).toBe('nul\uFFFD and \uFFFD');
});

it('answers a prepared select * again after a migration has added a column to its table', async () => {
  const probe = 'prepared_probe' as SqlText;
  const create = hotStatement<object>(() => sql`create table ${probe} (id int primary key)`);
  const insert = hotStatement<{ id: number }>((p) => sql`insert into ${probe} values (${p.id})`);
  const read = hotStatement<{ id: number }>((p) => sql`select * from ${probe} where id = ${p.id}`);
  const alter = hotStatement<object>(() => sql`alter table ${probe} add column note text not null default 'added'`);
  await db.sql.rows(create, {});
  await db.sql.rows(insert, { id: 1 });
  // The pool's connections each prepare it: read it more often than there are connections.
  for (let i = 0; i < 12; i++) expect(await db.sql.rows(read, { id: 1 })).toEqual([{ id: 1 }]);

  await db.sql.rows(alter, {});

  for (let i = 0; i < 12; i++) expect(await db.sql.rows(read, { id: 1 })).toEqual([{ id: 1, note: 'added' }]);
});

it('fails as StoreUnavailableError when nothing listens at the database address', async () => {
  const nowhere = new HotSql({ url: `postgres://postgres@127.0.0.1:${await freePort()}/none`, max: 1 });
  try {
    await expect(nowhere.rows(ECHO, { text: 'x', n: 1 })).rejects.toBeInstanceOf(StoreUnavailableError);
  } finally {
    await nowhere.close();
  }
});

it('fails as StoreUnavailableError when the server cuts the connection mid-statement', async () => {
  const sleeping = hotStatement<object>(() => sql`select pg_sleep(30)`);
  const running = db.sql.rows(sleeping, {});
  running.catch(() => undefined);

  await eventually(async () => {
    const [cut] = await db.orm.em.getConnection().execute<{ n: number }[]>(
      `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = current_database() and query = 'select pg_sleep(30)'`,
    );
    expect(cut!.n).toBe(1);
  });

  await expect(running).rejects.toBeInstanceOf(StoreUnavailableError);
});
