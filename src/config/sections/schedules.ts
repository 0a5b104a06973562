import { z } from 'zod';
import { duration, timeZone } from '../parsers';
import { setting, type Section } from '../setting';

/** A firing must start within 15 s of its minute, so a sweep may be at most that far apart. */
const sweepInterval = duration.pipe(z.number().min(100, { error: 'expected at least 100ms' }).max(15_000, { error: 'expected at most 15s: a firing must start within 15 s of its minute' }));

/** Scheduled agent work (docs/scheduling.md). */
export const scheduleSettings = {
  timeZone: setting('SCHEDULE_TZ', timeZone, { default: 'UTC', doc: 'the time zone new schedules read their cron in (an IANA name such as Europe/Paris)' }),
  catchUpMs: setting('SCHEDULE_CATCH_UP', duration, {
    default: '1h',
    doc: 'a firing missed while every process was down runs once at start-up when younger than this, and is skipped (logged) when older',
  }),
  sweepIntervalMs: setting('SCHEDULE_SWEEP_INTERVAL', sweepInterval, { default: '5s', doc: 'how often each process looks for due schedules (at most 15s)' }),
} satisfies Section;
