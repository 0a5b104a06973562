import type { types } from '@slack/bolt';
import type { Button, Card, CardElement, ConfirmDialog } from '../../core/model/card';
import { PlatformLimitError } from '../../core/errors';
import { truncate } from '../../core/text/truncate';
import { checkLength, SLACK_BUDGETS, SLACK_LIMITS } from './limits';
import { escapeMrkdwn, fitMrkdwn } from './mrkdwn';

type Block = types.KnownBlock;

/** Below this many characters left, a text block is dropped rather than shown as a stub. */
const MIN_USEFUL_CHARS = 40;

const OMITTED: Block = { type: 'context', elements: [{ type: 'mrkdwn', text: '_… the rest is too long to show here._' }] };

/**
 * Renders a card as Block Kit. Every text is cut to its block's limit and to what is left
 * of the card's budget; blocks past the budget or the 50-block limit give way to one
 * "too long" note, and the buttons always stay. Ids and values cannot be cut without
 * breaking the click, so an over-long one is a PlatformError before any API call.
 */
export function renderCard(card: Card): Block[] {
  const actions = card.elements.filter((e) => e.type === 'actions');
  const buttonChars = actions.flatMap((a) => a.buttons).reduce((n, b) => n + b.label.length, 0);
  const budget = new TextBudget(SLACK_BUDGETS.cardChars - buttonChars);
  let slots = SLACK_LIMITS.blocksPerMessage - actions.length - 1;
  let cutShort = false;
  const blocks: Block[] = [];
  for (const element of card.elements) {
    if (element.type === 'actions') {
      blocks.push(actionsBlock(element.buttons));
      continue;
    }
    const whole = 'whole' in element && element.whole === true;
    if (cutShort && whole) throw tooLong(element);
    if (cutShort) continue;
    const rendered = renderElement(element, budget);
    if (whole && (rendered === null || rendered.length > slots)) throw tooLong(element);
    if (rendered === null || rendered.length > slots) {
      cutShort = true;
      blocks.push(OMITTED);
      continue;
    }
    slots -= rendered.length;
    blocks.push(...rendered);
  }
  return blocks;
}

/** A card element that must be shown whole and cannot be: nothing may run that its approver was not shown. */
function tooLong(element: CardElement): PlatformLimitError {
  const what = element.type === 'fields' ? element.fields.map((f) => f.label).join(', ') : element.type;
  return new PlatformLimitError('slack', 'card_size', `a card part (${what}) does not fit in a Slack message whole`);
}

/** Hands out characters until the card's budget is spent. */
class TextBudget {
  constructor(private left: number) {}

  /**
   * `text` cut to `max` and to what is left (escaped as mrkdwn unless `plain`); null once too
   * little is left, or, for a `whole` text, when it would have to be cut at all.
   */
  take(text: string, max: number, plain = false, whole = false): string | null {
    const limit = Math.min(max, this.left);
    if (whole) {
      const exact = plain ? text : escapeMrkdwn(text);
      if (exact.length > limit) return null;
      this.left -= exact.length;
      return exact;
    }
    if (limit < Math.min(MIN_USEFUL_CHARS, text.length)) return null;
    const out = plain ? truncate(text, limit) : fitMrkdwn(text, limit);
    this.left -= out.length;
    return out;
  }
}

/** The blocks for one element; null when the budget cannot fit it. */
function renderElement(element: Exclude<CardElement, { type: 'actions' }>, budget: TextBudget): Block[] | null {
  if (element.type === 'divider') return [{ type: 'divider' }];
  if (element.type === 'fields') return fieldSections(element.fields, budget, element.whole);
  if (element.text.trim() === '') return [];
  switch (element.type) {
    case 'header': {
      const text = budget.take(element.text, SLACK_LIMITS.headerText, true);
      return text === null ? null : [{ type: 'header', text: { type: 'plain_text', text, emoji: true } }];
    }
    case 'text': {
      const text = budget.take(element.text, SLACK_LIMITS.sectionText, false, element.whole);
      return text === null ? null : [{ type: 'section', text: { type: 'mrkdwn', text } }];
    }
    case 'context': {
      const text = budget.take(element.text, SLACK_LIMITS.contextText);
      return text === null ? null : [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }];
    }
  }
}

/** Label-value pairs as section fields, ten to a section. */
function fieldSections(fields: readonly { label: string; value: string }[], budget: TextBudget, whole = false): Block[] | null {
  const texts: string[] = [];
  for (const field of fields) {
    const text = budget.take(`*${field.label}*\n${field.value}`, SLACK_LIMITS.fieldText, false, whole);
    if (text === null) return null;
    texts.push(text);
  }
  const sections: Block[] = [];
  for (let i = 0; i < texts.length; i += SLACK_LIMITS.sectionFields) {
    const group = texts.slice(i, i + SLACK_LIMITS.sectionFields);
    sections.push({ type: 'section', fields: group.map((text) => ({ type: 'mrkdwn', text })) });
  }
  return sections;
}

function actionsBlock(buttons: readonly Button[]): Block {
  if (buttons.length > SLACK_LIMITS.actionsElements) {
    throw new PlatformLimitError('slack', 'buttons_per_actions_block', `a card has ${buttons.length} buttons; Slack allows ${SLACK_LIMITS.actionsElements}`, { buttons: buttons.length });
  }
  return { type: 'actions', elements: buttons.map(buttonElement) };
}

function buttonElement(button: Button): types.Button {
  checkLength('action id', button.actionId, SLACK_LIMITS.actionId);
  checkLength('button value', button.value, SLACK_LIMITS.buttonValue);
  return {
    type: 'button',
    action_id: button.actionId,
    value: button.value,
    text: { type: 'plain_text', text: truncate(button.label, SLACK_LIMITS.buttonText), emoji: true },
    ...(button.style ? { style: button.style } : {}),
    ...(button.confirm ? { confirm: confirmDialog(button.confirm) } : {}),
  };
}

function confirmDialog(dialog: ConfirmDialog): types.ConfirmationDialog {
  const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: truncate(text, max) });
  return {
    title: plain(dialog.title, SLACK_LIMITS.confirmTitle),
    text: plain(dialog.text, SLACK_LIMITS.confirmText),
    confirm: plain(dialog.confirm, SLACK_LIMITS.confirmButton),
    deny: plain(dialog.deny, SLACK_LIMITS.confirmButton),
  };
}
