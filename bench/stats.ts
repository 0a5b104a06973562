/** Small statistics for the benchmark: percentiles over samples and medians of paired ratios. */

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** The median of per-round ratios bot / baseline, with their range: robust on noisy machines. */
export function pairedRatio(bot: readonly number[], baseline: readonly number[]): { median: number; min: number; max: number } {
  const ratios = bot.map((b, i) => b / baseline[i]!).filter((r) => Number.isFinite(r));
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

export const round1 = (n: number): number => Math.round(n * 10) / 10;
