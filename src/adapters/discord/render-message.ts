import type { APIAllowedMentions, APIEmbed } from 'discord.js';
import type { OutboundMessage } from '../../core/model/card';
import { splitText } from '../../core/text/split-text';
import { DISCORD_SPLIT } from './limits';
import { toDiscordMarkdown } from './markdown';
import { renderCard, type ButtonRow } from './render-card';
import { renderFeedbackRow } from './render-feedback';

/** One Discord message's content. Every field is always present, so an edit also clears old embeds and buttons. */
export interface DiscordContent {
  readonly content: string;
  readonly embeds: APIEmbed[];
  readonly components: ButtonRow[];
  readonly allowed_mentions: APIAllowedMentions;
}

/**
 * Text from users or the model must never ping: `@everyone`, roles and users stay plain
 * text unless a caller names who may be pinged.
 */
export const NO_PINGS: APIAllowedMentions = { parse: [] };

/** Discord refuses an empty message (50006); an empty answer shows as an ellipsis. */
const EMPTY_TEXT = '…';

/**
 * What a new message becomes: a card is one message (an embed with buttons, no content:
 * the embed says it all); a long text is split into several messages at clean breaks. An
 * answer that asks for feedback carries its 👍/👎 on the last message only.
 */
export function renderMessages(message: OutboundMessage): DiscordContent[] {
  if (message.card) return [renderReplacement(message)];
  const text = toDiscordMarkdown(message.text.trim() === '' ? EMPTY_TEXT : message.text);
  const parts = pieces(text, DISCORD_SPLIT.maxPieces);
  const feedback = message.feedback ? [renderFeedbackRow(message.feedback.messageId)] : [];
  return parts.map((content, i) => ({
    content,
    embeds: [],
    components: i === parts.length - 1 ? feedback : [],
    allowed_mentions: NO_PINGS,
  }));
}

/** What replaces one message (an edit): a long text is cut to one message instead of split. */
export function renderReplacement(message: OutboundMessage): DiscordContent {
  if (message.card) {
    const { embed, components } = renderCard(message.card);
    return { content: '', embeds: [embed], components, allowed_mentions: NO_PINGS };
  }
  const text = toDiscordMarkdown(message.text.trim() === '' ? EMPTY_TEXT : message.text);
  const [content = EMPTY_TEXT] = pieces(text, 1);
  return { content, embeds: [], components: [], allowed_mentions: NO_PINGS };
}

/** A long text as at most `maxPieces` messages. Discord drops the blank space that ends a message, so it is not sent. */
function pieces(text: string, maxPieces: number): string[] {
  return splitText(text, { ...DISCORD_SPLIT, maxPieces }).map((piece) => piece.trimEnd());
}
