import type { ConversationRef, Person } from '../../../src/core/model/conversation';
import type { FeedbackRating, FeedbackTally } from '../../../src/core/model/feedback';
import type { FeedbackStore } from '../../../src/core/ports/stores';
import { byCreation, sameConversation, type MemoryDatabase, type MessageRow } from './memory-database';

/** An answer of the bot that asked for feedback. */
const isRatedAnswer = (m: MessageRow) => m.role === 'assistant' && m.metadata.feedback === true;

/** Ratings in memory: one per person and answer. */
export class MemoryFeedbackStore implements FeedbackStore {
  constructor(private readonly db: MemoryDatabase) {}

  async rate(conversation: ConversationRef, messageId: string, by: Person, rating: FeedbackRating): Promise<boolean> {
    // Looked up inside its conversation: a message of anywhere else rates nothing.
    const answer = this.db.messages.get(messageId);
    if (!answer || !isRatedAnswer(answer) || !sameConversation(answer.where, conversation)) return false;
    this.db.feedback.set(JSON.stringify([messageId, by.id]), { messageId, userId: by.id, userName: by.name, rating });
    return true;
  }

  async tally(conversation: ConversationRef, answers: number): Promise<FeedbackTally> {
    const recent = this.db
      .messagesWhere((m) => isRatedAnswer(m) && sameConversation(m.where, conversation))
      .sort((a, b) => byCreation(b, a))
      .slice(0, answers);
    const ids = new Set(recent.map((m) => m.id));
    const ratings = [...this.db.feedback.values()].filter((f) => ids.has(f.messageId)).map((f) => f.rating);
    return { answers: recent.length, positive: ratings.filter((r) => r === 'positive').length, negative: ratings.filter((r) => r === 'negative').length };
  }
}
