/**
 * Time, the core's only source of it: injectable so that tests can move time instead of
 * sleeping. app.ts passes the system clock.
 */
export interface Clock {
  now(): Date;
}

/** Epoch milliseconds on `clock`. */
export const epochMs = (clock: Clock): number => clock.now().getTime();

/** An ISO-8601 timestamp on `clock`, as stored in metadata. */
export const isoNow = (clock: Clock): string => clock.now().toISOString();
