import { extname, join } from 'node:path';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES } from './entities';

/** Options for {@link ormOptions}. */
export interface OrmConnection {
  clientUrl: string;
  /** Connection pool size; default 10. */
  poolMax?: number;
  debug?: boolean;
  /** Where MikroORM's own log lines go (migrator progress, debug SQL); default: nowhere. */
  onLog?: (message: string) => void;
}

/**
 * The committed migrations, at the repository's top level: `migrations/*.ts` when this file
 * runs from source (tsx, ts-jest), `dist/migrations/*.js` when it runs compiled (`npm start`).
 * The same relative path finds both, since the build mirrors the repository under dist/.
 */
const MIGRATIONS_DIR = join(__dirname, '..', '..', 'migrations');
const MIGRATIONS_GLOB = extname(__filename) === '.ts' ? '!(*.d).ts' : '!(*.d).js';

/**
 * MikroORM options shared by the app, the tests and the MikroORM CLI (through
 * mikro-orm.config.ts), so that all three see the same entities and migrations folder.
 */
export function ormOptions({ clientUrl, poolMax = 10, debug = false, onLog }: OrmConnection): Options {
  return defineConfig({
    clientUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    pool: { min: 0, max: poolMax },
    debug,
    logger: (message: string) => onLog?.(message),
    // Migrations load through require so that tsx, ts-jest and plain node all resolve
    // them the same way (a native import() bypasses jest's transformer).
    dynamicImportProvider: (id: string) => Promise.resolve(require(id)),
    migrations: {
      path: MIGRATIONS_DIR,
      pathTs: MIGRATIONS_DIR,
      glob: MIGRATIONS_GLOB,
      transactional: true,
      allOrNothing: true,
      snapshot: true,
      snapshotName: '.snapshot-switchboard',
      emit: 'ts',
    },
  });
}
