/**
 * What the schedule tests share: bot processes (a core and its recording platform each) over
 * one set of stores and one clock that the test moves, a command to make schedules with, and
 * "a minute passes, every process sweeps".
 */
import type { ConversationRef, Person, ThreadRef } from '../../src/core/model/conversation';
import type { CoreSettings } from '../../src/core/core-deps';
import type { CoreOptions, Harness } from './core-over-stores';
import { POSTED_ANSWERS } from './core-over-stores';
import type { TestClock } from './memory-stores';
import { RecordingPlatform, type PlatformCall } from './recording-platform';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const owner: Person = { id: 'U_OWNER', name: 'olivia' };
export const other: Person = { id: 'U_OTHER', name: 'oscar' };

/** Schedules read in UTC, a catch-up of one hour, answers posted whole. */
export const SCHEDULE_SETTINGS: Partial<CoreSettings> = { ...POSTED_ANSWERS, schedules: { timeZone: 'UTC', catchUpMs: HOUR } };

/** One bot process: a core and the platform it posts on. */
export interface BotProcess {
  readonly harness: Harness;
  readonly platform: RecordingPlatform;
}

let channels = 0;
/** A channel no other test writes to, at its top level (where a slash command comes from). */
export const newChannel = (): ThreadRef => ({ platform: 'slack', workspace: 'T1', channel: `CSCHED${++channels}`, thread: '' });

/** A process built by `build` (over the test's stores and clock) with a platform of its own, whose ids start with `idPrefix`. */
export function botProcess(build: (options: CoreOptions) => Harness, idPrefix: string, options: Partial<CoreOptions> = {}): BotProcess {
  const platform = new RecordingPlatform('slack', { idPrefix });
  const harness = build({ ...options, platforms: [platform], settings: { ...SCHEDULE_SETTINGS, ...options.settings } });
  return { harness, platform };
}

/** Runs `!schedule <args>` as `user` in `where` through `process`; its private answer. */
export async function scheduleCommand(process: BotProcess, where: ThreadRef, user: Person, args: string): Promise<string> {
  const answers: string[] = [];
  await process.harness.core.handleCommand({ where, user, name: 'schedule', args }, async (m) => void answers.push(m.text));
  return answers.join('\n');
}

/** Makes a schedule and answers its short id. */
export async function addSchedule(process: BotProcess, where: ThreadRef, args: string, user: Person = owner): Promise<string> {
  const answer = await scheduleCommand(process, where, user, `add ${args}`);
  const id = /Scheduled `([a-z2-9]{6})`/.exec(answer)?.[1];
  if (!id) throw new Error(`no schedule made: ${answer}`);
  return id;
}

/** Moves `clock` to `secondsPast` seconds after the next whole minute. */
export function toNextMinute(clock: TestClock, secondsPast = 1): void {
  const now = clock.now().getTime();
  clock.advance(Math.ceil((now + 1) / MINUTE) * MINUTE - now + secondsPast * 1000);
}

/** Every process sweeps at once, then everything the firings started is done (turns, run steps). */
export async function sweep(processes: readonly BotProcess[]): Promise<number> {
  const fired = await Promise.all(processes.map((p) => p.harness.core.fireDueSchedules()));
  for (const p of processes) {
    await p.harness.core.idle();
    await p.harness.queue.drain();
  }
  return fired.reduce((a, b) => a + b, 0);
}

/** The root messages of firings that `processes` posted in `conversation`, oldest first. */
export function firingRoots(processes: readonly BotProcess[], conversation: ConversationRef): Extract<PlatformCall, { kind: 'post' }>[] {
  return processes
    .flatMap((p) => p.platform.posts())
    .filter((post) => post.where.channel === conversation.channel && post.message.text.startsWith('⏰'))
    .sort((a, b) => a.at - b.at);
}
