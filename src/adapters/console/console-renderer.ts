import type { Card, CardElement, OutboundMessage } from '../../core/model/card';

const ACCENT_MARK: Record<Card['accent'], string> = {
  neutral: '│',
  info: '│',
  success: '│',
  warning: '┃',
  danger: '┃',
};

/** Hotkeys the console offers for buttons, by label. */
export const CONSOLE_KEYS: Record<string, string> = { Approve: 'a', Deny: 'd', 'Deny with reason…': 'r', 'Edit…': 'e', Cancel: 'c', 'Forget everything': 'y', 'Keep it': 'n' };

/** Renders a message for a terminal: a card becomes a framed block with its buttons as hotkeys. */
export function renderForConsole(message: OutboundMessage): string[] {
  if (!message.card) return message.text.split('\n');
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
