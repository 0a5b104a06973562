import { chatAnswer } from '../../fakes/fake-openai';
import { buildCore } from '../../support/core-harness';
import { RecordingPlatform } from '../../support/recording-platform';
import { peakInFlight } from '../../platform/scale/scale-kit';
import { useDatabaseAndModel } from '../../support/database-and-model';

const services = useDatabaseAndModel();

describe('context extraction as background work', () => {
  it('runs at most two extractions at once when many conversations go quiet together', async () => {
    const conversations = 8;
    services.llm.fallback((request) => (request.purpose === 'chat' ? chatAnswer('ok') : { json: { facts: [] }, delayMs: 150 }));
    const harness = buildCore({ orm: services.db.orm, platforms: [new RecordingPlatform('slack')], openAiBaseUrl: services.llm.baseUrl, extractContext: { quietMs: 10, maxConcurrent: 2 } });
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
    const extractions = services.llm.requestsFor('context_extraction');
    expect(extractions).toHaveLength(conversations);
    expect(peakInFlight(extractions)).toBe(2);
  });
});
