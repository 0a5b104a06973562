import type { Schedule } from '../model/schedule';
import { truncate } from '../text/truncate';

/** How much of a prompt a list line or a notice quotes; the card and the thread's root show it whole. */
const QUOTED_PROMPT_CHARS = 80;

/** `2026-12-14 09:00 Mon` in `timeZone`: what people read a firing time as, in the schedule's own zone. */
export function localTime(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23' }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${part('weekday')}`;
}

/** `` `0 9 * * 1-5` (Europe/Paris) ``. */
export const cronText = (s: Pick<Schedule, 'cron' | 'timeZone'>): string => `\`${s.cron}\` (${s.timeZone})`;

const quoted = (prompt: string): string => `"${truncate(prompt, QUOTED_PROMPT_CHARS)}"`;

/** When it fires next, in words. */
function nextRunText(s: Schedule): string {
  if (s.state === 'paused') return `paused${s.pausedReason ? ` (${s.pausedReason})` : ''}`;
  return s.nextFireAt ? `next ${localTime(s.nextFireAt, s.timeZone)}` : 'never again (the cron matches no future time)';
}

/** One line of `schedule list`: id, cron, next run (or why paused), owner, prompt. */
export function listLine(s: Schedule): string {
  return `• \`${s.shortId}\` ${cronText(s)} — ${nextRunText(s)} — owner ${s.owner.name} — ${quoted(s.prompt)}`;
}

/** What `schedule add` (and the approved `schedule_task`) answers. */
export function createdText(s: Schedule): string {
  return [
    `Scheduled \`${s.shortId}\`: ${cronText(s)}, ${nextRunText(s)}. Each time I will answer ${quoted(s.prompt)} in a new thread here, as ${s.owner.name}.`,
    `Pause, resume or delete it with \`!schedule pause ${s.shortId}\`, \`resume\`, \`delete\`.`,
  ].join('\n');
}

/** The first message of a firing's thread: its first line names the schedule, then the prompt it asks, whole. */
export function firingRootText(s: Schedule, dueAt: Date): string {
  return `⏰ Scheduled task \`${s.shortId}\` (${cronText(s)}, ${localTime(dueAt, s.timeZone)}) for ${s.owner.name}:\n${s.prompt}`;
}

/** What a schedule's owner is told, privately, when it paused itself. */
export function pausedNotice(s: Schedule, why: string): string {
  return `Your schedule \`${s.shortId}\` ${cronText(s)}, ${quoted(s.prompt)}, is paused: ${why}. Resume it with \`!schedule resume ${s.shortId}\` in its channel once that is fixed.`;
}
