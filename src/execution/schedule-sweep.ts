import type { Logger } from '../logging/logger';
import { Periodic } from './periodic';

/** What the schedule sweep asks of the core: a claim per due schedule, safe on every process at once. */
export interface ScheduleWork {
  fireDueSchedules(): Promise<number>;
}

/**
 * Every process looks for due schedules every `intervalMs` (SCHEDULE_SWEEP_INTERVAL, at most
 * 15 s, so a firing starts within 15 s of its minute) and once at start-up, which is when a
 * firing missed while every process was down is made up for. Each firing is claimed by one
 * conditional write, so no schedule is shared between processes and none fires twice. Stopping
 * waits for a sweep under way; the firings it started go on as turns, and a turn left
 * unanswered is recovered like any other.
 */
export function scheduleSweep(work: ScheduleWork, intervalMs: number, log: Logger): Periodic {
  return new Periodic(async () => {
    try {
      const fired = await work.fireDueSchedules();
      if (fired) log.info({ fired }, 'schedules fired');
    } catch (err) {
      log.error({ err }, 'schedule sweep failed');
    }
  }, intervalMs);
}
