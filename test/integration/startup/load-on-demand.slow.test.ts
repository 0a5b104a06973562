/**
 * A process loads only the SDKs its configuration uses (#16): each start runs in a child
 * process of its own, which reports the npm packages it loaded.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { startFakeSlack, type FakeSlack } from '../../fakes/fake-slack';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

jest.setTimeout(90_000);

const ENTRY = join(__dirname, '..', '..', 'support', 'loaded-packages-entry.ts');

let db: TestDatabase;
let slack: FakeSlack;
beforeAll(async () => {
  [db, slack] = await Promise.all([createTestDatabase(), startFakeSlack()]);
});
afterAll(async () => {
  await slack.close();
  await db.close();
});

/** The packages a Switchboard started with `env` loaded. */
function packagesLoadedWith(env: Record<string, string>): Promise<string[]> {
  const child = fork(ENTRY, [], {
    execArgv: ['--import', 'tsx'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: db.url, MIGRATE_ON_START: 'false', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('message', (m: { type: string; packages: string[] }) => resolve(m.packages));
    child.on('exit', (code) => reject(new Error(`the child exited (${code}) without reporting\n${errors}`)));
  });
}

const OPTIONAL = ['discord.js', '@discordjs/ws', '@modelcontextprotocol/sdk', '@slack/socket-mode', '@slack/bolt', 'openai'];

describe('loading only what is configured', () => {
  test('a console-only process loads neither discord.js, the MCP SDK, Slack nor, without a model, openai', async () => {
    const loaded = await packagesLoadedWith({});

    expect(loaded).toEqual(expect.arrayContaining(['@mikro-orm/core', 'pg-boss', 'prom-client']));
    expect(loaded.filter((p) => OPTIONAL.includes(p))).toEqual([]);
  });

  test('a Slack-only process with a model loads Bolt, but neither discord.js nor the MCP SDK, and openai only at its first model call', async () => {
    const loaded = await packagesLoadedWith({
      SLACK_BOT_TOKEN: 'xoxb-on-demand',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: slack.apiUrl,
      OPENAI_API_KEY: 'on-demand',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
    });

    // Bolt's App module itself requires its Socket Mode receiver, so @slack/socket-mode comes along with Bolt.
    expect(loaded.filter((p) => OPTIONAL.includes(p)).sort()).toEqual(['@slack/bolt', '@slack/socket-mode']);
  });
});
