import type { MikroORM } from '@mikro-orm/postgresql';
import { createStores } from '../../../src/db/create-stores';
import { AgentRunEntity, MessageEntity } from '../../../src/db/entities';
import { openConnections, type Connections } from '../../../src/db/orm';
import { createTestDatabase } from '../test-database';
import type { StoreWorldSpec } from './store-world';

/**
 * Moves every timestamp of these rows `ms` into the past, through the ORM: Postgres's now()
 * cannot be moved, so for these rows time passes instead. A lease, a claim or an age then
 * lapses exactly when the test says, with nothing waited for.
 */
async function shiftBack(orm: MikroORM, entity: typeof AgentRunEntity | typeof MessageEntity, ids: readonly string[] | undefined, ms: number): Promise<void> {
  if (!ids?.length) return;
  const em = orm.em.fork();
  const rows = (await em.find(entity as typeof AgentRunEntity, { id: { $in: [...ids] } })) as unknown as Record<string, unknown>[];
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) if (value instanceof Date) row[key] = new Date(value.getTime() - ms);
  }
  await em.flush();
}

/** The Postgres repositories on a database of their own; other processes are other connection pools. */
export const postgresWorld: StoreWorldSpec = {
  name: 'Postgres',
  async open() {
    const db = await createTestDatabase();
    const pools: Connections[] = [];
    return {
      stores: createStores(db.orm.em.fork(), db.sql),
      // Opened once and reused: each pool costs an ORM start-up.
      others: async (count) => {
        pools.push(...(await Promise.all(Array.from({ length: Math.max(0, count - pools.length) }, () => openConnections(db.url, { orm: 2, hot: 5 })))));
        return pools.slice(0, count).map((other) => createStores(other.orm.em.fork(), other.sql));
      },
      now: () => new Date(),
      elapse: async (ms, rows) => {
        await shiftBack(db.orm, AgentRunEntity, rows.runs, ms);
        await shiftBack(db.orm, MessageEntity, rows.messages, ms);
      },
      close: async () => {
        await Promise.all(pools.map((other) => other.close()));
        await db.close();
      },
    };
  },
};
