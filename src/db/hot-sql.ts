import { Pool, type QueryResultRow } from 'pg';
import { ChangeFeed } from './change-feed';
import { asStoreError, codeOf } from './store-errors';
import { valuesOf, type HotStatement } from './hot-statement';
import { storableText } from './sql-values';

/** Options for {@link HotSql}. */
export interface HotSqlOptions {
  /** The database's URL, the ORM's own. */
  readonly url: string;
  /** Most connections this pool opens. */
  readonly max: number;
}

/** How long a statement waits for a pooled connection (knex's default, which the ORM's pool had). */
const ACQUIRE_TIMEOUT_MS = 60_000;
/** An idle connection is closed after this, losing the statements prepared on it (tarn's default, as before). */
const IDLE_TIMEOUT_MS = 30_000;
/** SQLSTATE feature_not_supported, which a prepared `select *` answers once a migration has changed its columns. */
const CACHED_PLAN_CHANGED = '0A000';

/**
 * The hot statements' own node-postgres pool (docs/development.md, "Hot statements"). Each
 * statement is sent with bound parameters under its name, so Postgres parses and plans it
 * once per connection: this halved the CPU per message against the ORM's inlined SQL (#16,
 * bench/README.md). A statement takes a connection for itself alone, so it joins no ORM
 * transaction: what must happen together is one statement. A database that cannot be reached
 * fails as a StoreUnavailableError.
 */
export class HotSql {
  private readonly pool: Pool;
  /** Statements prepared again under a new name after a migration changed what they return. */
  private readonly renamed = new Map<string, string>();
  private renames = 0;
  /** LISTEN for the caches of rarely changed rows, on a connection of its own; opened only when a cache listens. */
  readonly changes: ChangeFeed;

  constructor({ url, max }: HotSqlOptions) {
    this.changes = new ChangeFeed(url);
    this.pool = new Pool({ connectionString: url, max, connectionTimeoutMillis: ACQUIRE_TIMEOUT_MS, idleTimeoutMillis: IDLE_TIMEOUT_MS });
    // An idle connection the server cut (a restart, an outage): the pool drops it, and the
    // next statement opens another or fails as StoreUnavailableError. Nothing else to do.
    this.pool.on('error', () => undefined);
  }

  /** Runs `statement` with `params` (text made storable) and returns its rows. */
  async rows<P, Row>(statement: HotStatement<P, Row>, params: P): Promise<Row[]> {
    const values = valuesOf(statement, params).map((v) => (typeof v === 'string' ? storableText(v) : v));
    try {
      return await this.prepared<Row>(statement, values);
    } catch (error) {
      throw asStoreError(error);
    }
  }

  /** Resolves once Postgres answered `select 1` on this pool. */
  async ping(): Promise<void> {
    await this.pool.query('select 1');
  }

  /** Closes every connection; statements after this fail. */
  async close(): Promise<void> {
    await this.changes.close();
    await this.pool.end();
  }

  /** A migration applied while this process runs can change a prepared `select *`: it is prepared again, under a new name. */
  private async prepared<Row>(statement: { readonly name: string; readonly text: string }, values: unknown[]): Promise<Row[]> {
    const name = this.renamed.get(statement.name) ?? statement.name;
    try {
      return (await this.pool.query<QueryResultRow>({ name, text: statement.text, values })).rows as Row[];
    } catch (error) {
      if (codeOf(error) !== CACHED_PLAN_CHANGED) throw error;
      const fresh = `${statement.name}_${++this.renames}`;
      this.renamed.set(statement.name, fresh);
      return (await this.pool.query<QueryResultRow>({ name: fresh, text: statement.text, values })).rows as Row[];
    }
  }
}
