import type { Card, CardElement, OutboundMessage } from '../../core/model/card';
import type { FeedbackRating } from '../../core/model/feedback';

const ACCENT_MARK: Record<Card['accent'], string> = {
  neutral: '│',
  info: '│',
  success: '│',
  warning: '┃',
  danger: '┃',
};

/** Hotkeys the console offers for buttons, by label. */
export const CONSOLE_KEYS: Record<string, string> = { Approve: 'a', Deny: 'd', 'Deny with reason…': 'r', 'Edit…': 'e', Cancel: 'c', 'Forget everything': 'y', 'Keep it': 'n' };

/** What typing `+` or `-` on a line of its own does after an answer that asks for feedback. */
export const FEEDBACK_KEYS: Readonly<Record<string, FeedbackRating>> = { '+': 'positive', '-': 'negative' };

/** The line under an answer that says how to rate it; a streamed answer's end can print it too. */
export const FEEDBACK_HINT = '(type + or - to rate this answer)';

/** Renders a message for a terminal: a card becomes a framed block with its buttons as hotkeys; an answer says how to rate it. */
export function renderForConsole(message: OutboundMessage): string[] {
  if (!message.card) return [...message.text.split('\n'), ...(message.feedback ? [FEEDBACK_HINT] : [])];
  const mark = ACCENT_MARK[message.card.accent];
  return message.card.elements.flatMap((el) => renderElement(el).map((line) => `${mark} ${line}`));
}

function renderElement(el: CardElement): string[] {
  switch (el.type) {
    case 'header':
      return [el.text.toUpperCase()];
    case 'text':
    case 'context':
      return el.text.split('\n');
    case 'fields':
      return el.fields.map((f) => `  ${f.label}: ${f.value}`);
    case 'divider':
      return ['─'.repeat(40)];
    case 'actions':
      return [el.buttons.map((b) => `[${CONSOLE_KEYS[b.label] ?? '?'}] ${b.label}`).join('   ')];
  }
}
