import type { types } from '@slack/bolt';
import type { Card, OutboundMessage } from '../../core/model/card';
import { truncate } from '../../core/text/truncate';
import { SLACK_BUDGETS, SLACK_LIMITS } from './limits';
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
 * What a new message becomes: a card, or a text of at most `textMessage` characters, cut past
 * them (a post too long goes as a file instead: {@link tooLongForOneMessage}). An answer that
 * asks for feedback carries the buttons.
 */
export function renderMessage(message: OutboundMessage): SlackContent {
  if (message.card) return renderCardMessage(message.text, message.card);
  const text = message.text.trim() === '' ? EMPTY_TEXT : truncate(message.text, SLACK_BUDGETS.textMessage);
  return message.feedback ? { text: escapeMrkdwn(text), blocks: answerBlocks(text, message.feedback.messageId) } : { text: escapeMrkdwn(text) };
}

/** Whether a post is a text too long for one message: it then goes as a file. */
export function tooLongForOneMessage(message: OutboundMessage): boolean {
  return !message.card && message.text.length > SLACK_BUDGETS.textMessage;
}

/**
 * What replaces one message (an edit, or a reply through a response URL): a long text is
 * cut, and a text-only message says `blocks: []` so no old buttons survive.
 */
export function renderReplacement(message: OutboundMessage): Required<SlackContent> {
  if (message.card) return renderCardMessage(message.text, message.card);
  const text = message.text.trim() === '' ? EMPTY_TEXT : message.text;
  return { text: fitMrkdwn(text, SLACK_LIMITS.messageText), blocks: [] };
}

function renderCardMessage(fallback: string, card: Card): Required<SlackContent> {
  return { text: fitMrkdwn(fallback, SLACK_BUDGETS.cardFallbackText), blocks: renderCard(card) };
}
