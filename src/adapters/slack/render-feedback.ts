import type { types } from '@slack/bolt';
import { FEEDBACK_ACTION } from '../../core/model/action-ids';
import { feedbackValue, type FeedbackRating } from '../../core/model/feedback';
import { splitText } from '../../core/text/split-text';
import { checkLength, SLACK_LIMITS } from './limits';
import { escapeMrkdwn } from './mrkdwn';

const BUTTONS: Record<FeedbackRating, { readonly text: string; readonly label: string }> = {
  positive: { text: 'Good answer', label: 'This answer was helpful' },
  negative: { text: 'Bad answer', label: 'This answer was not helpful' },
};

/**
 * 👍/👎 on an answer: Slack's `feedback_buttons` in a `context_actions` block, whose clicks
 * arrive as block_actions with FEEDBACK_ACTION and the clicked button's value
 * (https://docs.slack.dev/reference/block-kit/block-elements/feedback-buttons-element).
 * A streamed answer can pass it to chat.stopStream's `blocks`.
 */
export function renderFeedbackBlock(messageId: string): types.ContextActionsBlock {
  const button = (rating: FeedbackRating) => {
    const value = feedbackValue(messageId, rating);
    checkLength('button value', value, SLACK_LIMITS.buttonValue);
    return { text: { type: 'plain_text' as const, text: BUTTONS[rating].text, emoji: true }, accessibility_label: BUTTONS[rating].label, value };
  };
  return {
    type: 'context_actions',
    elements: [{ type: 'feedback_buttons', action_id: FEEDBACK_ACTION, positive_button: button('positive'), negative_button: button('negative') }],
  };
}

/**
 * The blocks of an answer's message: its text (Slack shows blocks instead of `text` once
 * there are any) in sections, then the feedback buttons.
 */
export function answerBlocks(text: string, messageId: string): types.KnownBlock[] {
  const sections = sectionTexts(text).map((section): types.SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text: section } }));
  return [...sections, renderFeedbackBlock(messageId)];
}

/**
 * `text` escaped as mrkdwn, in pieces that each fit a section, split at clean breaks. Escaping
 * can lengthen a piece (`&` becomes `&amp;`): one that outgrows a section is split finer.
 */
function sectionTexts(text: string, maxChars: number = SLACK_LIMITS.sectionText): string[] {
  return splitText(text, { maxChars, maxPieces: Infinity, fenceLanguage: false }).flatMap((piece) => {
    const escaped = escapeMrkdwn(piece);
    return escaped.length <= SLACK_LIMITS.sectionText ? [escaped] : sectionTexts(piece, Math.floor(maxChars / 2));
  });
}
