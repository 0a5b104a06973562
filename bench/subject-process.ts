import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export type SubjectName = 'bot' | 'baseline';

export interface SubjectStats {
  cpuMs: number;
  maxRssMb: number;
}

/** A subject running as its own process, reporting its cost over IPC. */
export interface Subject {
  readonly name: SubjectName;
  readonly url: string;
  stats(): Promise<SubjectStats>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 90_000;

/** Starts `bench/subjects/<name>.ts` under tsx with `env` and waits until it listens. */
export async function startSubject(name: SubjectName, env: NodeJS.ProcessEnv, port: number): Promise<Subject> {
  const child = fork(join(__dirname, 'subjects', `${name}.ts`), [], {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [])],
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await waitFor(child, (m) => m.type === 'ready', READY_TIMEOUT_MS, `${name} did not start`);
  return {
    name,
    url: `http://127.0.0.1:${port}/slack/events`,
    stats: async () => {
      const answer = waitFor(child, (m) => m.type === 'stats', 5_000, `${name} did not report stats`);
      child.send({ type: 'stats' });
      return (await answer) as unknown as SubjectStats;
    },
    stop: () => stop(child),
  };
}

function waitFor(child: ChildProcess, match: (m: { type?: string }) => boolean, timeoutMs: number, what: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`${what} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: unknown) => {
      if (match(m as { type?: string })) done(null, m as Record<string, unknown>);
    };
    const onExit = (code: number | null) => done(new Error(`${what}: exited with ${code}`));
    const done = (error: Error | null, value?: Record<string, unknown>) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value!);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
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
