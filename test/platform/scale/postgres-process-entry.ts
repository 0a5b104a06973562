/**
 * The child side of restartable-postgres.ts: owns one embedded Postgres (the package is
 * ESM-only, which jest's CommonJS runtime cannot load) and starts or stops it when the test
 * asks over IPC. Run with `node --import tsx`, arguments: data folder, port, database name.
 */
import { startEmbeddedPostgres, type RunningPostgres } from '../../../src/db/embedded-postgres';
import type { PostgresCommand, PostgresReply } from './restartable-postgres';

const [dataDir, port, database] = process.argv.slice(2) as [string, string, string];
let running: RunningPostgres | null = null;
let baseUrl = '';

async function obey(command: PostgresCommand): Promise<PostgresReply> {
  if (command.type === 'start' && !running) {
    running = await startEmbeddedPostgres({ dataDir, port: Number(port) });
    await running.createDatabase(database);
    baseUrl = running.baseUrl;
  } else if (command.type === 'stop' && running) {
    await running.stop();
    running = null;
  }
  return { id: command.id, ok: true, baseUrl };
}

process.on('message', (command: PostgresCommand) => {
  void obey(command).then(
    (reply) => process.send?.(reply),
    (error: unknown) => process.send?.({ id: command.id, ok: false, error: String(error) }),
  );
});
// The test went away without closing us (a killed jest worker): stop the server too.
process.once('disconnect', () => void (running?.stop() ?? Promise.resolve()).finally(() => process.exit(0)));
