import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { PlatformCall } from '../../support/recording-platform';
import type { WorkerAppOptions } from './worker-app';

const SCRIPT = join(__dirname, 'worker-process.ts');

/** A worker process started by a test, and what it has posted so far. */
export interface WorkerChild {
  readonly pid: number;
  /** Every platform call the child made, in order. */
  readonly calls: PlatformCall[];
  readonly exited: Promise<number | null>;
  waitFor(predicate: (calls: PlatformCall[]) => boolean, timeoutMs: number): Promise<void>;
  /** Sends `signal` and waits for the process to end. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** How a worker process is built: its settings, and the (fake) model server its runs ask, if any. */
export type WorkerChildOptions = Pick<WorkerAppOptions, 'settings' | 'execution'> & { readonly openAiBaseUrl?: string };

/** Starts worker-process.ts in a new node process (tsx as a loader, so the pid is the worker's own) and waits until it works. */
export async function spawnWorker(url: string, options: WorkerChildOptions = {}, readyTimeoutMs = 30_000): Promise<WorkerChild> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    env: { ...process.env, WORKER_DATABASE_URL: url, WORKER_OPTIONS: JSON.stringify(options), WORKER_LOG_LEVEL: process.env.WORKER_LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const calls: PlatformCall[] = [];
  let stderr = '';
  let ready = false;
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (process.env.WORKER_LOG_LEVEL) process.stderr.write(chunk);
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    // A library may print to stdout too (knex logs a dropped pool connection there): kept with stderr for the error message.
    const parsed = parseLine(line);
    if (!parsed) stderr += `${line}\n`;
    else if (parsed.kind === 'ready') ready = true;
    else calls.push(parsed);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = async (predicate: (c: PlatformCall[]) => boolean, timeoutMs: number, what = 'condition') => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(calls)) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`worker ${child.pid} exited before ${what}:\n${stderr}`);
      if (Date.now() > deadline) throw new Error(`worker ${child.pid}: timed out waiting for ${what}; calls: ${JSON.stringify(calls.map((c) => c.kind))}\n${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  // A worker that never got ready must not linger and take the next test's jobs.
  await waitFor(() => ready, readyTimeoutMs, 'ready').catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    pid: child.pid!,
    calls,
    exited,
    waitFor,
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** One line the child printed, when it is one of ours (JSON); null for anything else. */
function parseLine(line: string): PlatformCall | { kind: 'ready' } | null {
  try {
    const parsed: unknown = JSON.parse(line);
    return parsed && typeof parsed === 'object' ? (parsed as PlatformCall | { kind: 'ready' }) : null;
  } catch {
    return null;
  }
}
