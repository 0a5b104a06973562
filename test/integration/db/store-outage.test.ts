/**
 * A database that does not answer is StoreUnavailableError on both ways to Postgres (a hot
 * statement and an ORM call), which the adapters turn into "deliver again" and the people into
 * "try again" (src/db/store-errors.ts).
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { StoreUnavailableError } from '../../../src/core/errors';
import { createStores } from '../../../src/db/create-stores';
import { HotSql } from '../../../src/db/hot-sql';
import { ormOptions } from '../../../src/db/orm-options';
import { freePort } from '../../support/free-port';

let orm: MikroORM;
let sql: HotSql;
beforeAll(async () => {
  const url = `postgres://postgres@127.0.0.1:${await freePort()}/nowhere`;
  // initSync: MikroORM.init would try to connect at once.
  orm = MikroORM.initSync(ormOptions({ clientUrl: url, poolMax: 1 }));
  sql = new HotSql({ url, max: 1 });
});
afterAll(async () => {
  await sql.close();
  await orm.close(true);
});

const where = { platform: 'slack' as const, workspace: 'T1', channel: 'C1', thread: '1.1' };

it('fails a hot statement and an ORM call alike with StoreUnavailableError when nothing listens at the address', async () => {
  const stores = createStores(orm.em.fork(), sql);

  await expect(stores.messages.readThread(where, 5)).rejects.toBeInstanceOf(StoreUnavailableError);
  await expect(stores.contexts.retrieveContext(where)).rejects.toBeInstanceOf(StoreUnavailableError);
});
