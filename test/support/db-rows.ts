import type { MikroORM } from '@mikro-orm/postgresql';

/** Reads rows straight from Postgres, for assertions on what was really stored. */
export async function rows<T = Record<string, unknown>>(orm: MikroORM, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await orm.em.getConnection().execute(sql, params, 'all')) as T[];
}
