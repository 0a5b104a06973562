import { MikroORM } from '@mikro-orm/postgresql';
import { HotSql } from './hot-sql';
import { ormOptions } from './orm-options';
import type { Logger } from '../logging/logger';

/** Opens the ORM on a database URL. Call {@link migrate} before serving traffic. */
export async function openOrm(clientUrl: string, poolMax: number): Promise<MikroORM> {
  return MikroORM.init(ormOptions({ clientUrl, poolMax }));
}

/** Applies pending migrations; a no-op when the schema is current. Returns the names applied. */
export async function migrate(orm: MikroORM, log?: Logger): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  const names = applied.map((m) => m.name);
  log?.info({ applied: names }, names.length ? 'migrations applied' : 'schema up to date');
  return names;
}

/**
 * One database as the stores reach it: the ORM for most statements, and a pool of our own for
 * the hot ones (docs/development.md, "Hot statements").
 */
export interface Connections {
  readonly orm: MikroORM;
  readonly sql: HotSql;
  /** Closes both pools. */
  close(): Promise<void>;
}

/** How many connections each pool may open. */
export interface PoolSizes {
  readonly orm: number;
  readonly hot: number;
}

/**
 * DATABASE_POOL_MAX shared between the two pools: a fifth (at least one) for the ORM's
 * statements, which are few and off the hot paths, the rest (at least one) for the hot ones.
 */
export function splitPool(poolMax: number): PoolSizes {
  const orm = Math.max(1, Math.round(poolMax / 5));
  return { orm, hot: Math.max(1, poolMax - orm) };
}

/** Opens the ORM and the hot statements' pool on `url`. */
export async function openConnections(url: string, sizes: PoolSizes): Promise<Connections> {
  const orm = await openOrm(url, sizes.orm);
  const sql = new HotSql({ url, max: sizes.hot });
  return {
    orm,
    sql,
    close: async () => {
      await sql.close();
      await orm.close(true);
    },
  };
}
