import { PlatformLimitError } from '../../core/errors';

/**
 * Slack's limits, checked by the renderer before any API call could be refused.
 * Values from https://docs.slack.dev/reference/block-kit/blocks,
 * /reference/block-kit/composition-objects/confirmation-dialog-object and
 * /reference/methods/chat.postMessage.
 */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  /** A modal or a Home tab (https://docs.slack.dev/reference/views). */
  blocksPerView: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** Top-level `text`; Slack truncates beyond it. */
  messageText: 40_000,
  /** Modal title, and its submit and close labels (https://docs.slack.dev/reference/views/modal-views). */
  modalTitle: 24,
  modalButton: 24,
  /** What a view carries back to its submission, untouched. */
  privateMetadata: 3000,
  /** Input block label (https://docs.slack.dev/reference/block-kit/blocks/input-block). */
  inputLabel: 2000,
  blockId: 255,
  /** The longest `max_length` a plain_text_input takes (https://docs.slack.dev/reference/block-kit/block-elements/plain-text-input-element). */
  plainTextInput: 3000,
  /** `markdown_text` of one chat.startStream / appendStream / stopStream call (https://docs.slack.dev/reference/methods/chat.appendStream). */
  streamText: 12_000,
} as const;

/** Our own budgets, tighter than Slack's hard limits. */
export const SLACK_BUDGETS = {
  /**
   * All text in one card's blocks. Slack has refused messages of ~13k characters of blocks
   * (`msg_blocks_too_long`) although every block was within its own limit.
   */
  cardChars: 12_000,
  /** A card's top-level `text`: the notification and accessibility fallback. */
  cardFallbackText: 3000,
  /** One message of plain text; Slack advises at most 4,000 characters per message. A longer post goes as a file. */
  textMessage: 4000,
  /** One streamed message; an answer that outgrows it shows this much, then points to a file holding all of it. */
  streamedMessage: 4000,
} as const;

/** Throws PlatformLimitError when an id or value that cannot be cut without breaking its round trip is too long. */
export function checkLength(what: string, value: string, max: number): void {
  if (value.length > max) {
    throw new PlatformLimitError('slack', `${what.replace(/ /g, '_')}_length`, `a ${what} of ${value.length} characters exceeds Slack's ${max}`, { length: value.length });
  }
}
