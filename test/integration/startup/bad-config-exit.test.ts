/**
 * `npm start` with a bad variable, in the environment or in .env: the process stops before
 * opening anything, with status 2 and one line naming the variable. Runs src/main.ts as its
 * own process in a folder of its own, so that its .env is the one the test writes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '..', '..', '..');
const MAIN = join(ROOT, 'src', 'main.ts');
const TSX = pathToFileURL(require.resolve('tsx', { paths: [ROOT] })).href;

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'switchboard-config-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** Runs main.ts in `folder` with only `env` set, to its end; its status and what it wrote to stderr. */
function start(env: Record<string, string>): { code: number | null; stderr: string } {
  const child = spawnSync(process.execPath, ['--import', TSX, MAIN], {
    cwd: folder,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    timeout: 45_000,
  });
  return { code: child.status, stderr: child.stderr };
}

describe('starting with a bad variable', () => {
  it('exits with status 2 and a line naming the variable from the environment', () => {
    const { code, stderr } = start({ FOUR_EYES: 'maybe' });

    expect(code).toBe(2);
    expect(stderr.trim()).toBe('Configuration error: FOUR_EYES: expected true or false');
  });

  it('reads .env from the folder it starts in, and names a bad variable there too', () => {
    writeFileSync(join(folder, '.env'), 'OPENAI_TIMEOUT_MS=soon\n');

    const { code, stderr } = start({});

    expect(code).toBe(2);
    expect(stderr.trim()).toBe("Configuration error: OPENAI_TIMEOUT_MS: expected a whole number from 100 to 600000, got 'soon'");
  });
});
