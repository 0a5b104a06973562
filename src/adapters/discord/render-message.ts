import type { APIAllowedMentions, APIEmbed } from 'discord.js';
import type { OutboundMessage } from '../../core/model/card';
import { SHOWN_PART_POINTER } from '../../core/model/outbound-file';
import { splitText } from '../../core/text/split-text';
import { DISCORD_CUT, DISCORD_LIMITS } from './limits';
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
 * What a new message becomes: a card is one message (an embed with buttons, no content: the
 * embed says it all); a text is one message, cut past 2,000 characters (a post too long goes as
 * a file instead: {@link tooLongForOneMessage}). An answer that asks for feedback carries its 👍/👎.
 */
export function renderMessage(message: OutboundMessage): DiscordContent {
  const rendered = renderReplacement(message);
  return message.feedback && !message.card ? { ...rendered, components: [renderFeedbackRow(message.feedback.messageId)] } : rendered;
}

/** Whether a post is a text too long for one message (as Discord's markdown): it then goes as a file. */
export function tooLongForOneMessage(message: OutboundMessage): boolean {
  return !message.card && toDiscordMarkdown(message.text).length > DISCORD_LIMITS.content;
}

/** What replaces one message (an edit): a long text is cut to one message. */
export function renderReplacement(message: OutboundMessage): DiscordContent {
  if (message.card) {
    const { embed, components } = renderCard(message.card);
    return { content: '', embeds: [embed], components, allowed_mentions: NO_PINGS };
  }
  const text = toDiscordMarkdown(message.text.trim() === '' ? EMPTY_TEXT : message.text);
  const [content = EMPTY_TEXT] = splitText(text, DISCORD_CUT).map((piece) => piece.trimEnd());
  return { content, embeds: [], components: [], allowed_mentions: NO_PINGS };
}

/**
 * What a message streaming `answer` shows: all of it while it fits, else its head ending with a
 * pointer to the file that holds the whole answer. The head depends on the text within the
 * limit only, so it stays the same as the answer grows.
 */
export function renderShownPart(answer: string): { readonly content: string; readonly outgrown: boolean } {
  const markdown = toDiscordMarkdown(answer.trim() === '' ? EMPTY_TEXT : answer);
  if (markdown.length <= DISCORD_LIMITS.content) return { content: markdown.trimEnd(), outgrown: false };
  const [head = ''] = splitText(markdown, { ...DISCORD_CUT, maxChars: DISCORD_LIMITS.content - SHOWN_PART_POINTER.length, maxPieces: Infinity });
  return { content: head.trimEnd() + SHOWN_PART_POINTER, outgrown: true };
}
