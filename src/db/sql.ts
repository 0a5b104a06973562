import type { EntityManager } from '@mikro-orm/postgresql';
import { StoreUnavailableError, SystemError } from '../core/errors';
import { isUuid, jsonParam, storableText } from './sql-values';

export { isUuid, jsonParam, storableText };

/** The part of a pooled node-postgres client a statement needs. */
interface PooledClient {
  query(statement: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Runs one SQL statement with `?` placeholders and returns its rows. Text parameters are
 * made storable first. A database that cannot be reached fails as a StoreUnavailableError.
 *
 * The statement goes to node-postgres on a connection of the ORM's own pool, with its
 * parameters bound (`$1`, `$2`…), instead of through `Connection.execute`: that path inlines
 * every parameter into the text and builds a knex query around it on every call, and was
 * about a fifth of the bot's CPU under load (#16, bench/README.md). The connection is taken
 * for this statement alone, so it does not join an `em.transactional` transaction: what must
 * happen together is written as one statement, as every repository method is.
 */
export async function query<Row = Record<string, unknown>>(em: EntityManager, sql: string, params: unknown[] = []): Promise<Row[]> {
  const values = params.map((p) => (typeof p === 'string' ? storableText(p) : p));
  const statement = numbered(sql, values.length);
  const pool = em.getConnection().getKnex().client;
  try {
    const client = (await pool.acquireConnection()) as PooledClient;
    try {
      return await rowsOf<Row>(client, statement, sql, values);
    } finally {
      await pool.releaseConnection(client);
    }
  } catch (error) {
    throw unreachable(error) ? new StoreUnavailableError('the database did not answer', { code: codeOf(error) }, { cause: error }) : error;
  }
}

/** SQLSTATE feature_not_supported, which a prepared `select *` answers once a migration has changed its columns. */
const CACHED_PLAN_CHANGED = '0A000';

/**
 * The statement runs prepared under its name (Postgres parses and plans it once per
 * connection, which halved its CPU per message). A migration applied while this process
 * runs can change what a prepared statement returns; it is then prepared again, under a new name.
 */
async function rowsOf<Row>(client: PooledClient, statement: { name: string; text: string }, sql: string, values: unknown[]): Promise<Row[]> {
  try {
    return (await client.query({ ...statement, values })).rows as Row[];
  } catch (error) {
    if (codeOf(error) !== CACHED_PLAN_CHANGED) throw error;
    numberedTexts.delete(sql);
    return (await client.query({ ...numbered(sql, values.length), values })).rows as Row[];
  }
}

/** Statements already numbered, with their placeholder counts: the repositories' texts are constants, so this stays small. */
const numberedTexts = new Map<string, { name: string; text: string; placeholders: number }>();
let statementsNamed = 0;
const NUMBERED_TEXTS_MAX = 500;

/** `?` placeholders (outside quotes) as `$1`, `$2`…; a count that does not match the parameters is a bug, said at once. */
function numbered(sql: string, paramCount: number): { name: string; text: string } {
  let statement = numberedTexts.get(sql);
  if (statement === undefined) {
    let placeholders = 0;
    const text = sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\?/g, (token) => (token === '?' ? `$${++placeholders}` : token));
    if (numberedTexts.size >= NUMBERED_TEXTS_MAX) numberedTexts.clear();
    statement = { name: `sb${++statementsNamed}`, text, placeholders };
    numberedTexts.set(sql, statement);
  }
  if (statement.placeholders !== paramCount) {
    throw new SystemError('placeholder_mismatch', `a statement with ${statement.placeholders} placeholders was given ${paramCount} parameters`, { statement: statement.name });
  }
  return statement;
}

/** Socket errors of a server that is down, restarting or out of reach. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * SQLSTATEs of a server that cannot serve now: admin or crash shutdown, still starting up,
 * too many connections (https://www.postgresql.org/docs/current/errcodes-appendix.html).
 * Class 08 (connection exception) is matched as a whole.
 */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** Whether a driver error means the database was not there to answer, as opposed to refusing the statement. */
function unreachable(error: unknown): boolean {
  const code = codeOf(error);
  if (code !== undefined && (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.has(code) || code.startsWith('08'))) return true;
  // knex's pool gave up waiting for a connection (acquireConnectionTimeout).
  return error instanceof Error && error.name === 'KnexTimeoutError';
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A CTE that finds or creates the conversation row and yields its id as `conv.id`,
 * so that a write and its conversation lookup are one statement. Binds three params:
 * platform, workspace, channel.
 */
export const CONVERSATION_CTE = `conv as (
  insert into conversation (platform, workspace_id, channel_id) values (?, ?, ?)
  on conflict (platform, workspace_id, channel_id) do update set updated_at = conversation.updated_at
  returning id, platform, workspace_id, channel_id
)`;

/** A CTE that only finds the conversation (no row when unknown). Binds platform, workspace, channel. */
export const FIND_CONVERSATION_CTE = `conv as (
  select id, platform, workspace_id, channel_id from conversation
  where platform = ? and workspace_id = ? and channel_id = ?
)`;

/** The conversation columns joined to a row (as `c`), which the mappers read. */
export const PLACE_COLUMNS = 'c.platform as place_platform, c.workspace_id as place_workspace, c.channel_id as place_channel';

/** The three parameters of a conversation CTE. */
export const placeParams = (where: { platform: string; workspace: string; channel: string }): string[] => [where.platform, where.workspace, where.channel];

/** `?::int * interval '1 millisecond'`: a duration parameter in SQL. */
export const MS = `(?::int * interval '1 millisecond')`;
