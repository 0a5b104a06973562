import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConversationRef, Person } from '../../core/model/conversation';
import type { FeedbackRating, FeedbackTally } from '../../core/model/feedback';
import type { FeedbackStore } from '../../core/ports/stores';
import { FIND_CONVERSATION_CTE, isUuid, placeParams, query } from '../sql';

/** The bot's answers that asked for feedback, in the conversation `conv` found. */
const ANSWERS = `select m.id, m.created_at from message m join conv on conv.id = m.conversation_id
  where m.role = 'assistant' and m.metadata @> '{"feedback": true}'::jsonb`;

/** Ratings of answers in Postgres; each method is one SQL statement. */
export class FeedbackRepository implements FeedbackStore {
  constructor(private readonly em: EntityManager) {}

  async rate(conversation: ConversationRef, messageId: string, by: Person, rating: FeedbackRating): Promise<boolean> {
    if (!isUuid(messageId)) return false;
    // The answer is looked up inside its conversation, so a message of anywhere else inserts
    // nothing; the unique key on (message, user) turns a second click into a replacement.
    const rows = await query(
      this.em,
      `with ${FIND_CONVERSATION_CTE},
       answer as (${ANSWERS} and m.id = ?)
       insert into answer_feedback (message_id, user_id, user_name, rating)
       select id, ?, ?, ? from answer
       on conflict (message_id, user_id) do update set
         rating = excluded.rating,
         user_name = excluded.user_name,
         updated_at = clock_timestamp()
       returning id`,
      [...placeParams(conversation), messageId, by.id, by.name, rating],
    );
    return rows.length === 1;
  }

  async tally(conversation: ConversationRef, answers: number): Promise<FeedbackTally> {
    const [row] = await query<FeedbackTally>(
      this.em,
      `with ${FIND_CONVERSATION_CTE},
       recent as (${ANSWERS} order by m.created_at desc limit ?)
       select (select count(*) from recent)::int as answers,
         count(*) filter (where f.rating = 'positive')::int as positive,
         count(*) filter (where f.rating = 'negative')::int as negative
       from answer_feedback f where f.message_id in (select id from recent)`,
      [...placeParams(conversation), answers],
    );
    return row ?? { answers: 0, positive: 0, negative: 0 };
  }
}
