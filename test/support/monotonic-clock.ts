import type { Clock } from '../../src/core/ports/clock';

/**
 * A clock that never goes back (the wall clock may, when it is set): give the same one to the
 * core and to whatever records what the core did, and their readings compare exactly.
 */
export function monotonicClock(): Clock {
  return { now: () => new Date(performance.timeOrigin + performance.now()) };
}
