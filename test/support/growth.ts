/**
 * Checks how a function's time grows with its input instead of holding it to a number of
 * milliseconds: an absolute limit fails at random on a slow or busy CI machine, while a
 * quadratic pattern shows as four times the time for twice the input on any machine.
 * Absolute times belong in `npm run bench`.
 */

/** Best of `repeats` timings of `run`, in milliseconds: the least disturbed by other work. */
function fastest(run: () => unknown, repeats: number): number {
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
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
    const n = fastest(() => run(small), repeats) + 0.1;
    const twice = fastest(() => run(large), repeats) + 0.1;
    if (twice < maxRatio * n) return;
    seen.push(`${n.toFixed(2)} ms → ${twice.toFixed(2)} ms`);
  }
  throw new Error(`time grew faster than linearly from ${size} to ${2 * size}: ${seen.join('; ')}`);
}
