import { CLEAR_CONTEXT_CONFIRM_ACTION } from '../../../src/core/model/action-ids';
import { chatAnswer, startFakeOpenAi, type FakeOpenAi, type RecordedCompletion } from '../../fakes/fake-openai';
import { buildCore } from '../../support/core-harness';
import { RecordingPlatform } from '../../support/recording-platform';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { buttonsOf, factRows, rememberAnswer } from './context-support';

let db: TestDatabase;
let llm: FakeOpenAi;
beforeAll(async () => {
  db = await createTestDatabase();
  llm = await startFakeOpenAi();
  // The model remembers the cloud the newest message names, if it names one.
  llm.fallback((r) => {
    const cloud = newestMessage(r).match(/\b(GCP|Azure)\b/)?.[1];
    return cloud ? rememberAnswer('ok', { type: 'technology', key: 'cloud', value: `Runs on ${cloud}` }) : chatAnswer('ok');
  });
});
afterAll(async () => {
  await llm.close();
  await db.close();
});

/** The message a turn answers: the last of its prompt. */
const newestMessage = (r: RecordedCompletion) => r.body.messages.at(-1)?.content ?? '';

/** One core serving two Slack workspaces whose channels (and threads) have the same ids. */
function twoWorkspaces() {
  const platform = new RecordingPlatform('slack');
  const harness = buildCore({ db, platforms: [platform], openAiBaseUrl: llm.baseUrl, });
  const acme = { platform: 'slack' as const, workspace: 'T-ACME', channel: 'C-SHARED', thread: '1.0' };
  const globex = { ...acme, workspace: 'T-GLOBEX' };
  let id = 0;
  const say = (where: typeof acme, text: string, name: string) =>
    harness.core.handleMessage({ where, messageId: `shared-${++id}`, author: { id: `U-${name}`, name }, text });
  const context = async (where: typeof acme, args: string) => {
    await harness.core.handleCommand({ where, user: { id: 'U-x', name: 'x' }, name: 'context', args });
    return platform.ephemerals().at(-1)!.message;
  };
  return { harness, platform, acme, globex, say, context };
}

describe('context isolation', () => {
  it('never shows one workspace the context of another, even with the same channel id', async () => {
    const { acme, globex, say, context } = twoWorkspaces();
    const before = llm.requests.length;
    await say(acme, 'we run everything on GCP', 'alice');
    await say(globex, 'we run everything on Azure', 'carol');

    const [acmeTurn, globexTurn] = llm.requests.slice(before);
    expect(acmeTurn!.prompt).not.toContain('Azure');
    expect(globexTurn!.prompt).not.toContain('GCP');
    expect(globexTurn!.prompt).not.toContain('alice');

    expect((await factRows(db.orm, acme)).map((f) => f.context_value)).toEqual(['Runs on GCP']);
    expect((await factRows(db.orm, globex)).map((f) => f.context_value)).toEqual(['Runs on Azure']);

    await say(globex, 'which cloud do we use?', 'carol');
    const globexIntent = llm.requestsFor('chat').at(-1)!.prompt;
    expect(globexIntent).toContain('cloud: Runs on Azure');
    expect(globexIntent).not.toContain('GCP');
    await say(acme, 'which cloud do we use?', 'alice');
    const acmeIntent = llm.requestsFor('chat').at(-1)!.prompt;
    expect(acmeIntent).toContain('cloud: Runs on GCP');
    expect(acmeIntent).not.toContain('Azure');

    expect((await context(acme, '')).text).toContain('cloud: Runs on GCP (learned from alice');
    expect((await context(acme, '')).text).not.toContain('Azure');
    expect((await context(globex, 'technology')).text).not.toContain('GCP');
  });

  it('forgets and clears in one workspace without touching the other', async () => {
    const { harness, acme, globex, context } = twoWorkspaces();
    for (const where of [acme, globex]) {
      await harness.deps.contexts.clearContext(where);
      await context(where, 'set project roadmap Q3 launch');
      await context(where, 'set project budget approved');
    }
    await context(globex, 'forget roadmap');
    const [forget] = buttonsOf(await context(globex, 'clear'));
    expect(forget!.actionId).toBe(CLEAR_CONTEXT_CONFIRM_ACTION);
    await harness.core.handleAction({ where: globex, messageId: 'm', actionId: forget!.actionId, value: forget!.value, user: { id: 'U-x', name: 'x' } });

    expect(await factRows(db.orm, globex)).toEqual([]);
    expect((await factRows(db.orm, acme)).map((f) => f.context_key)).toEqual(['budget', 'roadmap']);
  });
});
