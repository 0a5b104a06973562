import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOrm } from '../src/db/orm';
import { startEmbeddedPostgres, type RunningPostgres } from '../src/db/embedded-postgres';
import { freePort } from '../test/support/free-port';

/**
 * The benchmark's Postgres: DATABASE_URL's server, or an embedded one with
 * pg_stat_statements loaded so statements are counted rather than guessed.
 */
export class BenchDatabase {
  private constructor(
    private readonly baseUrl: string,
    private readonly embedded: RunningPostgres | null,
  ) {}

  static async start(databaseUrl: string | undefined): Promise<BenchDatabase> {
    if (databaseUrl) {
      const u = new URL(databaseUrl);
      u.pathname = '';
      return new BenchDatabase(u.toString().replace(/\/$/, ''), null);
    }
    const pg = await startEmbeddedPostgres({
      dataDir: join(mkdtempSync(join(tmpdir(), 'switchboard-bench-')), 'pg'),
      port: await freePort(),
      ephemeral: true,
      serverFlags: ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'max_connections=200'],
    });
    return new BenchDatabase(pg.baseUrl, pg);
  }

  /** Creates a fresh database and returns its URL. */
  async create(name: string): Promise<string> {
    await this.admin(`drop database if exists ${name} with (force)`, `create database ${name}`);
    return `${this.baseUrl}/${name}`;
  }

  /** Resets the statement counters of `url`'s database; false when pg_stat_statements is unavailable. */
  async resetStatements(url: string): Promise<boolean> {
    try {
      await withClient(url, async (c) => {
        await c.query('create extension if not exists pg_stat_statements');
        await c.query('select pg_stat_statements_reset()');
      });
      return true;
    } catch {
      return false;
    }
  }

  /** Statements executed in `url`'s database since the last reset (excluding the counting query). */
  async statements(url: string): Promise<number> {
    return withClient(url, async (c) => {
      const r = await c.query(
        `select coalesce(sum(calls), 0)::bigint as n from pg_stat_statements
         where dbid = (select oid from pg_database where datname = current_database()) and query not like '%pg_stat_statements%'`,
      );
      return Number(r.rows[0]!.n);
    });
  }

  /** The `limit` most frequent statements since the last reset, for `BENCH_SQL_DUMP=1`: where the count in the table comes from. */
  async topStatements(url: string, limit = 25): Promise<{ calls: number; query: string }[]> {
    return withClient(url, async (c) => {
      const r = await c.query(
        `select calls, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) as query from pg_stat_statements
         where dbid = (select oid from pg_database where datname = current_database()) and query not like '%pg_stat_statements%'
         order by calls desc limit ${limit}`,
      );
      return r.rows.map((row) => ({ calls: Number(row.calls), query: String(row.query) }));
    });
  }

  /** CPU ms used by the embedded server's processes so far (reaped backends included); NaN for an external server. */
  postgresCpuMs(): number {
    if (!this.embedded) return Number.NaN;
    const postmaster = Number(readFileSync(join(this.embedded.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const ticks = 100; // USER_HZ on Linux
    let total = cpuTicks(postmaster, true);
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      if (parentOf(Number(pid)) === postmaster) total += cpuTicks(Number(pid), false);
    }
    return (total / ticks) * 1000;
  }

  async stop(): Promise<void> {
    await this.embedded?.stop();
  }

  private async admin(...statements: string[]): Promise<void> {
    await withClient(`${this.baseUrl}/postgres`, async (c) => {
      for (const s of statements) await c.query(s);
    });
  }
}

type Query = { query(sql: string): Promise<{ rows: Record<string, unknown>[] }> };

/** One short-lived connection through the ORM we already ship, rather than another driver dependency. */
async function withClient<T>(url: string, work: (c: Query) => Promise<T>): Promise<T> {
  const orm = await openOrm(url, 1);
  const connection = orm.em.getConnection();
  try {
    return await work({ query: async (sql) => ({ rows: (await connection.execute(sql)) as Record<string, unknown>[] }) });
  } finally {
    await orm.close(true);
  }
}

/** utime + stime (+ children's, for the postmaster, which reaps the backends) from /proc/<pid>/stat. */
function cpuTicks(pid: number, withChildren: boolean): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
    return utime! + stime! + (withChildren ? cutime! + cstime! : 0);
  } catch {
    return 0;
  }
}

/** The parent process id of `pid`, or -1 when it is gone. */
export function parentOf(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
  } catch {
    return -1;
  }
}
