import { chatAnswer, startFakeOpenAi, type FakeOpenAi } from '../../fakes/fake-openai';
import { buildCore } from '../../support/core-harness';
import { RecordingPlatform } from '../../support/recording-platform';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { peakInFlight } from '../../platform/scale/scale-kit';

let db: TestDatabase;
let llm: FakeOpenAi;
beforeAll(async () => {
  db = await createTestDatabase();
  llm = await startFakeOpenAi();
});
afterAll(async () => {
  await llm.close();
  await db.close();
});

describe('context extraction as background work', () => {
  it('runs at most two extractions at once when many conversations go quiet together', async () => {
    const conversations = 8;
    llm.fallback((request) => (request.purpose === 'intent' ? chatAnswer('ok') : { json: { facts: [] }, delayMs: 150 }));
    const harness = buildCore({ orm: db.orm, platforms: [new RecordingPlatform('slack')], openAiBaseUrl: llm.baseUrl, extractContext: { quietMs: 10, maxConcurrent: 2 } });
    await Promise.all(
      Array.from({ length: conversations }, (_, i) =>
        harness.core.handleMessage({
          where: { platform: 'slack', workspace: 'T-bg', channel: `C-bg-${i}`, thread: '1.0' },
          messageId: `bg-${i}`,
          author: { id: 'U1', name: 'alice' },
          text: `we deploy service ${i} on fridays`,
        }),
      ),
    );
    await harness.extractor!.idle();
    const extractions = llm.requestsFor('context_extraction');
    expect(extractions).toHaveLength(conversations);
    expect(peakInFlight(extractions)).toBe(2);
  });
});
