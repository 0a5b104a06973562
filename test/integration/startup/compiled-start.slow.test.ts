/**
 * `npm start` on a fresh checkout: it compiles src/ and migrations/ into dist/, migrates the
 * database from the compiled migrations and runs the compiled app; a second start reuses
 * dist/; and with the TypeScript sources gone it still runs, so what runs is the JavaScript.
 * The checkout is a copy of the repository's tracked sources in a temporary folder, sharing
 * its node_modules.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rows } from '../../support/db-rows';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

/** tsc compiles the whole app: on two busy cores that can take a minute. */
jest.setTimeout(240_000);

const ROOT = join(__dirname, '..', '..', '..');
const SOURCES = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts', 'src', 'migrations'];

let checkout: string;
let db: TestDatabase;
beforeAll(async () => {
  checkout = mkdtempSync(join(tmpdir(), 'switchboard-checkout-'));
  for (const source of SOURCES) cpSync(join(ROOT, source), join(checkout, source), { recursive: true });
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(checkout, 'node_modules'));
  db = await createTestDatabase({ migrated: false });
});
afterAll(async () => {
  rmSync(checkout, { recursive: true, force: true });
  await db.close();
});

/** `echo /help | npm start` in the checkout; resolves with its exit code and output. */
function npmStart(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('npm', ['start'], {
    cwd: checkout,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: db.url, LOG_LEVEL: 'warn' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end('/help\n');
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('npm start on a fresh checkout', () => {
  test('builds dist/, migrates from the compiled migrations and answers from the compiled app', async () => {
    const first = await npmStart();

    expect(first).toMatchObject({ code: 0, stdout: expect.stringContaining('!help — lists the commands') });
    expect(first.stderr).toContain('building dist/');
    expect(existsSync(join(checkout, 'dist', 'src', 'main.js'))).toBe(true);
    expect(existsSync(join(checkout, 'dist', 'src', 'bundle', 'main.js'))).toBe(true);
    expect(existsSync(join(checkout, 'dist', 'migrations'))).toBe(true);
    const applied = await rows<{ name: string }>(db.orm, 'select name from mikro_orm_migrations order by name');
    const committed = readdirSync(join(ROOT, 'migrations')).filter((f) => /^Migration\w+\.ts$/.test(f)).map((f) => f.replace(/\.ts$/, ''));
    expect(applied.map((m) => m.name)).toEqual(committed.sort());
  });

  test('starts again without building, and runs with the TypeScript sources removed', async () => {
    const again = await npmStart();
    rmSync(join(checkout, 'src'), { recursive: true });
    const withoutSources = await npmStart();

    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining('!help — lists the commands') });
    expect(again.stderr).not.toContain('building dist/');
    expect(withoutSources).toMatchObject({ code: 0, stdout: expect.stringContaining('!help — lists the commands') });
  });
});
