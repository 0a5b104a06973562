import type { EntityManager } from '@mikro-orm/postgresql';
import type { ThreadRef } from '../../core/model/conversation';
import type { ViewedChannel } from '../../core/model/viewed-channel';
import type { AssistantThreadFirst, AssistantThreadStore } from '../../core/ports/stores';
import { AssistantThreadEntity } from '../entities';
import type { HotSql } from '../hot-sql';
import { hotStatement, sql, type SqlText } from '../hot-statement';
import { storableText } from '../sql-values';
import { conversationIdOf, inConversation } from './orm-parts';
import { conversationCte, placeParams, THREAD, type PlaceParams } from './statement-parts';
import { inFork } from './unit-of-work';

const A = THREAD;

/**
 * Insert-or-flip of one once-only flag: a row returned means this caller turned it on; no row,
 * someone already had. Every message of an assistant thread asks whether it still needs a title.
 */
const claimFlag = (flag: SqlText) =>
  hotStatement<PlaceParams & { thread: string }>(
    (p) => sql`with ${conversationCte(p)}
  insert into ${A.$table} as a (${A.conversation}, ${A.threadRef}, ${flag})
  select conv.id, ${p.thread}, true from conv
  on conflict (${A.conversation}, ${A.threadRef}) do update set ${flag} = true where not a.${flag}
  returning a.${A.id}`,
  );

/** The statement of each once-only event: the column it flips is fixed here, never text from outside. */
const CLAIM_ONCE: Record<AssistantThreadFirst, ReturnType<typeof claimFlag>> = { greeting: claimFlag(A.greeted), title: claimFlag(A.titled) };

/** Assistant threads in Postgres, one row per thread, created by whichever write comes first. */
export class AssistantThreadRepository implements AssistantThreadStore {
  constructor(
    private readonly em: EntityManager,
    private readonly sql: HotSql,
  ) {}

  async noteViewedChannel(thread: ThreadRef, viewed: ViewedChannel | null, at: Date): Promise<void> {
    const view = { viewedWorkspaceId: viewed && storableText(viewed.workspace), viewedChannelId: viewed && storableText(viewed.channel), viewedAt: at };
    const threadRef = storableText(thread.thread);
    await inFork(this.em, async (em) => {
      const conversation = await conversationIdOf(em, thread);
      await em.createQueryBuilder(AssistantThreadEntity).insert({ conversation, threadRef }).onConflict(['conversation', 'threadRef']).ignore().execute('run');
      // Conditional: a report older than the one stored (a late redelivery) changes nothing.
      await em.nativeUpdate(AssistantThreadEntity, { ...inConversation(thread), threadRef, $or: [{ viewedAt: null }, { viewedAt: { $lte: at } }] }, view);
    });
  }

  async claimOnce(thread: ThreadRef, what: AssistantThreadFirst): Promise<boolean> {
    return (await this.sql.rows(CLAIM_ONCE[what], { ...placeParams(thread), thread: thread.thread })).length === 1;
  }
}
