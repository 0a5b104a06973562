import { openOrm } from '../../src/db/orm';

/** Drops the databases this run made and stops the embedded server, if any. */
export default async function globalTeardown(): Promise<void> {
  const state = globalThis.__SWITCHBOARD_PG__;
  if (!state) return;
  if (state.pg) {
    await state.pg.stop();
    return;
  }
  const admin = await openOrm(`${state.baseUrl}/postgres`, 1);
  const conn = admin.em.getConnection();
  const rows = (await conn.execute(
    `select datname from pg_database where datname like ?`,
    [`sb_%_${process.pid}%`],
  )) as { datname: string }[];
  for (const { datname } of rows) await conn.execute(`drop database if exists "${datname}" with (force)`);
  await admin.close(true);
}
