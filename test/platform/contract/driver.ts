/**
 * What the adapter contract suite needs from a platform: one driver per platform acts as
 * the people on it (says something, clicks, runs a slash command, delivers a message
 * again) through the real client, and reads back what the fake platform received, as
 * `Shown` records the matchers in test/support/platform-matchers.ts understand.
 */
import type { Person, ThreadRef } from '../../../src/core/model/conversation';
import type { ChatPlatform } from '../../../src/core/ports/chat-platform';
import type { FakeOpenAi } from '../../fakes/fake-openai';
import type { Shown, ShownButton, ShownLog } from '../../support/platform-matchers';
import type { TestDatabase } from '../../support/test-database';

/**
 * What a platform cannot do, or does its own way. Each is a phrase the suite puts in the
 * title of the test it changes; unset means the platform behaves like the rest.
 */
export interface Quirks {
  /** Why one message can never arrive twice. */
  readonly noRedelivery?: string;
  /** How a note for one person is shown when the platform has no private messages outside interactions. */
  readonly notesSeenByAll?: string;
  /** Why the record of what was shown names no message ids (so an edit's target cannot be checked). */
  readonly noMessageIds?: string;
}

/** A slash command as Discord structures it; Slack and the console take it as one typed line. */
export interface SlashCommand {
  readonly command: 'context' | 'switchboard';
  readonly subcommand: string;
  /** Option names and values, in the order the command declares them. */
  readonly options?: readonly (readonly [name: string, value: string])[];
}

/** One conversation between a person and the bot, in a place of its own (a channel, or the console). */
export interface Conversation extends ShownLog {
  /** The conversation as the core addresses it. */
  readonly where: ThreadRef;
  /** The person talking to the bot. */
  readonly user: Person;
  /** The person says `text` to the bot, starting the conversation's thread; once per conversation. */
  say(text: string): Promise<void>;
  /** The platform delivers what the person said once more (Slack's retries, a replayed gateway event). */
  redeliver(): Promise<void>;
  /** The person presses the button labelled `label` on `message`. */
  click(message: Shown, label: string): Promise<void>;
  /** The person runs a slash command here. */
  command(command: SlashCommand): Promise<void>;
  /** The files the bot posted here, in order, with their bytes as text. */
  files(): ShownFile[];
}

/** A file as a person opens it. */
export interface ShownFile {
  readonly name: string;
  readonly text: string;
}

/** A running platform: its adapter over the real core and Postgres, and the fakes behind it. */
export interface PlatformDriver {
  readonly adapter: ChatPlatform;
  readonly llm: FakeOpenAi;
  readonly db: TestDatabase;
  /** A new conversation, in a place no other conversation of this driver uses. */
  open(): Promise<Conversation>;
  /** Whether the core or the adapter logged `msg` with these fields. */
  logged(msg: string, fields: Record<string, unknown>): boolean;
  /** Waits for approved runs still going. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/** A platform the suite runs against: what it is like, known before it starts, and how to start it. */
export interface DriverSpec {
  readonly name: string;
  /** The longest message, in characters; null when there is none (one answer is one message). */
  readonly textLimit: number | null;
  readonly quirks: Quirks;
  start(): Promise<PlatformDriver>;
}

/** A slash command as words after the command name: `set technology database postgres 16`. */
export function commandWords(command: SlashCommand): string {
  return [command.subcommand, ...(command.options ?? []).map(([, value]) => value)].join(' ');
}

/** The button labelled `label` on a shown message; throws naming the buttons it has. */
export function buttonOf(message: Shown, label: string): ShownButton {
  const button = message.buttons.find((b) => b.label === label);
  if (!button) throw new Error(`no "${label}" button; the message has ${JSON.stringify(message.buttons.map((b) => b.label))}`);
  return button;
}

/** Whether one of the JSON log lines says `msg` with these fields. */
export function hasLogLine(lines: readonly Record<string, unknown>[], msg: string, fields: Record<string, unknown>): boolean {
  return lines.some((line) => line.msg === msg && Object.entries(fields).every(([key, value]) => line[key] === value));
}
