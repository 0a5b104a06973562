import type { SubjectName } from './subject-process';
import { median, pairedRatio, round1 } from './stats';

/** Every figure one subject produced in one round. */
export interface RoundFigures {
  subject: SubjectName;
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

/** A row: the figure, its label, and the goal of issue #28 (against which baseline, if any). */
const ROWS: [Metric, string, string?][] = [
  ['pacedAckP50', 'paced ack p50 (ms)'],
  ['pacedAckP99', 'paced ack p99 (ms)', '≤ 1.5× durable'],
  ['pacedReplyP50', 'paced reply p50 (ms)'],
  ['pacedReplyP99', 'paced reply p99 (ms)', '≤ 2× durable'],
  ['satThroughput', 'saturated throughput (replies/s)', '≥ 0.75× durable'],
  ['satReplyP50', 'saturated reply p50 (ms)'],
  ['satReplyP99', 'saturated reply p99 (ms)', '≤ 2000 ms'],
  ['satAckP99', 'saturated ack p99 (ms)', '< 3000 ms'],
  ['missing', 'replies missing', '0'],
  ['duplicated', 'replies duplicated', '0'],
  ['ackFailures', 'acks failed (non-200)', '0'],
  ['cpuMsPerMention', 'CPU ms per mention', '≤ 1.75× durable'],
  ['pgCpuMsPerMention', 'Postgres CPU ms per mention', '≤ 2.5× durable'],
  ['sqlPerMessage', 'SQL statements per chat message', '≤ 2'],
  ['modelCallsPerMessage', 'model calls per chat message', '1.0'],
  ['peakRssMb', 'peak RSS (MB)', '≤ 1.2× bare'],
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

/** Figures of work bare Bolt does not do at all (it has no database): no ratio to it, only to the durable baseline. */
const NOT_BARE = new Set<Metric>(['pgCpuMsPerMention']);

/** `bot ÷ baseline` per round, as "median× (min..max)"; empty where the baseline does none of that work. */
function ratioText(bot: readonly number[], base: readonly number[]): string {
  const ratio = pairedRatio(bot, base);
  return Number.isFinite(ratio.median) && ratio.median > 0 ? `${round1(ratio.median)}× (${round1(ratio.min)}..${round1(ratio.max)})` : '';
}

/** Prints medians per subject and the median paired ratio to each baseline (min..max); returns the same as data. */
export function printTable(figures: readonly RoundFigures[]): Record<string, unknown>[] {
  const of = (subject: SubjectName, metric: Metric) =>
    figures.filter((f) => f.subject === subject).sort((a, b) => a.round - b.round).map((f) => f[metric]);
  const summary = ROWS.map(([metric, label, goal]) => {
    const [bot, bare, durable] = (['bot', 'baseline', 'durable'] as const).map((s) => of(s, metric));
    return {
      metric: label,
      bot: round1(median(bot!)),
      bare: round1(median(bare!)),
      durable: round1(median(durable!)),
      'bot ÷ bare': NOT_BARE.has(metric) ? '' : ratioText(bot!, bare!),
      'bot ÷ durable': ratioText(bot!, durable!),
      goal: goal ?? '',
    };
  });
  console.table(summary);
  return summary;
}
