import type { Clock } from '../../../src/core/ports/clock';

/**
 * A clock a test moves by hand: the wall clock plus an offset that `advance` grows. It keeps
 * running between steps, so rows written one after another get the times they would in
 * Postgres, and a test jumps past a lease or a window instead of sleeping through it.
 */
export class TestClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves time forward by `ms` for everyone reading this clock. */
  advance(ms: number): void {
    if (ms < 0) throw new Error(`a clock only moves forward; asked to move ${ms} ms`);
    this.offsetMs += ms;
  }
}
