import type { EntityManager } from '@mikro-orm/postgresql';
import type { ContextFact, ContextType, NewContextFact } from '../../core/model/context-fact';
import type { ConversationRef } from '../../core/model/conversation';
import type { ContextStore } from '../../core/ports/stores';
import { CONVERSATION_CTE, FIND_CONVERSATION_CTE, query, jsonParam } from '../sql';
import { factsOfRows } from './row-mappers';

/** The columns every fact read selects, with `x` the fact. */
const COLUMNS = 'x.*';

const params = (c: ConversationRef) => [c.platform, c.workspace, c.channel];

/** Conversation context in Postgres; every query is scoped by the conversation's three keys. */
export class ContextRepository implements ContextStore {
  constructor(private readonly em: EntityManager) {}

  async storeContext(conversation: ConversationRef, fact: NewContextFact): Promise<ContextFact> {
    const rows = await query(
      this.em,
      `with ${CONVERSATION_CTE}
       insert into conversation_context as x (conversation_id, context_type, context_key, context_value, source, learned_from, source_message_id)
       select conv.id, ?, ?, ?::jsonb, ?, ?, ? from conv
       on conflict (conversation_id, context_key) do update set
         context_type = excluded.context_type,
         context_value = excluded.context_value,
         source = excluded.source,
         learned_from = excluded.learned_from,
         source_message_id = excluded.source_message_id,
         updated_at = clock_timestamp()
       returning ${COLUMNS}`,
      [
        ...params(conversation),
        fact.type,
        fact.key,
        jsonParam(fact.value),
        fact.source,
        fact.learnedFrom,
        fact.sourceMessageId,
      ],
    );
    return factsOfRows(this.em, rows)[0]!;
  }

  async retrieveContext(conversation: ConversationRef): Promise<ContextFact[]> {
    const rows = await query(
      this.em,
      `with ${FIND_CONVERSATION_CTE}
       select ${COLUMNS} from conversation_context x join conv on conv.id = x.conversation_id
       order by x.updated_at desc, x.context_key`,
      params(conversation),
    );
    return factsOfRows(this.em, rows);
  }

  async retrieveContextByType(conversation: ConversationRef, type: ContextType): Promise<ContextFact[]> {
    const rows = await query(
      this.em,
      `with ${FIND_CONVERSATION_CTE}
       select ${COLUMNS} from conversation_context x join conv on conv.id = x.conversation_id
       where x.context_type = ? order by x.updated_at desc, x.context_key`,
      [...params(conversation), type],
    );
    return factsOfRows(this.em, rows);
  }

  async forgetContext(conversation: ConversationRef, key: string): Promise<boolean> {
    const rows = await query(
      this.em,
      `with ${FIND_CONVERSATION_CTE}
       delete from conversation_context x using conv where x.conversation_id = conv.id and x.context_key = ?
       returning x.id`,
      [...params(conversation), key],
    );
    return rows.length > 0;
  }

  async clearContext(conversation: ConversationRef): Promise<number> {
    const rows = await query(
      this.em,
      `with ${FIND_CONVERSATION_CTE}
       delete from conversation_context x using conv where x.conversation_id = conv.id returning x.id`,
      params(conversation),
    );
    return rows.length;
  }

  async evictOldest(conversation: ConversationRef, keep: number): Promise<number> {
    const rows = await query(
      this.em,
      `with ${FIND_CONVERSATION_CTE},
       doomed as (
         select x.id from conversation_context x join conv on conv.id = x.conversation_id
         order by x.updated_at desc, x.id offset ?
       )
       delete from conversation_context x using doomed where x.id = doomed.id returning x.id`,
      [...params(conversation), keep],
    );
    return rows.length;
  }
}
