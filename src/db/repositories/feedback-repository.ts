import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConversationRef, Person } from '../../core/model/conversation';
import type { FeedbackRating, FeedbackTally } from '../../core/model/feedback';
import type { FeedbackStore } from '../../core/ports/stores';
import { AnswerFeedbackEntity, MessageEntity } from '../entities';
import { isUuid, storableText } from '../sql-values';
import { inConversation, writeTime } from './orm-parts';
import { inFork } from './unit-of-work';

/** The bot's answers that asked for feedback, in conversation `c`. */
const answersIn = (c: ConversationRef) => ({ ...inConversation(c), role: 'assistant', metadata: { feedback: true } }) as const;

/** Ratings of answers in Postgres, through the ORM. */
export class FeedbackRepository implements FeedbackStore {
  constructor(private readonly em: EntityManager) {}

  async rate(conversation: ConversationRef, messageId: string, by: Person, rating: FeedbackRating): Promise<boolean> {
    if (!isUuid(messageId)) return false;
    return inFork(this.em, async (em) => {
      // The answer is looked up inside its conversation, so a message of anywhere else rates nothing.
      const answer = await em.findOne(MessageEntity, { ...answersIn(conversation), id: messageId }, { fields: ['id'] });
      if (!answer) return false;
      // The unique key on (answer, person) turns a second click into a replacement, however many race.
      await em
        .createQueryBuilder(AnswerFeedbackEntity)
        .insert({ message: answer.id, userId: storableText(by.id), userName: storableText(by.name), rating, updatedAt: writeTime() })
        .onConflict(['message', 'userId'])
        .merge(['rating', 'userName', 'updatedAt'])
        .execute('run');
      return true;
    });
  }

  async tally(conversation: ConversationRef, answers: number): Promise<FeedbackTally> {
    return inFork(this.em, async (em) => {
      const recent = await em.find(MessageEntity, answersIn(conversation), { fields: ['id'], orderBy: { createdAt: 'desc' }, limit: answers });
      const ratings = recent.length ? await em.find(AnswerFeedbackEntity, { message: { $in: recent.map((m) => m.id) } }, { fields: ['rating'] }) : [];
      const count = (rating: FeedbackRating) => ratings.filter((r) => r.rating === rating).length;
      return { answers: recent.length, positive: count('positive'), negative: count('negative') };
    });
  }
}
