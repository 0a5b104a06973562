/**
 * Checks how a function's time grows with its input instead of holding it to a number of
 * milliseconds: an absolute limit fails at random on a slow or busy CI machine, while a
 * quadratic pattern shows as four times the time for twice the input on any machine.
 * Absolute times belong in `npm run bench`.
 *
 * The time is CPU time, not wall time. On a busy machine the scheduler takes the CPU away
 * every few milliseconds: a 2 ms run often fits between two turns away and an 8 ms one
 * never does, so wall time made linear code look quadratic (2.5 → 10 ms for twice the text,
 * three tries running, with other processes busy).
 */

/** The CPU time of one call of `run`, in milliseconds. */
function cpuTime(run: () => unknown): number {
  const started = process.cpuUsage();
  run();
  const { user, system } = process.cpuUsage(started);
  return (user + system) / 1000;
}

/**
 * The best of `repeats` CPU times of each run, the two taken in turns: a slow spell of the
 * machine (a busy neighbour on the same core) then slows both sides, not one.
 */
function fastestOfEach(small: () => unknown, large: () => unknown, repeats: number): [number, number] {
  let [bestSmall, bestLarge] = [Infinity, Infinity];
  for (let i = 0; i < repeats; i++) {
    bestSmall = Math.min(bestSmall, cpuTime(small));
    bestLarge = Math.min(bestLarge, cpuTime(large));
  }
  return [bestSmall, bestLarge];
}

/** Options for {@link expectLinearGrowth}; defaults in brackets. */
export interface GrowthOptions {
  /** The input size to compare against twice itself [20,000]. */
  readonly size?: number;
  /** Allowed ratio of time(2n) to time(n): linear is 2, quadratic 4 [3]. */
  readonly maxRatio?: number;
  /** Comparisons tried before giving up: one unlucky pause must not fail the test [3]. */
  readonly tries?: number;
  /** Timings per size in each comparison [5]. */
  readonly repeats?: number;
}

/**
 * Asserts that `run(input(2n))` takes less than `maxRatio` times `run(input(n))`. Times under
 * a tenth of a millisecond are timer noise, so both sides get that much slack.
 */
export function expectLinearGrowth<T>(input: (size: number) => T, run: (value: T) => unknown, options: GrowthOptions = {}): void {
  const { size = 20_000, maxRatio = 3, tries = 3, repeats = 5 } = options;
  const small = input(size);
  const large = input(2 * size);
  const seen: string[] = [];
  for (let i = 0; i < tries; i++) {
    const [n, twice] = fastestOfEach(() => run(small), () => run(large), repeats);
    if (twice + 0.1 < maxRatio * (n + 0.1)) return;
    seen.push(`${n.toFixed(2)} ms → ${twice.toFixed(2)} ms`);
  }
  throw new Error(`time grew faster than linearly from ${size} to ${2 * size}: ${seen.join('; ')}`);
}
