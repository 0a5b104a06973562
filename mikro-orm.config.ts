import { join } from 'node:path';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES } from './src/db/entities';

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
 * MikroORM options shared by the app, the tests and the MikroORM CLI, so that all
 * three see the same entities and the same migrations folder.
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
    // the .ts files the same way (a native import() bypasses jest's transformer).
    dynamicImportProvider: (id: string) => Promise.resolve(require(id)),
    migrations: {
      path: join(__dirname, 'migrations'),
      pathTs: join(__dirname, 'migrations'),
      glob: '!(*.d).ts',
      transactional: true,
      allOrNothing: true,
      snapshot: true,
      snapshotName: '.snapshot-switchboard',
      emit: 'ts',
    },
  });
}

// The MikroORM CLI reads this default export; the app builds its options from Config.
export default ormOptions({ clientUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
