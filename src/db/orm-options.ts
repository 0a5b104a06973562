import { readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
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
 * The same relative path finds both, since the build mirrors the repository under dist/, and
 * from the bundle, dist/src/bundle/main.js, which scripts/build.js puts as deep for this reason.
 */
const MIGRATIONS_DIR = join(__dirname, '..', '..', 'migrations');
const MIGRATION_EXTENSION = extname(__filename) === '.ts' ? '.ts' : '.js';
const MIGRATIONS_GLOB = `!(*.d)${MIGRATION_EXTENSION}`;

/** The names of the committed migrations (as MikroORM records them: the file name without its extension), oldest first. */
export function committedMigrations(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((file) => file.endsWith(MIGRATION_EXTENSION) && !file.endsWith(`.d${MIGRATION_EXTENSION}`))
    .map((file) => basename(file, MIGRATION_EXTENSION))
    .sort();
}

/**
 * MikroORM options shared by the app, the tests and the MikroORM CLI (through
 * mikro-orm.config.ts), so that all three see the same entities and migrations folder.
 */
export function ormOptions({ clientUrl, poolMax = 10, debug = false, onLog }: OrmConnection): Options {
  return defineConfig({
    clientUrl,
    entities: ENTITIES,
    // No Migrator extension: MikroORM loads @mikro-orm/migrations (and umzug) on first use of
    // orm.migrator, so a process that does not migrate never pays for loading it.
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
