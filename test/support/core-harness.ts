import { createStores } from '../../src/db/create-stores';
import type { Connections } from '../../src/db/orm';
import { buildCoreOver, type CoreOptions, type Harness } from './core-over-stores';

export { memoryLogger, POSTED_ANSWERS, TEST_SETTINGS, type Harness } from './core-over-stores';

export interface HarnessOptions extends CoreOptions {
  /** The database the stores work on: a TestDatabase, or connections of the test's own. */
  db: Pick<Connections, 'orm' | 'sql'>;
}

/** The real core over real Postgres repositories, with the given platforms and an optional fake-OpenAI-backed model. */
export function buildCore(options: HarnessOptions): Harness {
  return buildCoreOver(createStores(options.db.orm.em.fork(), options.db.sql), options);
}
