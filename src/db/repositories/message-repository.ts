import { raw, type EntityManager } from '@mikro-orm/postgresql';
import type { Platform, ThreadRef } from '../../core/model/conversation';
import { metadataSchemas, type MessageMetadata, type NewMessage, type StoredMessage, type TurnState } from '../../core/model/message';
import type { MessageStore, ThreadReading } from '../../core/ports/stores';
import type { ViewedChannel } from '../../core/model/viewed-channel';
import { MessageEntity } from '../entities';
import type { HotSql } from '../hot-sql';
import { hotStatement, sql, type Placeholders } from '../hot-statement';
import { storableText } from '../sql-values';
import { factsOfRows, messageOf, messagesOfRows } from './row-mappers';
import { CONTEXT, conversationCte, findConversationCte, MESSAGE, messageParams, placeColumns, placeParams, THREAD, turnState, type MessageParams, type PlaceParams } from './statement-parts';
import { ago, dbNow, inConversation } from './orm-parts';
import { inFork } from './unit-of-work';

const M = MESSAGE;

/** A message to insert after `conversationCte`. */
interface InsertParams extends MessageParams {
  readonly traceId: string | null;
  /** A person's message is a turn, pending (and claimed by this process) until answered. */
  readonly turnState: TurnState | null;
}

const insertParams = (message: NewMessage): InsertParams => ({ ...messageParams(message), traceId: message.traceId ?? null, turnState: message.role === 'user' ? 'pending' : null });

const INSERT_COLUMNS = sql`${M.conversation}, ${M.threadRef}, ${M.platformMessageId}, ${M.authorId}, ${M.authorName}, ${M.role}, ${M.messageType}, ${M.text}, ${M.metadata}, ${M.traceId}, ${M.turnState}, ${M.turnClaimedAt}`;
const insertValues = (p: Placeholders<InsertParams>) =>
  sql`conv.id, ${p.thread}, ${p.platformMessageId}, ${p.authorId}, ${p.authorName}, ${p.role}, ${p.type}, ${p.text}, ${p.metadata}::jsonb, ${p.traceId}, ${p.turnState}, case when ${p.turnState}::text is null then null else now() end`;

/**
 * What a prompt is built from, as three columns over a `conv` CTE: the thread's last
 * `historyLimit` messages, oldest first; the conversation's facts, newest first; the channel
 * viewed beside the thread.
 */
const readingColumns = (p: Placeholders<{ thread: string; historyLimit: number }>) => sql`
  (select jsonb_agg(to_jsonb(recent) order by recent.${M.createdAt}, recent.${M.id}) from (
     select m.*, ${placeColumns('c')} from ${M.$table} m join conv c on c.id = m.${M.conversation}
     where m.${M.threadRef} = ${p.thread} order by m.${M.createdAt} desc, m.${M.id} desc limit ${p.historyLimit}
   ) recent) as history,
  (select jsonb_agg(to_jsonb(x) order by x.${CONTEXT.updatedAt} desc, x.${CONTEXT.contextKey})
     from ${CONTEXT.$table} x join conv on conv.id = x.${CONTEXT.conversation}) as facts,
  (select jsonb_build_object('workspace', a.${THREAD.viewedWorkspaceId}, 'channel', a.${THREAD.viewedChannelId})
     from ${THREAD.$table} a join conv on conv.id = a.${THREAD.conversation}
     where a.${THREAD.threadRef} = ${p.thread} and a.${THREAD.viewedChannelId} is not null) as viewing`;

/** The columns of a reading. */
interface ReadingRow {
  history?: Record<string, unknown>[] | null;
  facts?: Record<string, unknown>[] | null;
  viewing?: ViewedChannel | null;
}

/**
 * A person's message stored once, and the thread as it was before it, in one statement: the
 * statement's snapshot does not hold the row it inserts. A redelivery (same platform id in the
 * conversation) inserts nothing and reads the row that holds the id, with `is_new` false.
 */
const APPEND_TURN = hotStatement<InsertParams & { historyLimit: number }, Record<string, unknown> & ReadingRow & { is_new: boolean }>(
  (p) => sql`with ${conversationCte(p)},
  ins as (
    insert into ${M.$table} (${INSERT_COLUMNS}) select ${insertValues(p)} from conv
    on conflict (${M.conversation}, ${M.platformMessageId}) do nothing
    returning *
  ),
  stored as (
    select m.*, ${placeColumns('c')}, true as is_new from ins m join conv c on c.id = m.${M.conversation}
    union all
    select m.*, ${placeColumns('c')}, false as is_new from ${M.$table} m join conv c on c.id = m.${M.conversation}
    where m.${M.platformMessageId} = ${p.platformMessageId} and not exists (select 1 from ins)
  )
  select stored.*, ${readingColumns(p)} from stored`,
);

const READ_THREAD = hotStatement<PlaceParams & { thread: string; historyLimit: number }, ReadingRow>(
  (p) => sql`with ${findConversationCte(p)} select ${readingColumns(p)}`,
);

const THREAD_EXISTS = hotStatement<PlaceParams & { thread: string }, { known: boolean }>(
  (p) => sql`with ${findConversationCte(p)}
  select exists (select 1 from ${M.$table} m join conv c on c.id = m.${M.conversation} where m.${M.threadRef} = ${p.thread}) as known`,
);

/** The bot's reply stored under the id it was posted with, and its turn answered, in one statement. */
const APPEND_REPLY = hotStatement<InsertParams & { id: string; turnMessageId: string }>(
  (p) => sql`with ${conversationCte(p)},
  answered as (
    update ${M.$table} set ${M.turnState} = ${turnState('answered')} where ${M.id} = ${p.turnMessageId} and ${M.turnState} = ${turnState('pending')}
  ),
  ins as (
    insert into ${M.$table} (${M.id}, ${INSERT_COLUMNS}) select ${p.id}::uuid, ${insertValues(p)} from conv
    on conflict (${M.conversation}, ${M.platformMessageId}) do nothing
    returning *
  )
  select m.*, ${placeColumns('c')} from ins m join conv c on c.id = m.${M.conversation}`,
);

/** Messages in Postgres: the turn's and the reply's statements are hot (hand-written), the rest go through the ORM. */
export class MessageRepository implements MessageStore {
  constructor(
    private readonly em: EntityManager,
    private readonly sql: HotSql,
  ) {}

  async appendTurn(message: NewMessage<'text'>, historyLimit: number): Promise<{ message: StoredMessage; isNew: boolean; before: ThreadReading }> {
    const [row] = await this.sql.rows(APPEND_TURN, { ...insertParams(message), historyLimit: historyLimit - 1 });
    // No row: a racing insert of the same message committed after this statement's snapshot.
    if (!row) return { message: await this.findByPlatformId(message.where, message.platformMessageId!), isNew: false, before: this.reading(undefined) };
    return { message: messagesOfRows(this.em, [row])[0]!, isNew: row.is_new === true, before: this.reading(row) };
  }

  /** A racing insert that committed after our statement's snapshot is invisible to it; a fresh statement sees it. */
  private findByPlatformId(where: ThreadRef, platformMessageId: string): Promise<StoredMessage> {
    return inFork(this.em, async (em) => messageOf(await em.findOneOrFail(MessageEntity, { ...inConversation(where), platformMessageId }, { populate: ['conversation'] })));
  }

  async readThread(thread: ThreadRef, limit: number): Promise<ThreadReading> {
    // One round trip for both halves of a prompt: every turn and every model step reads them.
    const [row] = await this.sql.rows(READ_THREAD, { ...placeParams(thread), thread: thread.thread, historyLimit: limit });
    return this.reading(row);
  }

  private reading(row: ReadingRow | undefined): ThreadReading {
    return { history: messagesOfRows(this.em, row?.history ?? []), facts: factsOfRows(this.em, row?.facts ?? []), viewing: row?.viewing ?? null };
  }

  async threadExists(thread: ThreadRef): Promise<boolean> {
    const [row] = await this.sql.rows(THREAD_EXISTS, { ...placeParams(thread), thread: thread.thread });
    return row?.known === true;
  }

  async setAuthorName(messageId: string, name: string): Promise<void> {
    const authorName = storableText(name);
    await inFork(this.em, (em) => em.nativeUpdate(MessageEntity, { id: messageId, authorName: { $ne: authorName } }, { authorName }));
  }

  async setPlatformMessageId(messageId: string, platformMessageId: string): Promise<void> {
    await inFork(this.em, (em) => em.nativeUpdate(MessageEntity, { id: messageId }, { platformMessageId }));
  }

  async updateMessage<T extends 'agent_request' | 'agent_progress' | 'agent_result'>(messageId: string, type: T, text: string, metadata: MessageMetadata<T>, platformMessageId?: string): Promise<void> {
    const valid = metadataSchemas[type].parse(metadata) as Record<string, unknown>;
    await inFork(this.em, (em) =>
      em.nativeUpdate(MessageEntity, { id: messageId, messageType: type }, { text: storableText(text), metadata: valid, ...(platformMessageId && { platformMessageId }) }),
    );
  }

  async appendReply(turnMessageId: string, reply: NewMessage<'text'> & { readonly id: string }): Promise<StoredMessage> {
    const [row] = await this.sql.rows(APPEND_REPLY, { ...insertParams(reply), id: reply.id, turnMessageId });
    // A platform id already stored here (a platform that reuses ids) keeps its first row.
    return row ? messagesOfRows(this.em, [row])[0]! : this.findByPlatformId(reply.where, reply.platformMessageId!);
  }

  async answerTurn(turnMessageId: string): Promise<void> {
    await inFork(this.em, (em) => em.nativeUpdate(MessageEntity, { id: turnMessageId, turnState: 'pending' }, { turnState: 'answered' }));
  }

  async renewTurnClaims(messageIds: readonly string[]): Promise<string[]> {
    if (messageIds.length === 0) return [];
    // The same statement says which were stopped: a stop costs the answering process no statement of its own.
    const renewed: { id: string; turnState: TurnState }[] = await inFork(this.em, (em) =>
      em
        .createQueryBuilder(MessageEntity)
        .update({ turnClaimedAt: dbNow() })
        .where({ id: { $in: [...messageIds] }, turnState: { $in: ['pending', 'stopped'] } })
        .returning(['id', 'turnState'])
        .execute('all', true),
    );
    return renewed.filter((r) => r.turnState === 'stopped').map((r) => r.id);
  }

  async turnsInProgress(thread: ThreadRef): Promise<StoredMessage[]> {
    const found = await inFork(this.em, (em) =>
      em.find(
        MessageEntity,
        { ...inConversation(thread), threadRef: storableText(thread.thread), turnState: 'pending' },
        { populate: ['conversation'], orderBy: { createdAt: 'asc', id: 'asc' } },
      ),
    );
    return found.map(messageOf);
  }

  async stopTurn(messageId: string): Promise<boolean> {
    const stopped = await inFork(this.em, (em) => em.nativeUpdate(MessageEntity, { id: messageId, turnState: 'pending' }, { turnState: 'stopped' }));
    return stopped === 1;
  }

  async claimStaleTurns(leaseMs: number, windowMs: number, limit: number, platforms: readonly Platform[]): Promise<{ claimed: StoredMessage[]; skipped: number }> {
    return inFork(this.em, async (em) => {
      const found = await this.staleTurns(em, leaseMs, windowMs, limit, platforms);
      const skipped = found.some((t) => t.too_old) ? await em.nativeUpdate(MessageEntity, { turnState: 'pending', createdAt: { $lt: ago(windowMs) } }, { turnState: 'skipped' }) : 0;
      const due = found.filter((t) => !t.too_old).map((t) => t.id);
      return { claimed: due.length ? await this.claim(em, due, leaseMs, windowMs) : [], skipped };
    });
  }

  /**
   * Unanswered turns too old to answer, and turns of `platforms` whose claim lapsed, oldest
   * first, in one read: a sweep with nothing to do costs one statement.
   */
  private staleTurns(em: EntityManager, leaseMs: number, windowMs: number, limit: number, platforms: readonly Platform[]): Promise<{ id: string; too_old: boolean }[]> {
    return em
      .createQueryBuilder(MessageEntity, 'm')
      .select(['m.id', raw(`m.${M.createdAt} < now() - ?::int * interval '1 millisecond' as too_old`, [Math.round(windowMs)])])
      .join('m.conversation', 'c')
      .where({ turnState: 'pending', $or: [{ createdAt: { $lt: ago(windowMs) } }, { turnClaimedAt: { $lt: ago(leaseMs) }, conversation: { platform: { $in: [...platforms] } } }] })
      .orderBy({ createdAt: 'asc' })
      .limit(limit)
      .execute('all', false);
  }

  /** Claims the turns whose claim still lapsed, one conditional UPDATE: of several processes sweeping at once, one gets each. */
  private async claim(em: EntityManager, ids: string[], leaseMs: number, windowMs: number): Promise<StoredMessage[]> {
    const claimed: { id: string }[] = await em
      .createQueryBuilder(MessageEntity)
      .update({ turnClaimedAt: dbNow() })
      .where({ id: { $in: ids }, turnState: 'pending', turnClaimedAt: { $lt: ago(leaseMs) }, createdAt: { $gte: ago(windowMs) } })
      .returning(['id'])
      .execute('all', false);
    if (claimed.length === 0) return [];
    const turns = await em.find(MessageEntity, { id: { $in: claimed.map((c) => c.id) } }, { populate: ['conversation'], orderBy: { createdAt: 'asc' } });
    return turns.map(messageOf);
  }
}
