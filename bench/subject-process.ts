import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** The bot, the bare Bolt baseline, and the durable one (Bolt that stores each event before its ack). */
export type SubjectName = 'bot' | 'baseline' | 'durable';

const SCRIPTS: Record<SubjectName, string[]> = {
  bot: [join(ROOT, 'scripts', 'start.js')],
  baseline: [join(__dirname, 'subjects', 'baseline.js')],
  durable: [join(__dirname, 'subjects', 'durable-baseline.js')],
};

export interface SubjectStats {
  cpuMs: number;
  maxRssMb: number;
}

/** A subject running as its own process, its cost read from /proc. */
export interface Subject {
  readonly name: SubjectName;
  readonly url: string;
  readonly pid: number;
  stats(): SubjectStats;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 90_000;

/** Builds dist/ when it is stale, as `npm start` does first: the bot subject runs the compiled code. */
export function buildOnce(): void {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.js'), '--if-stale'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
}

/**
 * The command line of each subject: all run by node from JavaScript, the bot exactly as
 * `npm start` runs it (scripts/start.js: the build check, then the app in the same process).
 */
export function subjectCommand(name: SubjectName): string[] {
  const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
  return [...profile, ...SCRIPTS[name]];
}

/** Starts a subject with `env` on `port` and waits until it answers HTTP (the bot: until /readyz says ready). */
export async function startSubject(name: SubjectName, env: NodeJS.ProcessEnv, port: number): Promise<Subject> {
  const child = spawn(process.execPath, subjectCommand(name), { cwd: ROOT, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'inherit', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  await untilAnswering(child, name === 'bot' ? `${base}/readyz` : base, name);
  return {
    name,
    url: `${base}/slack/events`,
    pid: child.pid!,
    stats: () => processStats(child.pid!),
    stop: () => stop(child),
  };
}

/** Polls `url` until it answers (200 for /readyz, anything for the baseline); fails if the child exits first. */
async function untilAnswering(child: ChildProcess, url: string, name: SubjectName): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before it was ready`);
    const status = await fetch(url).then((r) => r.status, () => 0);
    if (status === 200 || (status > 0 && !url.endsWith('/readyz'))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} was not ready within ${READY_TIMEOUT_MS} ms`);
}

/** CPU time (user + system) and peak RSS of one process, from the kernel: nothing else on the machine is counted. */
export function processStats(pid: number): SubjectStats {
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND, maxRssMb: statusKb(pid, 'VmHWM') / 1024 };
}

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these. */
const CLOCK_TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** A /proc/<pid>/status field in kB; 0 once the process is gone. */
export function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
    return Number(line?.split(/\s+/)[1] ?? 0);
  } catch {
    return 0;
  }
}

/** SIGTERM, then SIGKILL if the child is still there `graceMs` later (default 5 s); resolves once it has exited. */
export async function stop(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
