import { ButtonStyle, ComponentType } from 'discord.js';
import { FEEDBACK_ACTION } from '../../core/model/action-ids';
import { FEEDBACK_RATINGS, feedbackValue, type FeedbackRating } from '../../core/model/feedback';
import { encodeCustomId } from './custom-id';
import type { ButtonRow } from './render-card';

const EMOJI: Record<FeedbackRating, string> = { positive: '👍', negative: '👎' };

/**
 * 👍/👎 on an answer: one action row of two small grey emoji buttons, well inside Discord's
 * 5 rows of 5. Clicks come back as FEEDBACK_ACTION with the rating and the answer's stored id
 * in the custom_id. A streamed answer's last edit can add it to its components.
 */
export function renderFeedbackRow(messageId: string): ButtonRow {
  return {
    type: ComponentType.ActionRow,
    components: FEEDBACK_RATINGS.map((rating) => ({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      emoji: { name: EMOJI[rating] },
      custom_id: encodeCustomId({ actionId: FEEDBACK_ACTION, value: feedbackValue(messageId, rating) }),
    })),
  };
}
