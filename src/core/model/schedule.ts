import { randomInt } from 'node:crypto';
import { UserInputError } from '../errors';
import type { ConversationRef, Person } from './conversation';
import { CronExpression } from './cron';
import { COMMAND_PREFIX } from './command-text';

/** `active` fires at `nextFireAt`; `paused` never fires until resumed (by a person, or never after a failure until then). */
export const SCHEDULE_STATES = ['active', 'paused'] as const;
export type ScheduleState = (typeof SCHEDULE_STATES)[number];

/**
 * The longest prompt a schedule keeps: `schedule_task`'s card shows it whole twice (in its
 * arguments and its preview), and a Discord embed field holds 1,024 characters.
 */
export const MAX_SCHEDULE_PROMPT_CHARS = 500;

/** How many firings may fail in a row before the schedule pauses itself. */
export const MAX_CONSECUTIVE_FAILURES = 3;

/** The characters of a short id: lower case without the look-alikes (0/o, 1/l/i), so it reads and types back safely. */
const SHORT_ID_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const SHORT_ID_LENGTH = 6;

/**
 * Agent work on a clock: every time `cron` matches in `timeZone`, a fresh turn in the
 * conversation, asked `prompt` as if `owner` had written it.
 */
export interface Schedule {
  readonly id: string;
  /** What people type: `schedule pause k3m9qa`. Unique. */
  readonly shortId: string;
  readonly conversation: ConversationRef;
  readonly cron: string;
  /** The IANA zone `cron` is read in: SCHEDULE_TZ when the schedule was made. */
  readonly timeZone: string;
  readonly prompt: string;
  readonly owner: Person;
  readonly state: ScheduleState;
  /** Why a paused schedule is paused, in words for its owner ("paused by bob", "3 failures in a row"). */
  readonly pausedReason: string | null;
  readonly consecutiveFailures: number;
  /** When it fires next; null while paused, or when the expression never matches again. */
  readonly nextFireAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A schedule to store; the store gives it its ids and times. */
export type NewSchedule = Pick<Schedule, 'conversation' | 'cron' | 'timeZone' | 'prompt' | 'owner' | 'nextFireAt'>;

/** What a person or the model asks for. */
export interface ScheduleRequest {
  readonly conversation: ConversationRef;
  readonly owner: Person;
  readonly cron: string;
  readonly prompt: string;
  readonly timeZone: string;
}

/**
 * A new active schedule, checked: the cron parses in its zone and fires again after `now`, the
 * prompt is words for the agent (not empty, not too long, not a `!command`).
 * @throws UserInputError that shows the expression or says what is wrong with the prompt.
 */
export function newSchedule(request: ScheduleRequest, now: Date): NewSchedule {
  const cron = request.cron.trim();
  const expression = new CronExpression(cron, request.timeZone);
  const prompt = checkedPrompt(request.prompt);
  const nextFireAt = expression.nextAfter(now);
  if (!nextFireAt) throw new UserInputError('cron_never_fires', `"${cron}" never matches a future time, so it would never run.`, { expression: cron });
  return { conversation: request.conversation, cron, timeZone: request.timeZone, prompt, owner: request.owner, nextFireAt };
}

/** The prompt trimmed. @throws UserInputError when it cannot be a schedule's prompt. */
export function checkedPrompt(prompt: string): string {
  const trimmed = prompt.trim();
  if (!trimmed) throw new UserInputError('empty_prompt', 'A schedule needs a prompt: what should I do each time?');
  if (trimmed.length > MAX_SCHEDULE_PROMPT_CHARS) {
    throw new UserInputError('prompt_too_long', `A schedule's prompt may be ${MAX_SCHEDULE_PROMPT_CHARS} characters at most; this one is ${trimmed.length}.`);
  }
  // A firing is asked as a message; a `!command` there would run the command instead of asking the agent.
  if (trimmed.startsWith(COMMAND_PREFIX)) throw new UserInputError('command_prompt', `A schedule's prompt is a request to me in words; it cannot start with ${COMMAND_PREFIX}.`);
  return trimmed;
}

/** A fresh short id (6 characters, about 887 million of them); the store retries on the rare clash. */
export function newShortId(): string {
  return Array.from({ length: SHORT_ID_LENGTH }, () => SHORT_ID_ALPHABET[randomInt(SHORT_ID_ALPHABET.length)]).join('');
}
