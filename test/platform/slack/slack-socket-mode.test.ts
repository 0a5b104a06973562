/**
 * Socket Mode and start-up: the same adapter over a WebSocket instead of HTTP, and a
 * refused token stopping start-up with a message that names the variable.
 */
import { SlackAdapter } from '../../../src/adapters/slack/slack-adapter';
import { ConfigError } from '../../../src/core/errors';
import { chatAnswer, startFakeOpenAi, type FakeOpenAi } from '../../fakes/fake-openai';
import { appMentionEvent, startFakeSlack, type FakeSlack } from '../../fakes/fake-slack';
import { buildCore, memoryLogger } from '../../support/core-harness';
import { rows } from '../../support/db-rows';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { startFakeSocketMode, type FakeSocketMode } from './fake-socket-mode';
import { holdMessageInserts } from './held-inserts';
import { BOT_TOKEN, eventually } from './slack-harness';

let slack: FakeSlack;
let llm: FakeOpenAi;
let db: TestDatabase;
beforeAll(async () => {
  [slack, llm, db] = await Promise.all([startFakeSlack(), startFakeOpenAi(), createTestDatabase()]);
});
afterAll(async () => {
  await Promise.all([slack.close(), llm.close()]);
  await db.close();
});

describe('Slack in Socket Mode', () => {
  let socket: FakeSocketMode;
  let adapter: SlackAdapter;
  beforeAll(async () => {
    socket = await startFakeSocketMode(slack.apiUrl);
    adapter = new SlackAdapter({ botToken: BOT_TOKEN, appToken: 'xapp-socket-test', apiUrl: socket.apiUrl, http: { port: 0, host: '127.0.0.1' }, retryConfig: { retries: 0 }, log: memoryLogger().log });
    // A store deadline no held insert below comes near: these tests are about order, not time.
    const harness = buildCore({ db, platforms: [adapter], openAiBaseUrl: llm.baseUrl, settings: { storeTimeoutMs: 10_000 } });
    const started = await adapter.start(harness.core);
    expect(started.port).toBeNull();
    await socket.connected();
  });
  afterAll(async () => {
    await adapter.stop();
    await socket.close();
  });

  test('connects with the app token, acks a mention without waiting for the model and answers in its thread', async () => {
    llm.script('chat', chatAnswer('Hello over the socket.'));
    // The model is held until the ack is in: an ack that waited for the model would never come.
    const release = llm.hold();

    await socket.send('events_api', appMentionEvent({ channel: 'CSOCK1', user: 'U1', text: '<@U_BOT> hi', ts: '1600003000.000100' })).finally(release);

    expect(socket.appTokens).toEqual(['xapp-socket-test']);
    const reply = await eventually(() => slack.callsOf('chat.postMessage').find((c) => c.params.channel === 'CSOCK1'));
    expect(reply.params).toMatchObject({ thread_ts: '1600003000.000100', text: 'Hello over the socket.' });
  });

  test('a mention is acked only once its message is stored', async () => {
    llm.script('chat', chatAnswer('Stored, then acked.'));
    const held = await holdMessageInserts(db.orm);

    const delivery = socket.deliver('events_api', appMentionEvent({ channel: 'CSOCK3', user: 'U1', text: '<@U_BOT> keep this', ts: '1600003003.000100' }));
    await held.insertWaiting();
    const ackedWhileInsertWaited = delivery.acked();
    await held.release();
    await delivery.ack;

    expect(ackedWhileInsertWaited).toBe(false);
    const [row] = await rows<{ text: string }>(db.orm, `select text from message where platform_message_id = '1600003003.000100'`);
    expect(row).toEqual({ text: 'keep this' });
    await eventually(() => slack.callsOf('chat.postMessage').find((c) => c.params.channel === 'CSOCK3' && c.params.text === 'Stored, then acked.'));
  });

  test('a slash command is acked over the socket and answered privately through its response URL', async () => {
    const fields = slack.slashCommand({ channel: 'CSOCK2', user: 'U1', command: '/context', text: '' });

    const release = slack.hold('response_url');
    await socket.send('slash_commands', fields).finally(release);

    const answer = await eventually(() => slack.callsOf('response_url').find((c) => c.path === new URL(fields.response_url!).pathname));
    expect(answer.params).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('remember nothing') });
  });
});

describe('starting the Slack adapter', () => {
  test('a token Slack refuses stops start-up with a ConfigError naming SLACK_BOT_TOKEN', async () => {
    slack.failNext('auth.test', { error: 'invalid_auth' });
    const adapter = new SlackAdapter({ botToken: 'xoxb-revoked', signingSecret: 's', apiUrl: slack.apiUrl, http: { port: 0, host: '127.0.0.1' }, retryConfig: { retries: 0 }, log: memoryLogger().log });
    const harness = buildCore({ db, platforms: [adapter] });

    const start = adapter.start(harness.core);

    await expect(start).rejects.toBeInstanceOf(ConfigError);
    await expect(start).rejects.toThrow('SLACK_BOT_TOKEN: Slack refused the token (invalid_auth)');
  });

  test('neither a signing secret nor an app token is refused when the adapter is built', () => {
    expect(() => new SlackAdapter({ botToken: BOT_TOKEN, http: { port: 0, host: '127.0.0.1' }, log: memoryLogger().log })).toThrow('SLACK_SIGNING_SECRET');
  });
});
