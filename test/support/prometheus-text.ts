/**
 * Reads `GET /metrics` as Prometheus stores it: one series per sample line (a histogram's
 * `_bucket`, `_sum` and `_count` lines are series of their own). parse-prometheus-text-format
 * checks the whole text first and throws on any line Prometheus could not read; its own
 * result folds labelled histograms together, so the samples are then read line by line.
 */
const parse = require('parse-prometheus-text-format') as (text: string) => unknown[];

/** One series and its value. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample of an exposition; throws when the text is not valid Prometheus text format. */
export function parseExposition(text: string): Sample[] {
  parse(text);
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [, name, labels = '', value] = SAMPLE_LINE.exec(line) ?? [];
      if (!name || value === undefined) throw new Error(`not a sample line: ${line}`);
      return { name, labels: Object.fromEntries([...labels.matchAll(LABEL)].map((m) => [m[1]!, m[2]!])), value: Number(value) };
    });
}

/** The series whose name starts with `prefix`, as `name{label="value",…}`, sorted. */
export function seriesOf(samples: readonly Sample[], prefix: string): string[] {
  return samples
    .filter((s) => s.name.startsWith(prefix))
    .map((s) => `${s.name}{${Object.entries(s.labels).sort().map(([k, v]) => `${k}="${v}"`).join(',')}}`)
    .sort();
}

/** The value of the series `name` with exactly these labels; undefined when there is none. */
export function valueOf(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  return samples.find((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === wanted)?.value;
}
