import { userInfo } from 'node:os';
import { PassThrough } from 'node:stream';
import { loadConfig } from '../../../src/config/config';
import { createLogger } from '../../../src/logging/logger';
import { startSwitchboard } from '../../../src/main';
import { chatAnswer, startFakeOpenAi, type FakeOpenAi } from '../../fakes/fake-openai';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { factsAnswer, quietFallback } from './context-support';

let db: TestDatabase;
let llm: FakeOpenAi;
beforeAll(async () => {
  db = await createTestDatabase();
  llm = await startFakeOpenAi();
  quietFallback(llm);
});
afterAll(async () => {
  await llm.close();
  await db.close();
});

/** One run of the real app with a console on piped streams, from start to stop; returns what it printed. */
async function consoleRun(lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (c: Buffer) => (shown += c.toString()));
  const config = loadConfig({ DATABASE_URL: db.url, MIGRATE_ON_START: 'false', OPENAI_API_KEY: 'k', OPENAI_BASE_URL: llm.baseUrl });
  const app = await startSwitchboard(config, createLogger({ level: 'silent' }), { input, output });
  input.end(lines.map((l) => `${l}\n`).join(''));
  await app.consoleDone;
  await app.stop();
  return shown;
}

describe('context through the console', () => {
  it('shows a fact learned in one run in /context and in the prompt of the next run', async () => {
    llm.script('intent', chatAnswer('Noted, ArgoCD on EKS.'));
    llm.script('context_extraction', factsAnswer({ type: 'technology', key: 'deploy_tool', value: 'ArgoCD to EKS' }));
    const first = await consoleRun(['we deploy everything with ArgoCD to EKS']);
    expect(first).toContain('Noted, ArgoCD on EKS.');

    llm.script('intent', chatAnswer('With ArgoCD, as usual.'));
    const second = await consoleRun(['/context', 'how do we deploy the new service?']);
    expect(second).toMatch(new RegExp(`\\(only you\\) \\*technology\\*\\n\\(only you\\) • deploy_tool: ArgoCD to EKS \\(learned from ${userInfo().username || 'you'}, \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\)`));
    expect(llm.requestsFor('intent').at(-1)!.prompt).toContain('- deploy_tool: ArgoCD to EKS');
  });
});
