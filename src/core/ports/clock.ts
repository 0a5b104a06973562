/**
 * Time, the core's only source of it: injectable so that tests can move time instead of
 * sleeping. app.ts passes the system clock.
 */
export interface Clock {
  now(): Date;
  /**
   * Resolves `ms` from now on this clock, rejects once `signal` aborts; default (absent): a
   * real timer. A test's clock gives the deadlines it decides itself, so that whether an
   * operation beat its deadline never depends on how fast the machine is.
   */
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
}

/** Epoch milliseconds on `clock`. */
export const epochMs = (clock: Clock): number => clock.now().getTime();

/** An ISO-8601 timestamp on `clock`, as stored in metadata. */
export const isoNow = (clock: Clock): string => clock.now().toISOString();

/** Waits `ms` on `clock` (a real timer when it keeps no time of its own); rejects once `signal` aborts. */
export function sleepOn(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  if (clock.sleep) return clock.sleep(ms, signal);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}
