/**
 * An embedded Postgres of a test's own, which the test can stop and start again to play a
 * database outage without disturbing the other tests' server. The server runs in a child
 * process (postgres-process-entry.ts) on a free port and a temp folder.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { HotSql } from '../../../src/db/hot-sql';
import { migrate, openConnections } from '../../../src/db/orm';
import { freePort } from '../../support/free-port';

/** What the test asks the child. */
export interface PostgresCommand {
  readonly id: number;
  readonly type: 'start' | 'stop';
}

/** The child's answer. */
export type PostgresReply = { readonly id: number; readonly ok: true; readonly baseUrl: string } | { readonly id: number; readonly ok: false; readonly error: string };

export interface RestartablePostgres {
  /** The migrated database, e.g. for DATABASE_URL. */
  readonly url: string;
  /** An ORM on it, for assertions and for the core under test. */
  readonly orm: MikroORM;
  /** The hot statements' pool on it, for the core under test. */
  readonly sql: HotSql;
  /** Stops the server (fast shutdown: open connections are cut). */
  stop(): Promise<void>;
  /** Starts it again on the same data and port. */
  start(): Promise<void>;
  /** Closes the ORM, stops the server and removes its folder. */
  close(): Promise<void>;
}

const ENTRY = join(__dirname, 'postgres-process-entry.ts');
const DATABASE = 'outage';
const COMMAND_TIMEOUT_MS = 60_000;

/** Starts the server, creates and migrates its database, and opens an ORM and a hot statements' pool with `poolMax` connections each. */
export async function startRestartablePostgres(poolMax = 5): Promise<RestartablePostgres> {
  const folder = mkdtempSync(join(tmpdir(), 'switchboard-outage-'));
  const child = fork(ENTRY, [join(folder, 'pg'), String(await freePort()), DATABASE], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ask = commander(child);
  try {
    const { baseUrl } = await ask('start');
    const url = `${baseUrl}/${DATABASE}`;
    const { orm, sql, close } = await openConnections(url, { orm: poolMax, hot: poolMax });
    await migrate(orm);
    return {
      url,
      orm,
      sql,
      stop: async () => void (await ask('stop')),
      start: async () => void (await ask('start')),
      close: async () => {
        await close();
        await ask('stop');
        child.disconnect();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    child.kill();
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

/** Sends commands to the child one at a time and resolves with each answer. */
function commander(child: ChildProcess): (type: PostgresCommand['type']) => Promise<{ baseUrl: string }> {
  let next = 0;
  return (type) =>
    new Promise((resolve, reject) => {
      const id = ++next;
      const timer = setTimeout(() => reject(new Error(`embedded postgres did not ${type} within ${COMMAND_TIMEOUT_MS} ms`)), COMMAND_TIMEOUT_MS);
      const onReply = (reply: PostgresReply) => {
        if (reply.id !== id) return;
        child.off('message', onReply);
        clearTimeout(timer);
        if (reply.ok) resolve(reply);
        else reject(new Error(`embedded postgres could not ${type}: ${reply.error}`));
      };
      child.on('message', onReply);
      child.send({ id, type } satisfies PostgresCommand);
    });
}
