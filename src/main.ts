/**
 * The command line (`npm start`, `npm run dev`, each Discord shard process): reads .env,
 * parses the config (a bad variable exits 2), picks where logs go, sets the V8 heap flag,
 * spawns the Discord shards or starts the app (app.ts), and stops it on a signal or when
 * the console's input ends. With the migrate CLI, the only code that reads process.env.
 */
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import pino from 'pino';
import type { RunningShards } from './adapters/discord/sharding';
import { runsConsole, startSwitchboard } from './app';
import { loadConfig, type Config } from './config/config';
import { ConfigError, SwitchboardError } from './core/errors';
import { createLogger, type Logger } from './logging/logger';

/** discord.js's ShardingManager, loaded only when DISCORD_SHARDS asks for it (#16). */
const sharding = () => require('./adapters/discord/sharding') as typeof import('./adapters/discord/sharding');

/**
 * The root logger. The console chat shares stdout with the logs, so there they go to
 * LOG_FILE instead, and the first line the person sees says where.
 */
function rootLogger(config: Config): Logger {
  if (!runsConsole(config)) return createLogger({ level: config.logLevel });
  process.stdout.write(`Logs go to ${config.logFile} (level ${config.logLevel}).\n`);
  return createLogger({ level: config.logLevel, destination: pino.destination({ dest: config.logFile, mkdir: true }) });
}

/** The config from .env (when present) and the environment; a bad variable ends the process with status 2. */
function configFromEnvironment(): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig(process.env);
  } catch (error) {
    console.error(`Configuration error: ${error instanceof SwitchboardError ? error.message : String(error)}`);
    process.exit(2);
  }
}

/** Calls `stop` on each SIGINT or SIGTERM (a second Ctrl-C must not kill a stop under way). */
function onStopSignal(stop: (reason: string) => unknown): void {
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** `npm start`: starts, and stops cleanly on Ctrl-C, SIGTERM or the end of piped input. */
async function main(): Promise<void> {
  const config = configFromEnvironment();
  const log = rootLogger(config);
  if (config.discord?.shards !== undefined && !sharding().isShardProcess(process.env)) return runDiscordShards(config.discord.token, config.discord.shards, log);
  // A library promise nobody awaits (seen: Bolt's receiver on a signed body of JSON null)
  // must not stop every conversation: log it and go on; all state is in Postgres.
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
  const app = await startSwitchboard(config, log);
  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'stopping');
    await app.stop();
    process.exit(0);
  };
  onStopSignal(stop);
  await app.consoleDone;
  await stop('console input ended');
}

/**
 * With DISCORD_SHARDS this process only spawns and watches the shards: each shard is this
 * file again, running the whole app with one Discord client for its shard (see docs/discord.md).
 */
function runDiscordShards(token: string, shards: number | 'auto', log: Logger): void {
  const running: RunningShards = sharding().startShards({ token, shards, entry: __filename }, log.child({ module: 'shards' }));
  running.spawned.catch((err: unknown) => log.error({ err }, 'discord shards failed to start'));
  onStopSignal((reason) => {
    log.info({ reason }, 'stopping discord shards');
    running.stop();
    process.exit(0);
  });
}

/**
 * Under a burst V8 lets the old generation grow to several times what survived its last full
 * collection, and keeps it: a peak of about 290 MB for 45 MB alive. Growing it at most 2x
 * kept the peak near 200 MB at the same CPU per message (#16, bench/README.md). V8 reads the
 * flag at each collection, so setting it here, before the app loads, takes effect.
 */
const HEAP_GROWTH = '--heap-growing-percent=100';

/** Runs the app, and exits with a message when it cannot start: node dist/src/main.js (or its bundle), or scripts/start.js. */
export function run(): void {
  setFlagsFromString(HEAP_GROWTH);
  main().catch((error: unknown) => {
    console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : error);
    process.exit(error instanceof ConfigError ? 2 : 1);
  });
}

// By file name, not `require.main === module`: in the bundle `module` is the bundler's, not node's.
if (require.main?.filename === __filename) run();
