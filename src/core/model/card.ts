/**
 * Platform-neutral rich messages. The core builds cards as data; each adapter has one
 * renderer that turns them into Block Kit, Discord embeds and components, or console text,
 * and checks its platform's limits there.
 */
export type Accent = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

/** A link and its label: where a tool read something, or where a card lives. */
export interface SourceLink {
  readonly url: string;
  readonly text: string;
}

export interface ConfirmDialog {
  readonly title: string;
  readonly text: string;
  readonly confirm: string;
  readonly deny: string;
}

export interface Button {
  /**
   * One of the exported action id constants; the adapter routes clicks back by it, and opens
   * a form first for the ones `opensForm` names (core/model/action-ids.ts).
   */
  readonly actionId: string;
  /** Opaque, short (an id); everything else is looked up when the click arrives. */
  readonly value: string;
  readonly label: string;
  readonly style?: 'primary' | 'danger';
  readonly confirm?: ConfirmDialog;
}

export interface CardField {
  readonly label: string;
  readonly value: string;
}

export type CardElement =
  | { readonly type: 'header'; readonly text: string }
  /** Body text; may use *bold*, _italic_ and `code` (rendered per platform). */
  /** `whole`: shown in full or not at all: the renderer throws PlatformLimitError rather than cut it. */
  | { readonly type: 'text'; readonly text: string; readonly whole?: boolean }
  | { readonly type: 'fields'; readonly fields: readonly CardField[]; readonly whole?: boolean }
  /** Small print: requester, expiry, timings. */
  | { readonly type: 'context'; readonly text: string }
  | { readonly type: 'divider' }
  | { readonly type: 'actions'; readonly buttons: readonly Button[] };

export interface Card {
  readonly accent: Accent;
  readonly elements: readonly CardElement[];
}

/** What the core asks a platform to show: always a plain-text fallback, optionally a card. */
export interface OutboundMessage {
  readonly text: string;
  readonly card?: Card;
  /**
   * Marks one of the model's answers: the adapter shows 👍/👎 on it (on its last part when it
   * is split), whose clicks come back as FEEDBACK_ACTION with a value naming `messageId`, the
   * answer's stored message (model/feedback.ts).
   */
  readonly feedback?: FeedbackMark;
}

/** Names the stored answer whose 👍/👎 a message carries. */
export interface FeedbackMark {
  readonly messageId: string;
}

export const text = (value: string): OutboundMessage => ({ text: value });

/** The plain-text rendering of a card, used as the notification/fallback text and by the console. */
export function cardToPlainText(card: Card): string {
  return card.elements
    .map((el) => {
      switch (el.type) {
        case 'header':
        case 'text':
        case 'context':
          return el.text;
        case 'fields':
          return el.fields.map((f) => `${f.label}: ${f.value}`).join('\n');
        case 'divider':
          return '';
        case 'actions':
          return el.buttons.map((b) => `[${b.label}]`).join(' ');
      }
    })
    .filter((s) => s !== '')
    .join('\n');
}
