import { median, pairedRatio, round1 } from './stats';

/** Every figure one subject produced in one round. */
export interface RoundFigures {
  subject: 'bot' | 'baseline';
  round: number;
  pacedAckP50: number;
  pacedAckP99: number;
  pacedReplyP50: number;
  pacedReplyP99: number;
  satThroughput: number;
  satReplyP50: number;
  satReplyP99: number;
  satAckP99: number;
  missing: number;
  duplicated: number;
  ackFailures: number;
  cpuMsPerMention: number;
  pgCpuMsPerMention: number;
  sqlPerMessage: number;
  modelCallsPerMessage: number;
  peakRssMb: number;
  approveProgressP50: number;
  approveProgressP99: number;
  approveAnswerP50: number;
  approveAnswerP99: number;
  sqlPerStep: number;
  /** Streamed answers: the model's first text → the first Slack call showing it. */
  firstTextP50: number;
  firstTextP99: number;
  /** The most Slack calls one one-second answer took. */
  callsPerAnswer: number;
  streamedAckP99: number;
}

type Metric = Exclude<keyof RoundFigures, 'subject' | 'round'>;

/** Rows whose baseline does not do that work at all (no database, no approvals): no ratio. */
const BOT_ONLY = new Set<Metric>(['pgCpuMsPerMention', 'sqlPerMessage', 'modelCallsPerMessage', 'approveProgressP50', 'approveProgressP99', 'approveAnswerP50', 'approveAnswerP99', 'sqlPerStep', 'firstTextP50', 'firstTextP99', 'callsPerAnswer', 'streamedAckP99']);

const ROWS: [Metric, string, string?][] = [
  ['pacedAckP50', 'paced ack p50 (ms)'],
  ['pacedAckP99', 'paced ack p99 (ms)', '≤ 1.5× baseline'],
  ['pacedReplyP50', 'paced reply p50 (ms)'],
  ['pacedReplyP99', 'paced reply p99 (ms)'],
  ['satThroughput', 'saturated throughput (replies/s)', '≥ 0.4× baseline'],
  ['satReplyP50', 'saturated reply p50 (ms)'],
  ['satReplyP99', 'saturated reply p99 (ms)', '≤ 2000 ms'],
  ['satAckP99', 'saturated ack p99 (ms)', '< 3000 ms'],
  ['missing', 'replies missing'],
  ['duplicated', 'replies duplicated'],
  ['ackFailures', 'acks failed (non-200)'],
  ['cpuMsPerMention', 'CPU ms per mention', '≤ 2.5× baseline'],
  ['pgCpuMsPerMention', 'Postgres CPU ms per mention'],
  ['sqlPerMessage', 'SQL statements per chat message', '≤ 4'],
  ['modelCallsPerMessage', 'model calls per chat message', '≤ 1.2'],
  ['peakRssMb', 'peak RSS (MB)', '≤ 1.5× baseline'],
  ['approveProgressP50', 'approve → first progress p50 (ms)'],
  ['approveProgressP99', 'approve → first progress p99 (ms)', '< 1000 ms'],
  ['approveAnswerP50', 'approve → final answer p50 (ms)'],
  ['approveAnswerP99', 'approve → final answer p99 (ms)'],
  ['sqlPerStep', 'SQL statements per agent-run step', '≤ 6'],
  ['firstTextP50', "streamed: model's first text → shown p50 (ms)"],
  ['firstTextP99', "streamed: model's first text → shown p99 (ms)", '≤ 300 ms'],
  ['callsPerAnswer', 'streamed: Slack calls per 1-s answer (most)', '≤ 8'],
  ['streamedAckP99', 'streamed: ack p99 (ms)', '≈ paced ack p99'],
];

/** Prints medians per subject and the median paired ratio (min..max); returns the same as data. */
export function printTable(figures: readonly RoundFigures[]): Record<string, unknown>[] {
  const of = (subject: RoundFigures['subject'], metric: Metric) =>
    figures.filter((f) => f.subject === subject).sort((a, b) => a.round - b.round).map((f) => f[metric]);
  const summary = ROWS.map(([metric, label, target]) => {
    const bot = of('bot', metric);
    const base = of('baseline', metric);
    const ratio = pairedRatio(bot, base);
    return {
      metric: label,
      bot: round1(median(bot)),
      baseline: round1(median(base)),
      ratio: !BOT_ONLY.has(metric) && Number.isFinite(ratio.median) ? `${round1(ratio.median)}× (${round1(ratio.min)}..${round1(ratio.max)})` : '',
      target: target ?? '',
    };
  });
  console.table(summary);
  return summary;
}
