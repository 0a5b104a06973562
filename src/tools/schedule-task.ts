import { z } from 'zod';
import { conversationOf } from '../core/model/conversation';
import { CronExpression } from '../core/model/cron';
import { checkedPrompt, MAX_SCHEDULE_PROMPT_CHARS, newSchedule } from '../core/model/schedule';
import type { Clock } from '../core/ports/clock';
import type { ScheduleStore } from '../core/ports/schedule-store';
import { defineTool } from './define-tool';

/** What the tool needs: where schedules live, the time, and the zone new ones read their cron in (SCHEDULE_TZ). */
export interface ScheduleTaskOptions {
  readonly schedules: ScheduleStore;
  readonly clock: Clock;
  readonly timeZone: string;
}

/** The reason a value fails `check`, or null when it passes. */
function failure(check: () => unknown): string | null {
  try {
    check();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * `schedule_task`: the model proposes agent work on a clock in this channel. It is never
 * read-only, so it never runs by policy alone: the card shows the exact cron (with its time
 * zone) and prompt, and once a person approves, the schedule exists with the run's requester
 * as its owner, exactly as `!schedule add` would make it. The arguments are checked before the
 * card (a bad cron never reaches a person); the preview depends on the arguments alone, so the
 * plan the approver saw hashes the same when it runs.
 */
export function scheduleTaskTool(options: ScheduleTaskOptions) {
  const input = z.object({
    cron: z
      .string()
      .describe('A standard 5-field cron expression: minute hour day-of-month month day-of-week, e.g. "0 9 * * 1-5"')
      .superRefine((cron, ctx) => {
        const why = failure(() => new CronExpression(cron.trim(), options.timeZone));
        if (why) ctx.addIssue({ code: 'custom', message: why });
      }),
    prompt: z
      .string()
      .max(MAX_SCHEDULE_PROMPT_CHARS)
      .describe('What to do each time, as a request to you in words, e.g. "Summarise the new messages in #incidents"')
      .superRefine((prompt, ctx) => {
        const why = failure(() => checkedPrompt(prompt));
        if (why) ctx.addIssue({ code: 'custom', message: why });
      }),
  });
  return defineTool({
    name: 'schedule_task',
    description: `Schedules a task to repeat on a clock in this channel: each time the cron matches (in ${options.timeZone}), you are asked the prompt in a new thread, as the person who asked for the schedule. A person approves it first.`,
    input,
    preview: ({ cron, prompt }) => `creates a schedule in this channel: cron \`${cron.trim()}\` (${options.timeZone}), each time asking: "${prompt.trim()}"`,
    async execute({ cron, prompt }, ctx) {
      const request = { conversation: conversationOf(ctx.where), owner: ctx.requestedBy, cron, prompt, timeZone: options.timeZone };
      const schedule = await options.schedules.create(newSchedule(request, options.clock.now()));
      return { text: `Schedule ${schedule.shortId} created: cron ${schedule.cron} (${schedule.timeZone}), next at ${schedule.nextFireAt?.toISOString() ?? 'never'}, owned by ${schedule.owner.name}.` };
    },
  });
}
