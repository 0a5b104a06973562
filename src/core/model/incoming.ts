import type { Person, ThreadRef } from './conversation';

/** Longer messages are stored but not sent to the model. */
export const MAX_INPUT_CHARS = 8000;

/** A message someone wrote to the bot, translated from the platform's event. */
export interface IncomingMessage {
  readonly where: ThreadRef;
  /** The platform's id for this message (Slack `ts`, Discord snowflake); the dedupe key. */
  readonly messageId: string;
  readonly author: Person;
  /** The text with the bot's own mention removed. */
  readonly text: string;
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
}

/** A command, from a slash command or a `!name args` message. */
export interface IncomingCommand {
  readonly where: ThreadRef;
  readonly user: Person;
  /** The stored message that carried it (a `!name` message); unset for a slash command. */
  readonly messageId?: string;
  /** Lower-case command name without the prefix, e.g. `context`. */
  readonly name: string;
  /** Everything after the name, trimmed. */
  readonly args: string;
}
