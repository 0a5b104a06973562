import type { Logger } from '../../logging/logger';
import type { Background } from '../background';
import { ChannelUnavailableError, NotInChannelError } from '../errors';
import { text } from '../model/card';
import type { Platform } from '../model/conversation';
import { CronExpression } from '../model/cron';
import type { IncomingMessage } from '../model/incoming';
import { MAX_CONSECUTIVE_FAILURES, type Schedule } from '../model/schedule';
import type { PostedMessage } from '../ports/chat-platform';
import type { ScheduleOutcome, TurnOutcome } from '../ports/metrics';
import type { WiredDeps } from '../core-deps';
import { scheduleSettings } from './schedule-settings';
import { firingRootText, pausedNotice } from './schedule-text';

/** How many due schedules one sweep looks at; the next sweep takes the rest. */
const SWEEP_BATCH = 100;

/** Takes a message as its author's, through the core's normal turn (MessageHandler.takeOwn): what the turn became. */
export type TakeTurn = (message: IncomingMessage) => Promise<TurnOutcome | 'duplicate'>;

/**
 * Fires due schedules. Each firing is claimed by one conditional write (ScheduleStore.advance),
 * so of several processes sweeping at once one fires it; the firing itself runs in the
 * background: a root message at the channel's top level names the schedule, and the prompt is
 * taken as its owner's message in that new thread, answered through the normal turn (the
 * channel's facts and tools, the same gates and budgets). A firing missed by longer than
 * SCHEDULE_CATCH_UP is skipped; of several missed ones only the latest fires.
 */
export class ScheduleFirer {
  constructor(
    private readonly deps: WiredDeps,
    private readonly parts: { takeTurn: TakeTurn; background: Background },
  ) {}

  /** Claims every schedule due now on these platforms; returns how many this process fired. */
  async fireDue(platforms: readonly Platform[]): Promise<number> {
    const now = this.deps.clock.now();
    let fired = 0;
    for (const schedule of await this.deps.schedules.due(now, platforms, SWEEP_BATCH)) {
      try {
        if (await this.claim(schedule, now)) fired++;
      } catch (err) {
        // One schedule that cannot be claimed (its stored cron no longer parses, a database hiccup) must not hold up the rest.
        this.deps.log.error({ err, schedule: schedule.shortId }, 'could not fire a due schedule; trying again next sweep');
      }
    }
    return fired;
  }

  /** Moves the schedule on; true when this process is the one to fire it. */
  private async claim(schedule: Schedule, now: Date): Promise<boolean> {
    const from = schedule.nextFireAt!;
    const log = this.deps.log.child({ schedule: schedule.shortId, ...schedule.conversation });
    const cron = new CronExpression(schedule.cron, schedule.timeZone);
    const latest = cron.latestBetween(from, now) ?? from;
    const next = cron.nextAfter(now);
    const { catchUpMs } = scheduleSettings(this.deps.settings);
    if (now.getTime() - latest.getTime() > catchUpMs) {
      const skipped = await this.deps.schedules.advance(schedule.id, from, next, null);
      if (!skipped) return false;
      log.warn({ missed: latest, catchUpMs, next }, 'scheduled firing skipped: missed by longer than SCHEDULE_CATCH_UP');
      this.count(schedule, 'skipped');
      return false;
    }
    if (!(await this.deps.schedules.advance(schedule.id, from, next, latest))) return false;
    if (latest.getTime() > from.getTime()) log.warn({ missedFrom: from, firing: latest }, 'earlier missed firings skipped; firing the latest');
    this.count(schedule, 'fired');
    this.parts.background.start('scheduled firing', () => this.fire(schedule, latest, log));
    return true;
  }

  private async fire(schedule: Schedule, dueAt: Date, log: Logger): Promise<void> {
    const platform = this.deps.platforms.get(schedule.conversation.platform);
    let root: PostedMessage;
    try {
      root = await platform.post(platform.channelLevel(schedule.conversation), text(firingRootText(schedule, dueAt)));
    } catch (error) {
      if (error instanceof NotInChannelError || error instanceof ChannelUnavailableError) {
        log.warn({ err: error }, 'the schedule cannot post in its channel any more');
        return this.pause(schedule, `I can no longer post in its channel (${error instanceof ChannelUnavailableError ? error.context.reason : 'not allowed in it'})`, log);
      }
      log.warn({ err: error }, 'scheduled firing could not start its thread');
      return this.failed(schedule, log);
    }
    log.info({ dueAt, thread: root.messageId }, 'schedule fired');
    const where = { ...schedule.conversation, thread: root.messageId };
    // The root message stands for the owner's message: its id is the turn's, unique per firing.
    const outcome = await this.parts.takeTurn({ where, messageId: root.messageId, author: schedule.owner, text: schedule.prompt }).catch((err: unknown) => {
      log.warn({ err }, 'scheduled firing could not be stored');
      return 'failed' as const;
    });
    if (outcome === 'failed') return this.failed(schedule, log);
    if (outcome !== 'duplicate' && schedule.consecutiveFailures > 0) await this.deps.schedules.recordOutcome(schedule.id, true);
  }

  /** One more failure in a row; at the limit the schedule pauses and its owner is told. */
  private async failed(schedule: Schedule, log: Logger): Promise<void> {
    this.count(schedule, 'failed');
    const failures = await this.deps.schedules.recordOutcome(schedule.id, false);
    if (failures !== null && failures >= MAX_CONSECUTIVE_FAILURES) await this.pause(schedule, `its last ${failures} firings failed`, log);
  }

  private async pause(schedule: Schedule, why: string, log: Logger): Promise<void> {
    if (!(await this.deps.schedules.pause(schedule.id, why))) return;
    log.warn({ why }, 'schedule paused');
    this.count(schedule, 'paused');
    await this.tellOwner(schedule, pausedNotice(schedule, why), log);
  }

  private count(schedule: Schedule, outcome: ScheduleOutcome): void {
    this.deps.metrics.scheduleFiring({ platform: schedule.conversation.platform, outcome });
  }

  /** By direct message where the platform has them; otherwise a note in the channel only the owner sees. */
  private async tellOwner(schedule: Schedule, note: string, log: Logger): Promise<void> {
    const { platform: name, workspace } = schedule.conversation;
    const platform = this.deps.platforms.get(name);
    try {
      if (await platform.directMessage?.({ platform: name, workspace, userId: schedule.owner.id }, text(note))) return;
      await platform.ephemeral(platform.channelLevel(schedule.conversation), schedule.owner.id, text(note));
    } catch (err) {
      log.warn({ err, owner: schedule.owner.id }, 'could not tell the owner that their schedule paused');
    }
  }
}
