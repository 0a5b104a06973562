import { PassThrough } from 'node:stream';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { startSwitchboard } from '../../src/app';

/**
 * One whole console session of the real app, as `npm start` runs it with piped input:
 * starts on `databaseUrl` (already migrated) with `env`, types `lines`, waits for the
 * input to be handled and the runs it started to end, stops, and returns what the
 * terminal showed.
 */
export async function consoleSession(databaseUrl: string, lines: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (c: Buffer) => (shown += c.toString()));
  const config = loadConfig({ DATABASE_URL: databaseUrl, MIGRATE_ON_START: 'false', ...env });
  const app = await startSwitchboard(config, createLogger({ level: 'silent' }), { input, output });
  input.end(lines.map((l) => `${l}\n`).join(''));
  await app.consoleDone;
  await app.stop();
  return shown;
}
