/** How a person rated one of the bot's answers: 👍 or 👎. */
export const FEEDBACK_RATINGS = ['positive', 'negative'] as const;
export type FeedbackRating = (typeof FEEDBACK_RATINGS)[number];

/** The rating a feedback button carries, after the answer's stored message id: `<message id>.positive`. */
const SEPARATOR = '.';

/**
 * The value of a feedback button: the answer's stored message id and the rating. Only the id
 * travels; where the answer lives is looked up (and checked) when the click arrives.
 */
export function feedbackValue(messageId: string, rating: FeedbackRating): string {
  return `${messageId}${SEPARATOR}${rating}`;
}

/** A feedback button's value decoded; null when it names no rating (a forged or foreign value). */
export function parseFeedbackValue(value: string): { readonly messageId: string; readonly rating: FeedbackRating } | null {
  const at = value.lastIndexOf(SEPARATOR);
  const rating = value.slice(at + 1);
  if (at <= 0 || !isRating(rating)) return null;
  return { messageId: value.slice(0, at), rating };
}

function isRating(value: string): value is FeedbackRating {
  return (FEEDBACK_RATINGS as readonly string[]).includes(value);
}

/** Ratings given on a conversation's recent answers. */
export interface FeedbackTally {
  /** How many answers were looked at (at most the number asked for). */
  readonly answers: number;
  readonly positive: number;
  readonly negative: number;
}
