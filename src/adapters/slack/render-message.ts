import type { types } from '@slack/bolt';
import type { Card, OutboundMessage } from '../../core/model/card';
import { splitText } from '../../core/text/split-text';
import { SLACK_BUDGETS, SLACK_LIMITS, SLACK_SPLIT } from './limits';
import { escapeMrkdwn, fitMrkdwn } from './mrkdwn';
import { renderCard } from './render-card';
import { answerBlocks } from './render-feedback';

/** One Slack message's content: the top-level text (always set), and blocks for a card. */
export interface SlackContent {
  readonly text: string;
  readonly blocks?: types.KnownBlock[];
}

/** Slack refuses a message without text (`no_text`); an empty answer shows as an ellipsis. */
const EMPTY_TEXT = '…';

/**
 * What a new message becomes: a card is one message; a long text is split into several. An
 * answer that asks for feedback carries the buttons on its last part only.
 */
export function renderMessages(message: OutboundMessage): SlackContent[] {
  if (message.card) return [renderCardMessage(message.text, message.card)];
  const text = message.text.trim() === '' ? EMPTY_TEXT : message.text;
  const chunks = splitText(text, SLACK_SPLIT);
  return chunks.map((chunk, i) => {
    const last = i === chunks.length - 1;
    return last && message.feedback ? { text: escapeMrkdwn(chunk), blocks: answerBlocks(chunk, message.feedback.messageId) } : { text: escapeMrkdwn(chunk) };
  });
}

/**
 * What replaces one message (an edit, or a reply through a response URL): a long text is
 * cut instead of split, and a text-only message says `blocks: []` so no old buttons survive.
 */
export function renderReplacement(message: OutboundMessage): Required<SlackContent> {
  if (message.card) return renderCardMessage(message.text, message.card);
  const text = message.text.trim() === '' ? EMPTY_TEXT : message.text;
  return { text: fitMrkdwn(text, SLACK_LIMITS.messageText), blocks: [] };
}

function renderCardMessage(fallback: string, card: Card): Required<SlackContent> {
  return { text: fitMrkdwn(fallback, SLACK_BUDGETS.cardFallbackText), blocks: renderCard(card) };
}
