/**
 * Whole bot processes for the scale tests. Each child runs bot-process-entry.ts
 * (Switchboard as `npm start` runs it) in Slack HTTP mode on 127.0.0.1, against a
 * database, a fake Slack and a fake OpenAI that the test owns, so its memory, its
 * connection pool and its unhandled rejections are its own.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from './free-port';

/** The signing secret every bot process verifies Slack's requests with. */
export const BOT_SIGNING_SECRET = 'scale-test-signing-secret';

const ENTRY = join(__dirname, 'bot-process-entry.ts');
const STOP_GRACE_MS = 5_000;
const STATS_TIMEOUT_MS = 10_000;
const KEPT_ERROR_LINES = 100;
const KEPT_OUTPUT_CHARS = 20_000;

/** Where a bot process finds its database, Slack and model. */
export interface BotProcessOptions {
  readonly databaseUrl: string;
  readonly slackApiUrl: string;
  readonly openAiBaseUrl: string;
  /** More environment (e.g. DATABASE_POOL_MAX); wins over the defaults set here. */
  readonly env?: Record<string, string>;
  /** How long start-up may take. Default 30 s (tsx compiles the whole app first). */
  readonly readyTimeoutMs?: number;
}

/** The IPC question the child answers. */
export interface StatsRequest {
  readonly type: 'stats';
  /** Run a full GC first, so `heapUsed` counts only what is still reachable. */
  readonly gc: boolean;
}

/** The child's answer. */
export interface BotStats {
  readonly type: 'stats';
  /** Whether a GC ran before measuring. */
  readonly collected: boolean;
  readonly heapUsed: number;
  /** One stack (or reason) per unhandled rejection since start. */
  readonly unhandledRejections: string[];
}

/** A running bot process. */
export interface BotProcess {
  /** The Slack endpoint: events, clicks and slash commands all go here. */
  readonly eventsUrl: string;
  /** Heap used (after a full GC when `gc`) and the unhandled rejections seen so far. */
  stats(options?: { gc?: boolean }): Promise<BotStats>;
  /** The log lines at level error or above written so far (the first 100). */
  errorLogs(): Record<string, unknown>[];
  /** Kills the process at once (SIGKILL), as a crash or an OOM kill would, and waits for it to go. */
  crash(): Promise<void>;
}

/**
 * The bot processes of one test file. Every child is tracked from the moment it is forked,
 * so `stopAll()` in afterAll ends them even when start-up or the test failed half-way.
 */
export class BotProcesses {
  private readonly children = new Set<ChildProcess>();

  /** Forks a bot on a free port and waits until it listens. */
  async start(options: BotProcessOptions): Promise<BotProcess> {
    const port = await freePort();
    const child = fork(ENTRY, [], {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      env: botEnv(options, port),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.children.add(child);
    const output = collectOutput(child);
    await nextMessage(child, 'ready', options.readyTimeoutMs ?? 30_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${output.tail()}`);
    });
    return {
      eventsUrl: `http://127.0.0.1:${port}/slack/events`,
      stats: async ({ gc = false } = {}) => {
        const answer = nextMessage(child, 'stats', STATS_TIMEOUT_MS);
        child.send({ type: 'stats', gc } satisfies StatsRequest);
        return (await answer) as BotStats;
      },
      errorLogs: () => output.errors,
      crash: async () => {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
        this.children.delete(child);
      },
    };
  }

  /** SIGTERM to every child, SIGKILL to any still running 5 s later; waits until all have exited. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.children].map(stop));
    this.children.clear();
  }
}

/** A clean environment: nothing from the developer's shell switches on Discord, MCP or a real Slack. */
function botEnv(options: BotProcessOptions, port: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: 'warn',
    DATABASE_URL: options.databaseUrl,
    MIGRATE_ON_START: 'false',
    SLACK_BOT_TOKEN: 'xoxb-scale-test',
    SLACK_SIGNING_SECRET: BOT_SIGNING_SECRET,
    SLACK_API_URL: options.slackApiUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    OPENAI_API_KEY: 'scale-test-key',
    OPENAI_BASE_URL: options.openAiBaseUrl,
    OPENAI_MAX_RETRIES: '0',
    ...options.env,
  };
}

/** Reads the child's pino lines (keeping those at error level and above) and the tail of everything else. */
function collectOutput(child: ChildProcess): { errors: Record<string, unknown>[]; tail: () => string } {
  const errors: Record<string, unknown>[] = [];
  let other = '';
  const keep = (text: string) => {
    other = (other + text).slice(-KEPT_OUTPUT_CHARS);
  };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const parsed = parseJson(line);
    if (!parsed) return keep(`${line}\n`);
    if (Number(parsed.level) >= 50 && errors.length < KEPT_ERROR_LINES) errors.push(parsed);
  });
  child.stderr!.on('data', (chunk: Buffer) => keep(chunk.toString()));
  return { errors, tail: () => other };
}

function parseJson(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Resolves with the child's next IPC message of `type`; rejects if it exits or stays silent for `timeoutMs`. */
function nextMessage(child: ChildProcess, type: string, timeoutMs: number): Promise<unknown> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.reject(new Error(`bot process ${child.pid} has exited (${child.signalCode ?? child.exitCode})`));
  }
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if ((message as { type?: string }).type === type) done(null, message);
    };
    const onExit = (code: number | null, signal: string | null) => done(new Error(`bot process ${child.pid} exited (${signal ?? code}) before '${type}'`));
    const timer = setTimeout(() => done(new Error(`bot process ${child.pid} sent no '${type}' within ${timeoutMs} ms`)), timeoutMs);
    const done = (error: Error | null, message?: unknown) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
