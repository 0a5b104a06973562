import { MikroORM } from '@mikro-orm/postgresql';
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
