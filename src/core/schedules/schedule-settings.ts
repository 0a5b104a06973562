import type { CoreSettings, ScheduleSettings } from '../core-deps';

/** Defaults: cron read in UTC; a firing missed while no process ran is made up for within one hour. */
export const DEFAULT_SCHEDULE_SETTINGS: ScheduleSettings = { timeZone: 'UTC', catchUpMs: 60 * 60_000 };

/** The schedule settings with the defaults filled in. */
export function scheduleSettings(settings: CoreSettings): ScheduleSettings {
  return { ...DEFAULT_SCHEDULE_SETTINGS, ...settings.schedules };
}
