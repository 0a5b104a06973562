import { text } from '../model/card';
import { conversationOf, type Person, type ThreadRef } from '../model/conversation';
import type { FeedbackRating } from '../model/feedback';
import type { PrivateReply } from '../ports/chat-platform';
import type { CoreDeps } from '../core-deps';

/** A 👍/👎 click, decoded: who, where it was clicked, on which stored answer, and which. */
export interface AnswerRating {
  readonly where: ThreadRef;
  readonly user: Person;
  readonly messageId: string;
  readonly rating: FeedbackRating;
}

const THANKS: Record<FeedbackRating, string> = {
  positive: 'Thanks for the 👍.',
  negative: 'Thanks for the 👎; it helps to know.',
};

/**
 * Stores a rating, replacing the person's earlier one on that answer, and thanks them
 * privately. Counted only where the answer lives: the store looks the answer up inside the
 * click's own conversation (same platform, workspace and channel), so a value naming another
 * workspace's or channel's message rates nothing. Message ids are not secrets.
 */
export async function rateAnswer(deps: Pick<CoreDeps, 'feedback' | 'log'>, rating: AnswerRating, reply: PrivateReply): Promise<void> {
  const stored = await deps.feedback.rate(conversationOf(rating.where), rating.messageId, rating.user, rating.rating);
  if (!stored) {
    deps.log.warn({ messageId: rating.messageId, userId: rating.user.id, platform: rating.where.platform }, 'feedback on an answer not in this conversation refused');
    return reply(text('That is not one of my answers in this channel; rate an answer where it was posted.'));
  }
  deps.log.info({ messageId: rating.messageId, userId: rating.user.id, rating: rating.rating }, 'answer rated');
  await reply(text(THANKS[rating.rating]));
}
