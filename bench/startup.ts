/**
 * Start-up and memory of the bot started both ways: from TypeScript through the tsx CLI (what
 * `npm start` ran before the compiled build, and `npm run dev` runs now) and compiled (what
 * `npm start` runs: the staleness check, then node on dist/); and of the bare Bolt baseline
 * (bench/subjects/baseline.js), the yardstick of issue #16. Each start is timed from spawn
 * to the first 200 answer to a signed app_mention, against the fake Slack and model and one
 * database that a first, unmeasured start has prepared (migrations and pg-boss's schema in
 * place, as on any restart after the first deploy); then a short paced load runs and the peak
 * RSS is read from the kernel (VmHWM, summed over the process tree: the tsx CLI runs the app
 * in a child of its own).
 * `npm run bench:startup` runs only this part; `npm run bench` includes it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrate, openOrm } from '../src/db/orm';
import { appMentionEvent, sendEvent, type FakeSlack } from '../test/fakes/fake-slack';
import { freePort } from '../test/support/free-port';
import { parentOf } from './bench-database';
import { BENCH_SECRET, paced } from './load';
import { ReplyTracker } from './reply-tracker';
import { buildOnce, statusKb, stop, subjectCommand } from './subject-process';
import { median, pairedRatio, round1 } from './stats';

export type StartWay = 'tsx' | 'compiled' | 'baseline';

/** One start of one way. */
export interface StartupFigures {
  way: StartWay;
  round: number;
  firstAckMs: number;
  rssAtFirstAckMb: number;
  peakRssMb: number;
}

/** What a start needs: the fakes' addresses, and a fresh database URL per start. */
export interface StartupTarget {
  slack: FakeSlack;
  openAiBaseUrl: string;
  createDatabase(name: string): Promise<string>;
}

const ROOT = join(__dirname, '..');
const KNOCK_EVERY_MS = 10;
const START_TIMEOUT_MS = 120_000;
const LOAD = { count: 300, ratePerSec: 50 };
/** Keeps each way's message timestamps apart within a round. */
const WAY_OFFSET: Record<StartWay, number> = { tsx: 0, compiled: 3_000, baseline: 6_000 };

/** A migrated database on which the bot has started once, so that pg-boss's schema exists too. */
async function preparedDatabase(target: StartupTarget): Promise<string> {
  const databaseUrl = await target.createDatabase('bench_start');
  const orm = await openOrm(databaseUrl, 1);
  await migrate(orm);
  await orm.close(true);
  const port = await freePort();
  const child = start('compiled', { ...botEnv(target, databaseUrl), PORT: String(port) });
  try {
    await firstAck(`http://127.0.0.1:${port}/slack/events`, child, 0);
  } finally {
    await stop(child);
  }
  return databaseUrl;
}

/** Starts `way`, times the first ack, loads it briefly, and stops it. */
async function measureStartup(way: StartWay, round: number, target: StartupTarget, databaseUrl: string): Promise<StartupFigures> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/slack/events`;
  const startedAt = performance.now();
  const child = start(way, { ...botEnv(target, databaseUrl), PORT: String(port) });
  try {
    await firstAck(url, child, round);
    const firstAckMs = performance.now() - startedAt;
    const rssAtFirstAckMb = treeRssMb(child.pid!, 'VmRSS');
    const tracker = new ReplyTracker(target.slack);
    await paced({ url, channel: `CSTART-${way}-${round}`, tsBase: 1_800_000_000 + round * 10_000 + WAY_OFFSET[way], tracker }, LOAD.count, LOAD.ratePerSec);
    await tracker.settle(30_000);
    return { way, round, firstAckMs, rssAtFirstAckMb, peakRssMb: treeRssMb(child.pid!, 'VmHWM') };
  } finally {
    await stop(child);
  }
}

/** Builds once, then starts each way `rounds` times, alternating which goes first; prints and returns the figures. */
export async function startupRounds(rounds: number, target: StartupTarget): Promise<{ figures: StartupFigures[]; summary: Record<string, unknown>[] }> {
  buildOnce();
  const databaseUrl = await preparedDatabase(target);
  const figures: StartupFigures[] = [];
  for (let round = 1; round <= rounds; round++) {
    const order: StartWay[] = round % 2 ? ['tsx', 'compiled', 'baseline'] : ['baseline', 'compiled', 'tsx'];
    for (const way of order) {
      console.error(`start-up round ${round}/${rounds}: ${way}…`);
      figures.push(await measureStartup(way, round, target, databaseUrl));
      target.slack.reset();
    }
  }
  return { figures, summary: printStartupTable(figures) };
}

/** Prints the medians (and ranges) of each way and the paired ratio compiled ÷ baseline, and returns them. */
function printStartupTable(figures: readonly StartupFigures[]): Record<string, unknown>[] {
  const ways: StartWay[] = ['tsx', 'compiled', 'baseline'];
  const of = (way: StartWay, metric: keyof typeof LABELS) => figures.filter((f) => f.way === way).sort((a, b) => a.round - b.round).map((f) => f[metric]);
  const rows = (['firstAckMs', 'rssAtFirstAckMb', 'peakRssMb'] as const).map((metric) => {
    const row: Record<string, unknown> = { metric: LABELS[metric] };
    for (const way of ways) {
      const values = of(way, metric);
      row[way] = `${round1(median(values))} (${round1(Math.min(...values))}..${round1(Math.max(...values))})`;
    }
    const ratio = pairedRatio(of('compiled', metric), of('baseline', metric));
    row['compiled ÷ baseline'] = `${round1(ratio.median)}× (${round1(ratio.min)}..${round1(ratio.max)})`;
    row.target = { firstAckMs: '≤ 1.25×', rssAtFirstAckMb: '', peakRssMb: '≤ 1.2×' }[metric];
    return row;
  });
  console.table(rows);
  return rows;
}

const LABELS = { firstAckMs: 'spawn → first ack (ms)', rssAtFirstAckMb: 'RSS at first ack (MB)', peakRssMb: `peak RSS after ${LOAD.count} mentions (MB)` };

function start(way: StartWay, env: NodeJS.ProcessEnv): ChildProcess {
  const commands: Record<StartWay, string[]> = {
    tsx: [join(ROOT, 'node_modules', '.bin', 'tsx'), 'src/main.ts'],
    compiled: [process.execPath, 'scripts/start.js'],
    baseline: [process.execPath, ...subjectCommand('baseline')],
  };
  const command = commands[way];
  return spawn(command[0]!, command.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Slack HTTP mode, the bench's model, no migrations at start (the release phase did them). */
function botEnv(target: StartupTarget, databaseUrl: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    MIGRATE_ON_START: 'false',
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: BENCH_SECRET,
    SLACK_API_URL: target.slack.apiUrl,
    HOST: '127.0.0.1',
    OPENAI_API_KEY: 'bench',
    OPENAI_BASE_URL: target.openAiBaseUrl,
  };
}

/** Knocks with a fresh mention every few ms until one is acknowledged with 200. */
async function firstAck(url: string, child: ChildProcess, round: number): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (let i = 0; Date.now() < deadline; i++) {
    if (child.exitCode !== null) throw new Error(`the bot exited (${child.exitCode}) before its first ack`);
    const event = appMentionEvent({ channel: `CKNOCK-${round}-${i}`, user: 'U_BENCH', text: '<@U_BOT> hello', ts: `${1_700_900_000 + round * 10_000 + i}.000100` });
    const answer = await sendEvent(url, BENCH_SECRET, event).catch(() => ({ status: 0 }));
    if (answer.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, KNOCK_EVERY_MS));
  }
  throw new Error(`no ack within ${START_TIMEOUT_MS} ms`);
}

/** A /proc/<pid>/status field (kB) summed over the process and its descendants, in MB. */
function treeRssMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const children = readdirSync('/proc').filter((d) => /^\d+$/.test(d) && parentOf(Number(d)) === pid);
  return statusKb(pid, field) / 1024 + children.reduce((sum, child) => sum + treeRssMb(Number(child), field), 0);
}
