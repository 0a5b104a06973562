import type { MikroORM } from '@mikro-orm/postgresql';
import { buildCoreOver, type CoreOptions, type Harness } from './core-over-stores';
import { postgresStores } from './postgres-stores';

export { memoryLogger, TEST_SETTINGS, type Harness } from './core-over-stores';

export interface HarnessOptions extends CoreOptions {
  orm: MikroORM;
}

/** The real core over real Postgres repositories, with the given platforms and an optional fake-OpenAI-backed model. */
export function buildCore(options: HarnessOptions): Harness {
  return buildCoreOver(postgresStores(options.orm.em.fork()), options);
}
