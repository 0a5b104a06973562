/**
 * Proves the fake Slack behaves like Slack for the real clients: @slack/web-api's WebClient
 * calling out, and a real Bolt App in HTTP mode receiving signed requests.
 */
import type { AddressInfo } from 'node:net';
import { App, LogLevel, type Logger } from '@slack/bolt';
import { ErrorCode, WebClient, type WebClientOptions } from '@slack/web-api';
import {
  appMentionEvent,
  messageEvent,
  sendCommand,
  sendEvent,
  sendInteraction,
  startFakeSlack,
  type FakeSlack,
} from '../fakes/fake-slack';

/** A logger that keeps lines instead of printing them, so expected warnings do not clutter test output. */
function quietLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (...msg: unknown[]) => void lines.push(`${level} ${msg.map(String).join(' ')}`);
  return {
    lines,
    debug: () => undefined,
    info: keep('info'),
    warn: keep('warn'),
    error: keep('error'),
    setLevel: () => undefined,
    getLevel: () => LogLevel.DEBUG,
    setName: () => undefined,
  };
}

const button = (text: string, value = 'v', actionId = 'approve') => ({
  type: 'button',
  text: { type: 'plain_text', text },
  action_id: actionId,
  value,
});
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('the fake Slack Web API, called by the real WebClient', () => {
  let fake: FakeSlack;
  const client = (options: WebClientOptions = {}): WebClient =>
    new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger(), ...options });

  beforeAll(async () => {
    fake = await startFakeSlack({ admins: ['U_ADMIN'], owners: ['U_OWNER'], usergroups: { S_OPS: ['U1', 'U2'] } });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  test('a posted message is recorded with its blocks parsed back into objects and gets increasing ts values', async () => {
    const blocks = [section('*Deploy?*'), { type: 'actions', block_id: 'decide', elements: [button('Approve')] }];

    const first = await client().chat.postMessage({ channel: 'C1', text: 'Deploy?', blocks });
    const second = await client().chat.postMessage({ channel: 'C1', text: 'again', thread_ts: first.ts });

    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(second.ts! > first.ts!).toBe(true);
    expect(first.message).toMatchObject({ text: 'Deploy?', bot_id: 'B_BOT', blocks });
    const [posted, reply] = fake.callsOf('chat.postMessage');
    expect(posted).toMatchObject({ params: { channel: 'C1', text: 'Deploy?', blocks }, token: 'xoxb-test', status: 200 });
    expect(reply?.params).toMatchObject({ thread_ts: first.ts });
  });

  test('auth.test names the bot user, bot and team that Bolt will read', async () => {
    await expect(client().auth.test()).resolves.toMatchObject({ ok: true, user_id: 'U_BOT', bot_id: 'B_BOT', team_id: 'T1' });
  });

  test('users.info, usergroups.users.list and conversations.info answer from the configured workspace', async () => {
    const slack = client();
    await expect(slack.users.info({ user: 'U_ADMIN' })).resolves.toMatchObject({ user: { id: 'U_ADMIN', is_admin: true } });
    await expect(slack.users.info({ user: 'U_OWNER' })).resolves.toMatchObject({ user: { is_admin: true, is_owner: true } });
    await expect(slack.users.info({ user: 'U9' })).resolves.toMatchObject({ user: { is_admin: false, is_owner: false } });
    await expect(slack.usergroups.users.list({ usergroup: 'S_OPS' })).resolves.toMatchObject({ users: ['U1', 'U2'] });
    await expect(slack.conversations.info({ channel: 'D1' })).resolves.toMatchObject({ channel: { id: 'D1', is_im: true } });
  });

  test('a scripted 429 is honoured: the client waits Retry-After, retries and succeeds', async () => {
    fake.failNext('chat.update', { status: 429, retryAfter: 1 });
    const started = Date.now();

    const slack = client({ retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } });
    await slack.chat.update({ channel: 'C1', ts: '1700000000.000100', text: 'edited' });

    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.callsOf('chat.update').map((call) => call.status)).toEqual([429, 200]);
  });

  test('a client that rejects rate-limited calls sees the Retry-After seconds at once', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });

    const attempt = client({ rejectRateLimitedCalls: true }).chat.postMessage({ channel: 'C1', text: 'hi' });

    await expect(attempt).rejects.toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
  });

  test('with retries: 0 a 429 still pauses for Retry-After, then fails as a request error', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const started = Date.now();

    await expect(client().chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toMatchObject({ code: ErrorCode.RequestError });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  test('scripted ok:false and HTTP 500 answers reach the caller as the matching errors, for the next N calls only', async () => {
    fake.failNext('chat.postMessage', { error: 'channel_not_found' }, 2);
    fake.failNext('reactions.add', { status: 500 });
    const slack = client();

    for (let i = 0; i < 2; i += 1) {
      await expect(slack.chat.postMessage({ channel: 'C404', text: 'hi' })).rejects.toMatchObject({
        code: ErrorCode.PlatformError,
        data: { error: 'channel_not_found' },
      });
    }
    await expect(slack.chat.postMessage({ channel: 'C1', text: 'hi' })).resolves.toMatchObject({ ok: true });
    await expect(slack.reactions.add({ channel: 'C1', timestamp: '1.2', name: 'eyes' })).rejects.toMatchObject({
      code: ErrorCode.HTTPError,
      statusCode: 500,
    });
    expect(fake.callsOf('chat.postMessage').map((call) => call.error)).toEqual(['channel_not_found', 'channel_not_found', undefined]);
  });

  const overLimit: Array<[string, Record<string, unknown>]> = [
    ['51 blocks', { blocks: Array.from({ length: 51 }, () => section('x')) }],
    ['section text of 3001 chars', { blocks: [section('x'.repeat(3001))] }],
    ['header text of 151 chars', { blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] }],
    ['26 buttons in one actions block', { blocks: [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button('b', 'v', `a${i}`)) }] }],
    ['button text of 76 chars', { blocks: [{ type: 'actions', elements: [button('b'.repeat(76))] }] }],
    ['button value of 2001 chars', { blocks: [{ type: 'actions', elements: [button('b', 'v'.repeat(2001))] }] }],
    ['action_id of 256 chars', { blocks: [{ type: 'actions', elements: [button('b', 'v', 'a'.repeat(256))] }] }],
    ['block_id of 256 chars', { blocks: [{ ...section('x'), block_id: 'b'.repeat(256) }] }],
  ];

  test.each(overLimit)('a message with %s is refused as invalid_blocks and recorded with the reason', async (_name, content) => {
    const attempt = client().chat.postMessage({ channel: 'C1', text: 'fallback', ...content } as never);

    await expect(attempt).rejects.toMatchObject({ code: ErrorCode.PlatformError, data: { error: 'invalid_blocks' } });
    const [refused] = fake.callsOf('chat.postMessage');
    expect(refused?.error).toBe('invalid_blocks');
    expect(refused?.problems?.length).toBeGreaterThan(0);
  });

  test('content exactly at every limit is accepted, so the checks are not stricter than Slack', async () => {
    const elements = Array.from({ length: 25 }, (_, i) => button('b'.repeat(75), 'v'.repeat(2000), `${i}`.padEnd(255, 'a')));
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(150) } },
      { ...section('x'.repeat(3000)), block_id: 'b'.repeat(255) },
      { type: 'actions', elements },
      ...Array.from({ length: 47 }, () => section('x')),
    ];

    await expect(client().chat.update({ channel: 'C1', ts: '1.2', text: 't'.repeat(40000), blocks })).resolves.toMatchObject({ ok: true });
  });

  test('text over 40,000 chars is msg_too_long and a message with neither text nor blocks is no_text', async () => {
    const slack = client();
    await expect(slack.chat.postMessage({ channel: 'C1', text: 't'.repeat(40001) })).rejects.toMatchObject({ data: { error: 'msg_too_long' } });
    await expect(slack.chat.postEphemeral({ channel: 'C1', user: 'U1' } as never)).rejects.toMatchObject({ data: { error: 'no_text' } });
    expect(fake.calls.map((call) => [call.method, call.error])).toEqual([
      ['chat.postMessage', 'msg_too_long'],
      ['chat.postEphemeral', 'no_text'],
    ]);
  });

  test('waitForCalls fails after its timeout, naming the methods that did arrive', async () => {
    await client().auth.test();

    await expect(fake.waitForCalls('chat.update', 1, 50)).rejects.toThrow('methods seen: auth.test x1');
  });
});

describe('a real Bolt App in HTTP mode, driven by signed requests', () => {
  const signingSecret = 'test-signing-secret';
  let fake: FakeSlack;
  let app: App;
  let eventsUrl: string;

  beforeAll(async () => {
    fake = await startFakeSlack();
    app = new App({
      token: 'xoxb-test',
      signingSecret,
      logger: quietLogger(),
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    registerListeners(app);
    // HTTPReceiver.start takes node's listen options and resolves with the http.Server it created.
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterAll(async () => {
    await app.stop();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  test('an app_mention is acked at once and the listener replies in the thread through the fake', async () => {
    const mention = appMentionEvent({ channel: 'C1', user: 'U1', text: '<@U_BOT> deploy', ts: '1600000000.000500' });

    const response = await sendEvent(eventsUrl, signingSecret, mention);

    expect(response.status).toBe(200);
    const [reply] = await fake.waitForCalls('chat.postMessage', 1);
    expect(reply).toMatchObject({
      token: 'xoxb-test',
      params: { channel: 'C1', thread_ts: '1600000000.000500', text: 'heard: <@U_BOT> deploy' },
    });
  });

  test('a request signed with the wrong secret gets 401 and reaches no listener', async () => {
    const forged = await sendEvent(eventsUrl, 'not-the-secret', appMentionEvent({ channel: 'C1', user: 'U1', text: 'forged' }));
    // A genuine event afterwards is a barrier: once its reply arrives, a reply to the forged one would have too.
    await sendEvent(eventsUrl, signingSecret, appMentionEvent({ channel: 'C1', user: 'U1', text: 'genuine' }));

    expect(forged.status).toBe(401);
    const replies = await fake.waitForCalls('chat.postMessage', 1);
    expect(replies.map((call) => call.params.text)).toEqual(['heard: genuine']);
  });

  test('a correctly signed request whose timestamp is 6 minutes old is refused', async () => {
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;

    const response = await sendEvent(eventsUrl, signingSecret, appMentionEvent({ channel: 'C1', user: 'U1', text: 'replayed' }), {
      timestamp: sixMinutesAgo,
    });

    expect(response.status).toBe(401);
  });

  test('retry headers reach the listener as context.retryNum and retryReason', async () => {
    const message = messageEvent({ channel: 'D1', channelType: 'im', user: 'U1', text: 'hello' });

    await sendEvent(eventsUrl, signingSecret, message, { retryNum: 2, retryReason: 'http_timeout' });

    const [reply] = await fake.waitForCalls('chat.postMessage', 1);
    expect(reply?.params).toMatchObject({ channel: 'D1', text: 'retry 2 http_timeout' });
  });

  test('a button click reaches app.action, which answers through the recorded response_url and edits the message', async () => {
    const click = fake.blockActionPayload({ channel: 'C1', user: 'U2', actionId: 'approve', value: 'req-42', messageTs: '1700000000.000100' });

    const response = await sendInteraction(eventsUrl, signingSecret, click);

    expect(response.status).toBe(200);
    const [responded] = await fake.waitForCalls('response_url', 1);
    expect(responded?.params).toEqual({ replace_original: true, text: 'req-42 approved by U2' });
    expect(responded?.path).toBe(new URL(String(click.response_url)).pathname);
    const [edit] = await fake.waitForCalls('chat.update', 1);
    expect(edit?.params).toMatchObject({ channel: 'C1', ts: '1700000000.000100', text: 'req-42 approved by U2' });
  });

  test('a slash command reaches app.command, whose ack body is the HTTP response', async () => {
    const fields = fake.slashCommand({ channel: 'C1', user: 'U3', command: '/switchboard', text: 'forget that' });

    const response = await sendCommand(eventsUrl, signingSecret, fields);

    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ text: 'on it: forget that' });
    const [responded] = await fake.waitForCalls('response_url', 1);
    expect(responded?.params).toEqual({ response_type: 'ephemeral', text: 'done: forget that' });
  });
});

function registerListeners(app: App): void {
  app.event('app_mention', async ({ event, say }) => {
    await say({ text: `heard: ${event.text}`, thread_ts: event.ts });
  });
  app.event('message', async ({ event, context, client }) => {
    await client.chat.postMessage({ channel: event.channel, text: `retry ${context.retryNum} ${context.retryReason}` });
  });
  app.action('approve', async ({ ack, body, action, respond, client }) => {
    await ack();
    const value = action.type === 'button' ? action.value : '';
    const text = `${value} approved by ${body.user.id}`;
    await respond({ replace_original: true, text });
    if (body.type === 'block_actions' && body.channel && body.message) {
      await client.chat.update({ channel: body.channel.id, ts: body.message.ts, text });
    }
  });
  app.command('/switchboard', async ({ ack, command, respond }) => {
    await ack({ text: `on it: ${command.text}` });
    await respond({ response_type: 'ephemeral', text: `done: ${command.text}` });
  });
}
