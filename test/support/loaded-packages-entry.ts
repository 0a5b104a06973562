/**
 * Starts Switchboard as `npm start` would, with this process's environment, and answers over
 * IPC which npm packages that loaded (from require.cache), then stops. A console session gets
 * `/help` on its input first, so the whole path of one message has been taken.
 * Run with `node --import tsx`.
 */
import { PassThrough } from 'node:stream';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { startSwitchboard } from '../../src/app';

/** `discord.js` from …/node_modules/discord.js/src/index.js, `@slack/bolt` from …/node_modules/@slack/bolt/dist/App.js. */
function packageOf(path: string): string | null {
  const rest = path.split('/node_modules/').at(-1);
  if (rest === undefined || rest === path) return null;
  const [first, second] = rest.split('/');
  return first!.startsWith('@') ? `${first}/${second}` : first!;
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const input = new PassThrough();
  const app = await startSwitchboard(config, createLogger({ level: 'silent' }), { input, output: new PassThrough() });
  if (!config.slack && !config.discord) {
    input.end('/help\n');
    await app.consoleDone;
  }
  const packages = [...new Set(Object.keys(require.cache).map(packageOf))].filter((p) => p !== null).sort();
  await app.stop();
  process.send?.({ type: 'loaded', packages });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
