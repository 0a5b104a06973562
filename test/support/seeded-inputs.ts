/**
 * Property tests draw their inputs from one fixed seed, so every run of the suite checks the
 * same cases and a failure comes back the same way on the next run. To try other inputs, set
 * FAST_CHECK_SEED to another integer; a failing property names its seed and path in its message.
 * Loaded before every test file (jest's setupFiles).
 */
import fc from 'fast-check';

/** The seed when FAST_CHECK_SEED is unset. */
const DEFAULT_SEED = 20_231_123;

function seed(): number {
  const given = process.env.FAST_CHECK_SEED;
  if (given === undefined || given === '') return DEFAULT_SEED;
  const parsed = Number(given);
  if (!Number.isSafeInteger(parsed)) throw new Error(`FAST_CHECK_SEED must be an integer; got ${JSON.stringify(given)}`);
  return parsed;
}

fc.configureGlobal({ seed: seed() });
