import type { EntityManager } from '@mikro-orm/postgresql';

/** Runs one SQL statement with `?` placeholders and returns its rows. Text parameters are made storable first. */
export async function query<Row>(em: EntityManager, sql: string, params: unknown[] = []): Promise<Row[]> {
  const storable = params.map((p) => (typeof p === 'string' ? storableText(p) : p));
  return (await em.getConnection().execute(sql, storable, 'all')) as Row[];
}

/**
 * Text Postgres will take: it refuses NUL in text and jsonb, and lone surrogates in jsonb.
 * Both become U+FFFD, so a message carrying them is still stored, not lost to an error.
 */
export function storableText(text: string): string {
  return text.toWellFormed().replace(/\0/g, '\uFFFD');
}

/** JSON for a jsonb parameter, with every string in it made storable. */
export function jsonParam(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? storableText(v) : v));
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
