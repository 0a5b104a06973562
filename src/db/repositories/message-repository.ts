import type { EntityManager } from '@mikro-orm/postgresql';
import type { Platform, ThreadRef } from '../../core/model/conversation';
import { metadataSchemas, type MessageMetadata, type NewMessage, type StoredMessage } from '../../core/model/message';
import type { MessageStore, ThreadReading } from '../../core/ports/stores';
import type { ViewedChannel } from '../../core/model/viewed-channel';
import { MessageEntity } from '../entities';
import { CONVERSATION_CTE, FIND_CONVERSATION_CTE, jsonParam, MS, PLACE_COLUMNS, placeParams, query, storableText } from '../sql';
import { toFacts } from './context-repository';
import { toStoredMessages } from './row-mappers';
import { validateMetadata } from './validate-metadata';

/** The columns of an insert of a NewMessage after CONVERSATION_CTE, and their parameters, in order. */
const INSERT_COLUMNS = 'conversation_id, thread_ref, platform_message_id, author_id, author_name, role, message_type, text, metadata, trace_id, turn_state, turn_claimed_at';
const INSERT_VALUES = `conv.id, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, case when ?::text is null then null else now() end`;

function insertParams(message: NewMessage): unknown[] {
  const metadata = validateMetadata(message.type, message.metadata);
  // A person's message is a turn, pending (and claimed by this process) until answered.
  const turn = message.role === 'user' ? 'pending' : null;
  const { where } = message;
  return [...placeParams(where), where.thread, message.platformMessageId, message.author.id, message.author.name, message.role, message.type, message.text, jsonParam(metadata), message.traceId ?? null, turn, turn];
}

/**
 * After CONVERSATION_CTE: insert-or-nothing on (conversation, platform message id), then
 * `stored`, whichever row holds that id, with `is_new`: a redelivered event learns it lost in
 * the same statement. Binds insertParams, then the platform message id.
 */
const STORED_CTES = `ins as (
    insert into message (${INSERT_COLUMNS}) select ${INSERT_VALUES} from conv
    on conflict (conversation_id, platform_message_id) do nothing
    returning *
  ),
  stored as (
    select m.*, ${PLACE_COLUMNS}, true as is_new from ins m join conv c on c.id = m.conversation_id
    union all
    select m.*, ${PLACE_COLUMNS}, false as is_new from message m join conv c on c.id = m.conversation_id
    where m.platform_message_id = ? and not exists (select 1 from ins)
  )`;

/**
 * What a prompt is built from, as three columns over a `conv` CTE: the thread's last messages,
 * oldest first; the conversation's facts, newest first; the channel viewed beside the thread.
 * Binds readingParams.
 */
const READING_COLUMNS = `
  (select jsonb_agg(to_jsonb(recent) order by recent.created_at, recent.id) from (
     select m.*, ${PLACE_COLUMNS} from message m join conv c on c.id = m.conversation_id
     where m.thread_ref = ? order by m.created_at desc, m.id desc limit ?
   ) recent) as history,
  (select jsonb_agg(to_jsonb(x) order by x.updated_at desc, x.context_key)
     from conversation_context x join conv on conv.id = x.conversation_id) as facts,
  (select jsonb_build_object('workspace', a.viewed_workspace_id, 'channel', a.viewed_channel_id)
     from assistant_thread a join conv on conv.id = a.conversation_id
     where a.thread_ref = ? and a.viewed_channel_id is not null) as viewing`;

const readingParams = (thread: ThreadRef, historyLimit: number): unknown[] => [thread.thread, historyLimit, thread.thread];

/** Messages in Postgres. Each method is one SQL statement. */
export class MessageRepository implements MessageStore {
  constructor(private readonly em: EntityManager) {}

  async appendTurn(message: NewMessage<'text'>, historyLimit: number): Promise<{ message: StoredMessage; isNew: boolean; before: ThreadReading }> {
    // The statement's snapshot does not hold the row it inserts: the thread as it was before this message.
    const [row] = await query(
      this.em,
      `with ${CONVERSATION_CTE}, ${STORED_CTES} select stored.*, ${READING_COLUMNS} from stored`,
      [...insertParams(message), message.platformMessageId, ...readingParams(message.where, historyLimit - 1)],
    );
    // No row: a racing insert of the same message committed after this statement's snapshot.
    const stored = row ?? (await this.findByPlatformId(message.where, message.platformMessageId!));
    return { message: toStoredMessages(this.em, [stored])[0]!, isNew: stored.is_new === true, before: this.reading(row) };
  }

  /** A racing insert that committed after our statement's snapshot is invisible to it; a fresh statement sees it. */
  private async findByPlatformId(where: ThreadRef, platformMessageId: string): Promise<Record<string, unknown>> {
    const rows = await query(
      this.em,
      `with ${FIND_CONVERSATION_CTE}
       select m.*, ${PLACE_COLUMNS}, false as is_new from message m join conv c on c.id = m.conversation_id where m.platform_message_id = ?`,
      [...placeParams(where), platformMessageId],
    );
    return rows[0]!;
  }

  async readThread(thread: ThreadRef, limit: number): Promise<ThreadReading> {
    // One round trip for both halves of a prompt: every turn and every model step reads them.
    const [row] = await query(this.em, `with ${FIND_CONVERSATION_CTE} select ${READING_COLUMNS}`, [...placeParams(thread), ...readingParams(thread, limit)]);
    return this.reading(row);
  }

  private reading(row: Record<string, unknown> | undefined): ThreadReading {
    const { history, facts, viewing } = (row ?? {}) as { history?: Record<string, unknown>[] | null; facts?: Record<string, unknown>[] | null; viewing?: ViewedChannel | null };
    return { history: toStoredMessages(this.em, history ?? []), facts: toFacts(this.em, facts ?? []), viewing: viewing ?? null };
  }

  async threadExists(thread: ThreadRef): Promise<boolean> {
    const rows = await query<{ known: boolean }>(
      this.em,
      `with ${FIND_CONVERSATION_CTE}
       select exists (select 1 from message m join conv c on c.id = m.conversation_id where m.thread_ref = ?) as known`,
      [...placeParams(thread), thread.thread],
    );
    return rows[0]?.known === true;
  }

  async setAuthorName(messageId: string, name: string): Promise<void> {
    await query(this.em, 'update message set author_name = ? where id = ? and author_name <> ?', [name, messageId, name]);
  }

  async setPlatformMessageId(messageId: string, platformMessageId: string): Promise<void> {
    await this.em.fork().nativeUpdate(MessageEntity, { id: messageId }, { platformMessageId });
  }

  async updateMessage<T extends 'agent_request' | 'agent_progress' | 'agent_result'>(messageId: string, type: T, text: string, metadata: MessageMetadata<T>, platformMessageId?: string): Promise<void> {
    const valid = metadataSchemas[type].parse(metadata) as Record<string, unknown>;
    await this.em.fork().nativeUpdate(MessageEntity, { id: messageId, messageType: type }, { text: storableText(text), metadata: valid, ...(platformMessageId && { platformMessageId }) });
  }

  async appendReply(turnMessageId: string, reply: NewMessage<'text'> & { readonly id: string }): Promise<StoredMessage> {
    const [platform, workspace, channel, ...values] = insertParams(reply);
    const rows = await query(
      this.em,
      `with ${CONVERSATION_CTE},
       answered as (update message set turn_state = 'answered' where id = ? and turn_state = 'pending'),
       ins as (
         insert into message (id, ${INSERT_COLUMNS}) select ?::uuid, ${INSERT_VALUES} from conv
         on conflict (conversation_id, platform_message_id) do nothing
         returning *
       )
       select m.*, ${PLACE_COLUMNS} from ins m join conv c on c.id = m.conversation_id`,
      [platform, workspace, channel, turnMessageId, reply.id, ...values],
    );
    // A platform id already stored here (a platform that reuses ids) keeps its first row.
    const row = rows[0] ?? (await this.findByPlatformId(reply.where, reply.platformMessageId!));
    return toStoredMessages(this.em, [row])[0]!;
  }

  async answerTurn(turnMessageId: string): Promise<void> {
    await this.em.fork().nativeUpdate(MessageEntity, { id: turnMessageId, turnState: 'pending' }, { turnState: 'answered' });
  }

  async renewTurnClaims(messageIds: readonly string[]): Promise<string[]> {
    if (messageIds.length === 0) return [];
    // The same statement says which were stopped: a stop costs the answering process no statement of its own.
    const rows = await query<{ id: string; turn_state: string }>(
      this.em,
      `update message set turn_claimed_at = now() where id = any(?::uuid[]) and turn_state in ('pending', 'stopped') returning id, turn_state`,
      [`{${messageIds.join(',')}}`],
    );
    return rows.filter((r) => r.turn_state === 'stopped').map((r) => r.id);
  }

  async turnsInProgress(thread: ThreadRef): Promise<StoredMessage[]> {
    const rows = await query(
      this.em,
      `with ${FIND_CONVERSATION_CTE}
       select m.*, ${PLACE_COLUMNS} from message m join conv c on c.id = m.conversation_id
       where m.thread_ref = ? and m.turn_state = 'pending' order by m.created_at, m.id`,
      [...placeParams(thread), thread.thread],
    );
    return toStoredMessages(this.em, rows);
  }

  async stopTurn(messageId: string): Promise<boolean> {
    const stopped = await this.em.fork().nativeUpdate(MessageEntity, { id: messageId, turnState: 'pending' }, { turnState: 'stopped' });
    return stopped === 1;
  }

  async claimStaleTurns(leaseMs: number, windowMs: number, limit: number, platforms: readonly Platform[]): Promise<{ claimed: StoredMessage[]; skipped: number }> {
    const rows = await query(
      this.em,
      `with skipped as (
         update message set turn_state = 'skipped'
         where turn_state = 'pending' and created_at < now() - ${MS}
         returning id
       ),
       due as (
         select m.id from message m join conversation c on c.id = m.conversation_id
         where m.turn_state = 'pending' and m.turn_claimed_at < now() - ${MS} and m.created_at >= now() - ${MS} and c.platform = any(?::text[])
         order by m.created_at limit ? for update of m skip locked
       ),
       claimed as (update message m set turn_claimed_at = now() from due where m.id = due.id returning m.*)
       select (select count(*) from skipped)::int as skipped,
         coalesce((select jsonb_agg(to_jsonb(x) order by x.created_at) from (
           select m.*, ${PLACE_COLUMNS} from claimed m join conversation c on c.id = m.conversation_id
         ) x), '[]'::jsonb) as claimed`,
      [Math.round(windowMs), Math.round(leaseMs), Math.round(windowMs), `{${platforms.join(',')}}`, limit],
    );
    const [{ skipped, claimed }] = rows as [{ skipped: number; claimed: Record<string, unknown>[] }];
    return { claimed: toStoredMessages(this.em, claimed), skipped };
  }
}
