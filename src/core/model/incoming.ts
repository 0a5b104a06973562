import type { Attachment } from './attachment';
import type { Person, ThreadRef } from './conversation';

/** Longer messages are stored but not sent to the model. */
export const MAX_INPUT_CHARS = 8000;

/**
 * The most of one message that is stored: Slack's own limit on a message's text. Anything
 * longer came from an unusual or forged sender; it is stored cut, with
 * {@link StoredCut} in its metadata under `cut`, and not acted on.
 */
export const MAX_STORED_CHARS = 40_000;

/** Metadata of a message stored cut: how long it was and how much of it was kept. */
export interface StoredCut {
  readonly originalChars: number;
  readonly storedChars: number;
}

/** The text to store and, when it had to be cut to {@link MAX_STORED_CHARS}, a note saying so. */
export function textToStore(text: string): { readonly text: string; readonly cut: StoredCut | null } {
  if (text.length <= MAX_STORED_CHARS) return { text, cut: null };
  // Never half an emoji: a cut between the two halves of a surrogate pair drops the first half too.
  const end = isHighSurrogate(text.charCodeAt(MAX_STORED_CHARS - 1)) ? MAX_STORED_CHARS - 1 : MAX_STORED_CHARS;
  return { text: text.slice(0, end), cut: { originalChars: text.length, storedChars: end } };
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/** A message someone wrote to the bot, translated from the platform's event. */
export interface IncomingMessage {
  readonly where: ThreadRef;
  /** The platform's id for this message (Slack `ts`, Discord snowflake); the dedupe key. */
  readonly messageId: string;
  readonly author: Person;
  /** The text with the bot's own mention removed. */
  readonly text: string;
  /** The files on the message; unset or empty for most messages. */
  readonly attachments?: readonly Attachment[];
}

/** A button click. `messageId` is the platform id of the message that carried the button. */
export interface IncomingAction {
  readonly where: ThreadRef;
  readonly messageId: string;
  readonly actionId: string;
  readonly value: string;
  readonly user: Person;
  /** The submitted form's values by field id, when the button opened a form (a modal, a console prompt). */
  readonly form?: Readonly<Record<string, string>>;
  /**
   * Set by the adapter when the button was on a surface only the clicker sees (their Slack
   * App Home, an ephemeral message, a Discord direct message with the bot): the workspace
   * the surface belongs to, or null for a direct message outside any workspace. Such a click
   * decides as an inbox click (approvals/decision-origin.ts), not as a click on the card.
   */
  readonly privateSurface?: { readonly workspace: string | null };
}

/** A command, from a slash command or a `!name args` message. */
export interface IncomingCommand {
  readonly where: ThreadRef;
  readonly user: Person;
  /** The stored message that carried it (a `!name` message); unset for a slash command. */
  readonly messageId?: string;
  /** That message's trace id; unset for a slash command. */
  readonly traceId?: string;
  /** Lower-case command name without the prefix, e.g. `context`. */
  readonly name: string;
  /** Everything after the name, trimmed. */
  readonly args: string;
}
