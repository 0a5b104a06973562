/** Stopping does not wait out a backlog: a deploy's kill timeout must not be outlived. */
import { SlackAdapter } from '../../../src/adapters/slack/slack-adapter';
import { chatAnswer, startFakeOpenAi } from '../../fakes/fake-openai';
import { appMentionEvent, sendEvent, startFakeSlack } from '../../fakes/fake-slack';
import { buildCore, memoryLogger } from '../../support/core-harness';
import { rows } from '../../support/db-rows';
import { createTestDatabase } from '../../support/test-database';
import { BOT_TOKEN, SIGNING_SECRET, eventually } from './slack-harness';

test('stop() returns after its grace while a turn still waits for the model, and the message is already stored', async () => {
  const [slack, llm, db] = await Promise.all([startFakeSlack(), startFakeOpenAi(), createTestDatabase()]);
  llm.fallback(() => chatAnswer('late'));
  const release = llm.hold();
  const { log, lines } = memoryLogger();
  const adapter = new SlackAdapter({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: slack.apiUrl, http: { port: 0, host: '127.0.0.1' }, retryConfig: { retries: 0 }, stopGraceMs: 100, log });
  const harness = buildCore({ db, platforms: [adapter], openAiBaseUrl: llm.baseUrl, log });
  try {
    const { port } = await adapter.start(harness.core);
    await sendEvent(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET, appMentionEvent({ channel: 'CSTOP', user: 'U1', text: '<@U_BOT> slow one' }));
    await eventually(() => (llm.requests.length > 0 ? true : undefined));

    // The model is held until after stop() returns: a stop that waited for the turn would never return.
    await adapter.stop();

    expect(lines().some((l) => l.msg === 'stopped with turns still under way; their messages are stored' && l.unfinished === 1)).toBe(true);
    const stored = await rows<{ text: string }>(db.orm, `select text from message where role = 'user'`);
    expect(stored).toEqual([{ text: 'slow one' }]);
  } finally {
    release();
    await new Promise((r) => setTimeout(r, 200));
    await Promise.all([slack.close(), llm.close()]);
    await db.close();
  }
});
