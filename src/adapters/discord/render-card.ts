import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
} from 'discord.js';
import type { Accent, Button, Card, CardElement } from '../../core/model/card';
import { PlatformLimitError } from '../../core/errors';
import { truncate } from '../../core/text/truncate';
import { encodeCustomId } from './custom-id';
import { DISCORD_LIMITS } from './limits';
import { toDiscordMarkdown } from './markdown';

/** One action row of up to five buttons, as Discord takes it. */
export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

/** Discord's own palette; red for danger (destructive requests, failures). */
export const ACCENT_COLOURS: Record<Accent, number> = {
  neutral: 0x95a5a6,
  info: 0x5865f2,
  success: 0x57f287,
  warning: 0xfee75c,
  danger: 0xed4245,
};

const BUTTON_STYLES: Record<NonNullable<Button['style']> | 'default', APIButtonComponentWithCustomId['style']> = {
  // The core's "primary" is the positive action (Approve): green, as on Slack.
  primary: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
  default: ButtonStyle.Secondary,
};

/** Discord refuses an empty field name or value; a zero-width space shows nothing. */
const BLANK = '\u200b';

interface EmbedParts {
  title: string | null;
  paragraphs: string[];
  fields: APIEmbedField[];
  /** Indexes of fields that must be shown whole (a card's calls): dropping or cutting one is refused. */
  whole: Set<number>;
  footer: string[];
}

/**
 * Renders a card as one embed plus rows of buttons, elements in order, every text cut to its
 * limit and the embed to Discord's 6,000-character total except `whole` elements. The layout
 * rules: docs/development.md, "Cards on Discord".
 * @throws PlatformLimitError when the buttons break a limit that cutting cannot fix (rows, ids),
 * or a `whole` element does not fit.
 */
export function renderCard(card: Card): { embed: APIEmbed; components: ButtonRow[] } {
  const parts: EmbedParts = { title: null, paragraphs: [], fields: [], whole: new Set(), footer: [] };
  const buttons: Button[][] = [];
  for (const element of card.elements) {
    if (element.type === 'actions') buttons.push([...element.buttons]);
    else addElement(parts, element);
  }
  return { embed: fitEmbed(parts, ACCENT_COLOURS[card.accent]), components: buttonRows(buttons) };
}

function addElement(parts: EmbedParts, element: Exclude<CardElement, { type: 'actions' }>): void {
  const place = (text: string) => {
    if (parts.fields.length === 0) parts.paragraphs.push(text);
    else parts.fields.push({ name: BLANK, value: truncate(text, DISCORD_LIMITS.fieldValue) });
  };
  switch (element.type) {
    case 'header':
      if (parts.title === null) parts.title = element.text;
      else place(`**${element.text}**`);
      return;
    case 'text':
      if (element.whole) return addWhole(parts, { label: BLANK, value: element.text });
      return place(toDiscordMarkdown(element.text));
    case 'fields':
      for (const field of element.fields) {
        if (element.whole) {
          addWhole(parts, field);
          continue;
        }
        parts.fields.push({
          name: truncate(field.label, DISCORD_LIMITS.fieldName) || BLANK,
          value: truncate(toDiscordMarkdown(field.value), DISCORD_LIMITS.fieldValue) || BLANK,
        });
      }
      return;
    case 'context':
      parts.footer.push(element.text);
      return;
    case 'divider':
      // Embeds have no rule; the next section starts on its own anyway.
      return;
  }
}

/** A field shown in full, or a PlatformLimitError. */
function addWhole(parts: EmbedParts, field: { label: string; value: string }): void {
  const value = toDiscordMarkdown(field.value);
  if (value.length > DISCORD_LIMITS.fieldValue || field.label.length > DISCORD_LIMITS.fieldName) {
    throw new PlatformLimitError('discord', 'embed_field_value', `"${truncate(field.label, 40)}" is ${value.length} characters; an embed field holds ${DISCORD_LIMITS.fieldValue}`, { length: value.length });
  }
  parts.whole.add(parts.fields.length);
  parts.fields.push({ name: field.label || BLANK, value: value || BLANK });
}

/** Cuts each part to its limit, then keeps as many leading fields (plus a "more" note) as the totals allow. */
function fitEmbed(parts: EmbedParts, color: number): APIEmbed {
  const title = parts.title === null ? undefined : truncate(parts.title, DISCORD_LIMITS.embedTitle);
  const footer = parts.footer.length ? truncate(parts.footer.join('\n'), DISCORD_LIMITS.footerText) : undefined;
  let description = truncate(parts.paragraphs.join('\n\n'), DISCORD_LIMITS.embedDescription);
  const all = parts.fields;
  const withNote = (kept: number): APIEmbedField[] =>
    kept === all.length ? all : [...all.slice(0, kept), { name: BLANK, value: `… ${all.length - kept} more not shown` }];
  const size = (fields: APIEmbedField[]) =>
    (title?.length ?? 0) + (footer?.length ?? 0) + description.length + fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  let kept = all.length;
  while (kept > 0 && (withNote(kept).length > DISCORD_LIMITS.embedFields || size(withNote(kept)) > DISCORD_LIMITS.embedTotal)) kept -= 1;
  if ([...parts.whole].some((i) => i >= kept)) {
    throw new PlatformLimitError('discord', 'embed_size', `the card needs ${all.length} fields and ${size(all)} characters; an embed holds ${DISCORD_LIMITS.embedFields} and ${DISCORD_LIMITS.embedTotal}`, { fields: all.length });
  }
  const fields = withNote(kept);
  const over = size(fields) - DISCORD_LIMITS.embedTotal;
  if (over > 0) description = truncate(description, Math.max(0, description.length - over));
  return {
    color,
    ...(title ? { title } : {}),
    ...(description ? { description } : {}),
    ...(fields.length ? { fields } : {}),
    ...(footer ? { footer: { text: footer } } : {}),
  };
}

function buttonRows(groups: Button[][]): ButtonRow[] {
  const rows: ButtonRow[] = [];
  const seen = new Set<string>();
  for (const group of groups) {
    for (let i = 0; i < group.length; i += DISCORD_LIMITS.buttonsPerRow) {
      rows.push({ type: ComponentType.ActionRow, components: group.slice(i, i + DISCORD_LIMITS.buttonsPerRow).map((b) => button(b, seen)) });
    }
  }
  if (rows.length > DISCORD_LIMITS.actionRows) {
    throw new PlatformLimitError('discord', 'action_rows', `a Discord message holds at most ${DISCORD_LIMITS.actionRows} rows of ${DISCORD_LIMITS.buttonsPerRow} buttons`, {
      rows: rows.length,
    });
  }
  return rows;
}

function button(b: Button, seen: Set<string>): APIButtonComponentWithCustomId {
  const customId = encodeCustomId({ actionId: b.actionId, value: b.value });
  if (seen.has(customId)) throw new PlatformLimitError('discord', 'unique_custom_id', 'two buttons of one message carry the same action and value', { customId });
  seen.add(customId);
  return {
    type: ComponentType.Button,
    style: BUTTON_STYLES[b.style ?? 'default'],
    label: truncate(b.label, DISCORD_LIMITS.buttonLabel),
    custom_id: customId,
  };
}
