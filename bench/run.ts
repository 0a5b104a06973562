/**
 * `npm run bench`: Switchboard against two Bolt baselines, the bare one and the durable one
 * (it stores each event before its ack), each in its own process, fed the same signed
 * app_mention load in rotating rounds. Prints one table of medians and of paired ratios to
 * both baselines and writes bench/results.json. Not part of `npm test`.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { startFakeOpenAi, type FakeOpenAi } from '../test/fakes/fake-openai';
import { startFakeSlack, type FakeSlack } from '../test/fakes/fake-slack';
import { freePort } from '../test/support/free-port';
import { agentRuns, benchModel } from './agent-runs';
import { streamedAnswers } from './streamed-answers';
import { BenchDatabase } from './bench-database';
import { BENCH_SECRET, paced, saturating, type LoadTarget } from './load';
import { ReplyTracker } from './reply-tracker';
import { printTable, type RoundFigures } from './report';
import { buildOnce, startSubject, type Subject, type SubjectName } from './subject-process';
import { startupRounds } from './startup';
import { percentile } from './stats';

const settings = {
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
  pacedCount: Number(process.env.BENCH_PACED ?? 1000),
  pacedRate: Number(process.env.BENCH_RATE ?? 100),
  saturatingCount: Number(process.env.BENCH_SATURATING ?? 3000),
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 64),
  agentRuns: Number(process.env.BENCH_AGENT_RUNS ?? 20),
  streamedAnswers: Number(process.env.BENCH_STREAMED ?? 20),
  llmDelayMs: Number(process.env.BENCH_LLM_DELAY_MS ?? 0),
};

interface Fakes {
  slack: FakeSlack;
  llm: FakeOpenAi;
  db: BenchDatabase;
}

/** Keeps each subject's message timestamps apart within a round. */
const TS_OFFSET: Record<SubjectName, number> = { bot: 0, baseline: 50_000, durable: 75_000 };
/** Who goes first, second and third in successive rounds: each subject takes each place. */
const ORDERS: SubjectName[][] = [
  ['bot', 'baseline', 'durable'],
  ['durable', 'bot', 'baseline'],
  ['baseline', 'durable', 'bot'],
];

async function runSubject(name: SubjectName, round: number, fakes: Fakes): Promise<RoundFigures> {
  const dbUrl = await fakes.db.create(`bench_${name}_${round}`);
  const subject = await startSubject(
    name,
    {
      ...process.env,
      LOG_LEVEL: 'warn',
      DATABASE_URL: dbUrl,
      DATABASE_POOL_MAX: '10',
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: BENCH_SECRET,
      SLACK_API_URL: fakes.slack.apiUrl,
      HOST: '127.0.0.1',
      OPENAI_API_KEY: 'bench',
      OPENAI_BASE_URL: fakes.llm.baseUrl,
      // One worker: an approval right after a run must not wait behind it (issue #15).
      WORKER_CONCURRENCY: '1',
    },
    await freePort(),
  );
  try {
    return await measure(name, round, subject, fakes, dbUrl);
  } finally {
    await subject.stop();
  }
}

async function measure(name: SubjectName, round: number, subject: Subject, fakes: Fakes, dbUrl: string): Promise<RoundFigures> {
  const base = 1_700_000_000 + round * 100_000 + TS_OFFSET[name];
  const target = (phase: number, channel: string): LoadTarget => ({ url: subject.url, channel, tsBase: base + phase * 10_000, tracker: new ReplyTracker(fakes.slack) });
  const warm = target(0, `CWARM${round}`);
  await saturating(warm, 50, 8);
  await warm.tracker.settle(30_000);

  const counting = name !== 'baseline' && (await fakes.db.resetStatements(dbUrl));
  const modelCallsBefore = fakes.llm.requests.length;
  const cpuBefore = subject.stats();
  const pgBefore = fakes.db.postgresCpuMs();

  const pacedTarget = target(1, `CPACED${round}`);
  const pacedLoad = await paced(pacedTarget, settings.pacedCount, settings.pacedRate);
  await pacedTarget.tracker.settle(60_000);
  const pacedReplies = pacedTarget.tracker.summary();

  const satTarget = target(2, `CSAT${round}`);
  const satLoad = await saturating(satTarget, settings.saturatingCount, settings.concurrency);
  await satTarget.tracker.settle(120_000);
  const sat = satTarget.tracker.summary();

  const mentions = settings.pacedCount + settings.saturatingCount;
  const statements = counting ? await fakes.db.statements(dbUrl) : Number.NaN;
  if (counting && process.env.BENCH_SQL_DUMP) console.table(await fakes.db.topStatements(dbUrl));
  const modelCalls = fakes.llm.requests.length - modelCallsBefore;
  const cpuAfter = subject.stats();
  const pgAfter = fakes.db.postgresCpuMs();
  const agent = name === 'bot' ? await agentRuns(fakes.slack, fakes.db, dbUrl, subject.url, base + 30_000, settings.agentRuns) : null;
  const streamed = name === 'bot' ? await streamedAnswers(fakes.slack, fakes.llm, subject.url, base + 40_000, settings.streamedAnswers) : null;

  return {
    subject: name,
    round,
    pacedAckP50: percentile(pacedLoad.ackMs, 50),
    pacedAckP99: percentile(pacedLoad.ackMs, 99),
    pacedReplyP50: percentile(pacedReplies.latencies, 50),
    pacedReplyP99: percentile(pacedReplies.latencies, 99),
    satThroughput: sat.latencies.length / ((sat.lastReplyAt - satLoad.firstSentAt) / 1000),
    satReplyP50: percentile(sat.latencies, 50),
    satReplyP99: percentile(sat.latencies, 99),
    satAckP99: percentile(satLoad.ackMs, 99),
    missing: pacedReplies.missing + sat.missing,
    duplicated: pacedReplies.duplicated + sat.duplicated,
    ackFailures: pacedLoad.failures + satLoad.failures,
    cpuMsPerMention: (cpuAfter.cpuMs - cpuBefore.cpuMs) / mentions,
    pgCpuMsPerMention: (pgAfter - pgBefore) / mentions,
    sqlPerMessage: statements / mentions,
    modelCallsPerMessage: name === 'bot' ? modelCalls / mentions : Number.NaN,
    peakRssMb: cpuAfter.maxRssMb,
    approveProgressP50: percentile(agent?.approveToProgressMs ?? [], 50),
    approveProgressP99: percentile(agent?.approveToProgressMs ?? [], 99),
    approveAnswerP50: percentile(agent?.approveToAnswerMs ?? [], 50),
    approveAnswerP99: percentile(agent?.approveToAnswerMs ?? [], 99),
    sqlPerStep: agent?.sqlPerStep ?? Number.NaN,
    firstTextP50: percentile(streamed?.firstTextMs ?? [], 50),
    firstTextP99: percentile(streamed?.firstTextMs ?? [], 99),
    callsPerAnswer: streamed ? Math.max(...streamed.callsPerAnswer) : Number.NaN,
    streamedAckP99: percentile(streamed?.ackMs ?? [], 99),
  };
}

async function main(): Promise<void> {
  const fakes: Fakes = { slack: await startFakeSlack(), llm: await startFakeOpenAi(), db: await BenchDatabase.start(process.env.DATABASE_URL) };
  fakes.llm.fallback(benchModel(settings.llmDelayMs));
  buildOnce();
  const figures: RoundFigures[] = [];
  let startup: Awaited<ReturnType<typeof startupRounds>>;
  try {
    for (let round = 1; round <= settings.rounds; round++) {
      const order = ORDERS[(round - 1) % ORDERS.length]!;
      for (const name of order) {
        console.error(`round ${round}/${settings.rounds}: ${name}…`);
        figures.push(await runSubject(name, round, fakes));
        fakes.slack.reset();
      }
    }
    startup = await startupRounds(settings.rounds, { slack: fakes.slack, openAiBaseUrl: fakes.llm.baseUrl, createDatabase: (name) => fakes.db.create(name) });
  } finally {
    await fakes.slack.close();
    await fakes.llm.close();
    await fakes.db.stop();
  }
  const summary = printTable(figures);
  writeFileSync(join(__dirname, 'results.json'), JSON.stringify({ settings, machine: machine(), rounds: figures, summary, startup }, null, 2));
}

function machine() {
  return { cpus: cpus().length, model: cpus()[0]?.model, memGb: Math.round(totalmem() / 2 ** 30), node: process.version, at: new Date().toISOString() };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
