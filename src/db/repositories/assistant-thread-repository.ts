import type { EntityManager } from '@mikro-orm/postgresql';
import type { ThreadRef } from '../../core/model/conversation';
import type { ViewedChannel } from '../../core/model/viewed-channel';
import type { AssistantThreadFirst, AssistantThreadStore } from '../../core/ports/stores';
import { CONVERSATION_CTE, placeParams, query } from '../sql';

/** The column that records each once-only event; a fixed list, never text from outside. */
const FLAGS: Record<AssistantThreadFirst, string> = { greeting: 'greeted', title: 'titled' };

/** Assistant threads in Postgres, one row per thread, created by whichever write comes first. Each method is one statement. */
export class AssistantThreadRepository implements AssistantThreadStore {
  constructor(private readonly em: EntityManager) {}

  async noteViewedChannel(thread: ThreadRef, viewed: ViewedChannel | null, at: Date): Promise<void> {
    await query(
      this.em,
      `with ${CONVERSATION_CTE}
       insert into assistant_thread as a (conversation_id, thread_ref, viewed_workspace_id, viewed_channel_id, viewed_at)
       select conv.id, ?, ?, ?, ? from conv
       on conflict (conversation_id, thread_ref) do update set
         viewed_workspace_id = excluded.viewed_workspace_id,
         viewed_channel_id = excluded.viewed_channel_id,
         viewed_at = excluded.viewed_at
       where a.viewed_at is null or a.viewed_at <= excluded.viewed_at`,
      [...placeParams(thread), thread.thread, viewed?.workspace ?? null, viewed?.channel ?? null, at],
    );
  }

  async claimOnce(thread: ThreadRef, what: AssistantThreadFirst): Promise<boolean> {
    const flag = FLAGS[what];
    // Insert-or-flip: a row returned means this caller turned the flag on; no row, someone already had.
    const rows = await query(
      this.em,
      `with ${CONVERSATION_CTE}
       insert into assistant_thread as a (conversation_id, thread_ref, ${flag})
       select conv.id, ?, true from conv
       on conflict (conversation_id, thread_ref) do update set ${flag} = true where not a.${flag}
       returning a.id`,
      [...placeParams(thread), thread.thread],
    );
    return rows.length === 1;
  }
}
