/**
 * A Postgres of a test's own, in a child process, that the test can stop and start again
 * (the shared test server must never go down under other test files). The data folder
 * lives from `startPostgresProcess` until `close`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

const ENTRY = join(__dirname, 'postgres-process-entry.ts');
/** initdb on first start can take a while on a loaded machine. */
const STEP_TIMEOUT_MS = 60_000;

export interface PostgresProcess {
  /** The URL of its `switchboard` database. */
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and the child and removes the data folder. */
  close(): Promise<void>;
}

export async function startPostgresProcess(): Promise<PostgresProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-pg-process-'));
  const child = fork(ENTRY, [join(dir, 'pg'), String(await freePort())], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await reply(child, null, 'ready');
  const { baseUrl } = (await reply(child, 'start', 'started')) as { baseUrl: string };
  return {
    url: `${baseUrl}/switchboard`,
    stop: () => reply(child, 'stop', 'stopped').then(() => undefined),
    start: () => reply(child, 'start', 'started').then(() => undefined),
    close: async () => {
      if (child.connected) await reply(child, 'stop', 'stopped');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sends `ask` (if any) and waits for the message `answer`; rejects on `failed`, an exit, or a timeout. */
function reply(child: ChildProcess, ask: string | null, answer: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`postgres process: no '${answer}' within ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
    const onMessage = (message: { type: string; error?: string }) => {
      if (message.type === answer) done(null, message);
      else if (message.type === 'failed') done(new Error(`postgres process: ${message.error}`));
    };
    const onExit = (code: number | null) => done(new Error(`postgres process exited (${code}) before '${answer}'`));
    const done = (error: Error | null, value?: unknown) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    if (ask) child.send({ type: ask });
  });
}
