import { Cron } from 'croner';
import { UserInputError } from '../errors';

/** What a person is shown with a cron expression that does not parse. */
export const CRON_HELP = 'Use five fields, minute hour day-of-month month day-of-week, e.g. "0 9 * * 1-5" for 09:00 on weekdays.';

/**
 * A standard 5-field cron expression in an IANA time zone, over croner: day-of-month and
 * day-of-week combine with OR as in Vixie cron, and DST follows Vixie cron too. A time that
 * occurs twice (clocks going back) fires once; a fixed time that does not exist (clocks going
 * forward) fires at the first valid minute after the gap. `fixedTimeRule: 'no-wildcard'` makes
 * `30 2,14 * * *` a fixed-time job as Vixie would, not an interval job.
 */
export class CronExpression {
  private readonly cron: Cron;

  /** @throws UserInputError `bad_cron` that shows the expression and why, or `bad_time_zone`. */
  constructor(
    readonly expression: string,
    readonly timeZone: string,
  ) {
    try {
      this.cron = new Cron(expression, { timezone: timeZone, mode: '5-part', fixedTimeRule: 'no-wildcard' });
    } catch (error) {
      const why = error instanceof Error ? error.message.replace(/^Cron\w*: /, '') : String(error);
      throw new UserInputError('bad_cron', `"${expression}" is not a cron expression I can use: ${why}. ${CRON_HELP}`, { expression }, { cause: error });
    }
    checkTimeZone(timeZone);
  }

  /** The first firing strictly after `after`; null when the expression never fires again (30 February). */
  nextAfter(after: Date): Date | null {
    return this.cron.nextRun(after);
  }

  /** The latest firing at or before `at`, searched no further back than `notBefore`; null when there is none in between. */
  latestBetween(notBefore: Date, at: Date): Date | null {
    const [latest] = this.cron.previousRuns(1, new Date(at.getTime() + 1));
    return latest && latest.getTime() >= notBefore.getTime() ? latest : null;
  }
}

/** Whether `timeZone` is an IANA zone this Node knows (`UTC`, `Europe/Paris`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** @throws UserInputError `bad_time_zone` unless {@link isTimeZone}. */
export function checkTimeZone(timeZone: string): void {
  if (!isTimeZone(timeZone)) throw new UserInputError('bad_time_zone', `"${timeZone}" is not a time zone I know; use an IANA name such as UTC or Europe/Paris.`, { timeZone });
}
