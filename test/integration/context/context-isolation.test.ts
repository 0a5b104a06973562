import { CLEAR_CONTEXT_CONFIRM_ACTION } from '../../../src/core/model/action-ids';
import { chatAnswer, startFakeOpenAi, type FakeOpenAi, type RecordedCompletion } from '../../fakes/fake-openai';
import { buildCore } from '../../support/core-harness';
import { RecordingPlatform } from '../../support/recording-platform';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { buttonsOf, factRows, factsAnswer } from './context-support';

let db: TestDatabase;
let llm: FakeOpenAi;
beforeAll(async () => {
  db = await createTestDatabase();
  llm = await startFakeOpenAi();
  // Each workspace's extraction learns its own cloud from what it was told.
  llm.fallback((r) => {
    if (r.purpose !== 'context_extraction') return chatAnswer('ok');
    const cloud = newMessages(r).match(/\b(GCP|Azure)\b/)?.[1];
    return cloud ? factsAnswer({ type: 'technology', key: 'cloud', value: `Runs on ${cloud}` }) : factsAnswer();
  });
});
afterAll(async () => {
  await llm.close();
  await db.close();
});

/** The part of an extraction prompt facts are taken from. */
const newMessages = (r: RecordedCompletion) => r.prompt.slice(r.prompt.indexOf('NEW messages:'));

/** One core serving two Slack workspaces whose channels (and threads) have the same ids. */
function twoWorkspaces() {
  const platform = new RecordingPlatform('slack');
  const harness = buildCore({ orm: db.orm, platforms: [platform], openAiBaseUrl: llm.baseUrl, extractContext: { quietMs: 200 } });
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
    const { harness, acme, globex, say, context } = twoWorkspaces();
    const before = llm.requests.length;
    // Both arrive inside one quiet spell: they must still be two batches, one per workspace.
    await say(acme, 'we run everything on GCP', 'alice');
    await say(globex, 'we run everything on Azure', 'carol');
    await harness.extractor!.idle();

    const extractions = llm.requests.slice(before).filter((r) => r.purpose === 'context_extraction');
    expect(extractions).toHaveLength(2);
    const acmeExtraction = extractions.find((r) => r.prompt.includes('GCP'))!;
    const globexExtraction = extractions.find((r) => r.prompt.includes('Azure'))!;
    expect(acmeExtraction.prompt).not.toContain('Azure');
    expect(acmeExtraction.prompt).not.toContain('carol');
    expect(globexExtraction.prompt).not.toContain('GCP');
    expect(globexExtraction.prompt).not.toContain('alice');

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
    await harness.extractor!.idle();
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
