/**
 * `npm start` in a terminal: the chat and the logs would share stdout, so the logs go to
 * LOG_FILE and the first line says so. Runs src/main.ts as its own process, the way
 * `echo '/help' | npm start` does.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '..', '..', '..');
let db: TestDatabase;
let folder: string;
beforeAll(async () => {
  db = await createTestDatabase();
  folder = mkdtempSync(join(tmpdir(), 'switchboard-logs-'));
});
afterAll(async () => {
  await db?.close();
  rmSync(folder, { recursive: true, force: true });
});

/** Runs the app with `input` piped in until it stops by itself; resolves with what it printed. */
function runConsole(input: string, env: Record<string, string>): Promise<{ stdout: string; code: number | null }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      // Only what the test sets: no Slack or Discord token may leak in from the runner's environment.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const timer = setTimeout(() => child.kill(), 45_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ stdout, code });
    });
    child.stdin.end(input);
  });
}

const isJson = (line: string) => {
  try {
    return typeof JSON.parse(line) === 'object';
  } catch {
    return false;
  }
};

test('the first line says where the logs go, the chat shows no log lines, and the log file has them', async () => {
  const logFile = join(folder, 'nested', 'switchboard.log');

  const { stdout, code } = await runConsole('/help\n', { DATABASE_URL: db.url, MIGRATE_ON_START: 'false', LOG_FILE: logFile, LOG_LEVEL: 'info' });

  expect(code).toBe(0);
  const lines = stdout.split('\n');
  expect(lines[0]).toBe(`Logs go to ${logFile} (level info).`);
  expect(stdout).toContain('!run <tool> <json-args>');
  expect(lines.filter(isJson)).toEqual([]);
  const logged = readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { msg: string });
  expect(logged.map((line) => line.msg)).toEqual(expect.arrayContaining(['switchboard started', 'stopping', 'switchboard stopped']));
});
