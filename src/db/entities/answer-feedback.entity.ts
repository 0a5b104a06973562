import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { FEEDBACK_RATINGS } from '../../core/model/feedback';
import { MessageEntity } from './message.entity';

/**
 * A person's 👍 or 👎 on one of the bot's answers (a chat reply or a run's final answer). One
 * row per (answer, person): a second click replaces the first with one upsert, so the rating
 * moves and `updatedAt` with it while `createdAt` stays.
 */
export const AnswerFeedbackEntity = defineEntity({
  name: 'AnswerFeedback',
  tableName: 'answer_feedback',
  properties: (p) => ({
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    message: p.manyToOne(MessageEntity).deleteRule('cascade'),
    /** The platform's user id of who rated. */
    userId: p.text(),
    userName: p.text(),
    rating: p.enum([...FEEDBACK_RATINGS]),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
  }),
  uniques: [{ name: 'answer_feedback_message_user_unique', properties: ['message', 'userId'] }],
});

export type AnswerFeedback = InferEntity<typeof AnswerFeedbackEntity>;
