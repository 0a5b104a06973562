/**
 * The Grafana dashboard and docs/operations.md describe the metrics the code exports: a
 * renamed or removed metric fails here instead of leaving an empty panel behind.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrometheusMetrics } from '../../../src/metrics/prometheus-metrics';

const DOCS = join(__dirname, '..', '..', '..', 'docs');
const dashboard = JSON.parse(readFileSync(join(DOCS, 'grafana-dashboard.json'), 'utf8')) as { panels: { type: string; title: string; targets?: { expr: string }[] }[] };
const operations = readFileSync(join(DOCS, 'operations.md'), 'utf8');

/** The metric families an exposition declares (`# TYPE name kind`), whether or not they have samples yet. */
async function exported(): Promise<Set<string>> {
  const text = await new PrometheusMetrics().exposition();
  return new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
}

/** `switchboard_ack_duration_seconds` from `…_bucket`, `…_count` or `…_sum`. */
const family = (name: string) => name.replace(/_(bucket|count|sum)$/, '');

describe('the Grafana dashboard', () => {
  it('queries only metrics that are exported', async () => {
    const names = await exported();
    const queried = dashboard.panels.flatMap((p) => p.targets ?? []).flatMap((t) => [...t.expr.matchAll(/\b((?:switchboard|process|nodejs)_[a-z0-9_]+)/g)].map((m) => family(m[1]!)));
    expect(queried.length).toBeGreaterThan(20);
    expect(queried.filter((name) => !names.has(name))).toEqual([]);
  });

  it('draws every Switchboard metric, and the operations guide explains each', async () => {
    const ours = [...(await exported())].filter((name) => name.startsWith('switchboard_'));
    const drawn = JSON.stringify(dashboard.panels);
    expect(ours.filter((name) => !drawn.includes(name))).toEqual([]);
    expect(ours.filter((name) => !operations.includes(name))).toEqual([]);
  });

  it('has a panel for every title the operations guide explains', () => {
    const titles = dashboard.panels.filter((p) => p.type !== 'row').map((p) => p.title);
    expect(titles.filter((title) => !operations.includes(`**${title}**`))).toEqual([]);
  });
});
