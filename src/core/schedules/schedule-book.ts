import { isPolicyAdmin } from '../approvals/decision-policy';
import type { ConversationRef, Person, ThreadRef } from '../model/conversation';
import { CronExpression } from '../model/cron';
import { newSchedule, type Schedule } from '../model/schedule';
import type { WiredDeps } from '../core-deps';
import { quoteInput } from '../text/quote-input';
import { scheduleSettings } from './schedule-settings';
import { createdText, cronText, listLine } from './schedule-text';

/** The most schedules `schedule list` shows for one channel. */
const LIST_LIMIT = 50;

/** What a person may do to a schedule, besides making one. */
export const SCHEDULE_CHANGES = ['pause', 'resume', 'delete'] as const;
export type ScheduleChange = (typeof SCHEDULE_CHANGES)[number];

/**
 * The schedules of a channel as people manage them: add, list, pause, resume, delete. Anyone
 * may add (as the owner) and list; only the owner, or someone who may set policy
 * (isPolicyAdmin: a workspace admin or POLICY_ADMINS), may change one. Every answer is text
 * for the person alone.
 */
export class ScheduleBook {
  constructor(private readonly deps: Pick<WiredDeps, 'schedules' | 'platforms' | 'clock' | 'settings' | 'log'>) {}

  /** Makes `owner` a schedule in `conversation`. @throws UserInputError for a bad cron (showing it) or prompt. */
  async add(conversation: ConversationRef, owner: Person, cron: string, prompt: string): Promise<string> {
    const { timeZone } = scheduleSettings(this.deps.settings);
    const schedule = await this.deps.schedules.create(newSchedule({ conversation, owner, cron, prompt, timeZone }, this.deps.clock.now()));
    this.deps.log.info({ schedule: schedule.shortId, cron: schedule.cron, owner: owner.id }, 'schedule added');
    return createdText(schedule);
  }

  /** The channel's schedules, one line each. */
  async list(conversation: ConversationRef): Promise<string> {
    const schedules = await this.deps.schedules.inConversation(conversation, LIST_LIMIT);
    if (!schedules.length) return 'No schedules in this channel. Add one with `!schedule add "<cron>" <prompt>`.';
    return [`Schedules in this channel:`, ...schedules.map(listLine)].join('\n');
  }

  /** Pauses, resumes or deletes the schedule `shortId` of this workspace, if `by` may. */
  async change(change: ScheduleChange, shortId: string, by: Person, where: ThreadRef): Promise<string> {
    const schedule = await this.deps.schedules.findByShortId(where, shortId.toLowerCase());
    if (!schedule) return `No schedule ${quoteInput(shortId)} here. \`!schedule list\` shows this channel's.`;
    if (!(await this.mayChange(schedule, by, where))) {
      return `Only ${schedule.owner.name}, who made schedule \`${schedule.shortId}\`, or someone who may set policy can ${change} it.`;
    }
    this.deps.log.info({ schedule: schedule.shortId, change, by: by.id }, 'schedule changed');
    switch (change) {
      case 'pause':
        if (schedule.state === 'paused') return `Schedule \`${schedule.shortId}\` is paused already.`;
        await this.deps.schedules.pause(schedule.id, `paused by ${by.name}`);
        return `Paused schedule \`${schedule.shortId}\` ${cronText(schedule)}. \`!schedule resume ${schedule.shortId}\` starts it again.`;
      case 'resume':
        return this.resume(schedule);
      case 'delete':
        await this.deps.schedules.remove(schedule.id);
        return `Deleted schedule \`${schedule.shortId}\` ${cronText(schedule)}.`;
    }
  }

  /** Active again from now on: firings missed while paused are not made up for. */
  private async resume(schedule: Schedule): Promise<string> {
    if (schedule.state === 'active') return `Schedule \`${schedule.shortId}\` is active already.`;
    const next = new CronExpression(schedule.cron, schedule.timeZone).nextAfter(this.deps.clock.now());
    const resumed = await this.deps.schedules.resume(schedule.id, next);
    return resumed ? `Resumed: ${listLine(resumed).slice(2)}` : `Schedule \`${schedule.shortId}\` was deleted meanwhile.`;
  }

  /** The owner, or someone who may set policy in this workspace (the platform's word on admins and groups). */
  private async mayChange(schedule: Schedule, by: Person, where: ConversationRef): Promise<boolean> {
    if (schedule.owner.id === by.id) return true;
    const { policy } = this.deps.settings;
    const authority = await this.deps.platforms.get(where.platform).authority(where, by.id, policy.policyAdmins ?? []);
    return isPolicyAdmin(by, authority, policy);
  }
}
