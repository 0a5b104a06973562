/**
 * The child side of bot-process.ts: Switchboard started as `npm start` starts it
 * (startSwitchboard over loadConfig(process.env)), talking to the test over IPC: 'ready'
 * once it listens, and on request its heap and the unhandled rejections it has seen.
 * Run with `node --import tsx --expose-gc`.
 */
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { startSwitchboard } from '../../src/app';
import type { BotStats, StatsRequest } from './bot-process';

/** The longest a stop may take before the process just exits. */
const STOP_LIMIT_MS = 5_000;

const rejections: string[] = [];
// Counted, not fatal: the test reports every one, where Node's default would end the process at the first.
process.on('unhandledRejection', (reason) => {
  rejections.push(reason instanceof Error ? (reason.stack ?? reason.message) : String(reason));
});

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await startSwitchboard(config, createLogger({ level: config.logLevel }));
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Stopping waits for the work under way, which can be long when the fakes it talks to are gone.
    setTimeout(() => process.exit(1), STOP_LIMIT_MS).unref();
    void app.stop().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  // The test runner went away without stopping us (a killed jest worker): go too.
  process.once('disconnect', stop);
  process.on('message', (message: StatsRequest) => {
    if (message.type === 'stats') void stats(message.gc).then((answer) => process.send?.(answer));
  });
  process.send?.({ type: 'ready' });
}

async function stats(gc: boolean): Promise<BotStats> {
  // global.gc exists under --expose-gc, which bot-process.ts always passes.
  if (gc && global.gc) {
    // Twice, with a turn of the event loop between: the first pass queues finalizers that free more in the second.
    global.gc();
    await new Promise((resolve) => setImmediate(resolve));
    global.gc();
  }
  return { type: 'stats', collected: gc && Boolean(global.gc), heapUsed: process.memoryUsage().heapUsed, unhandledRejections: [...rejections] };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
