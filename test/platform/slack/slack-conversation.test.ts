/**
 * Messages through the real Bolt HTTP receiver: who gets an answer, where it goes, and that
 * one Slack message is one turn however Slack delivers it.
 */
import { chatAnswer } from '../../fakes/fake-openai';
import { messageEvent } from '../../fakes/fake-slack';
import { eventually, startSlackHarness, type SlackHarness } from './slack-harness';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(() => h.close());

let n = 0;
const nextChannel = () => `CCONV${++n}`;
/** The texts stored in a channel, leaving out the barrier's own turn. */
const storedTexts = async (channel: string) => (await h.stored(channel)).map((r) => r.text).filter((t) => !t.includes('barrier-'));

describe('Slack conversations', () => {
  test('a mention is answered in its thread, with the mention stripped before the model sees it', async () => {
    const channel = nextChannel();
    h.answer('how is the deploy?', chatAnswer('All systems go.'));

    const ack = await h.mention({ channel, user: 'U1', text: 'how is the deploy?', ts: '1600000001.000100' });

    expect(ack.status).toBe(200);
    const reply = await eventually(() => h.callsIn(channel, 'chat.postMessage')[0]);
    expect(reply.params).toMatchObject({ thread_ts: '1600000001.000100', text: 'All systems go.' });
    expect(h.llm.requestsFor('chat').at(-1)!.prompt).toContain('how is the deploy?');
    expect(h.llm.requestsFor('chat').at(-1)!.prompt).not.toContain('<@U_BOT>');
    const stored = await eventually(async () => {
      const found = await h.stored(channel);
      return found.length === 2 ? found : undefined;
    });
    expect(stored).toEqual([
      expect.objectContaining({ role: 'user', text: 'how is the deploy?', thread_ref: '1600000001.000100', platform_message_id: '1600000001.000100' }),
      expect.objectContaining({ role: 'assistant', text: 'All systems go.', thread_ref: '1600000001.000100', platform_message_id: expect.any(String) }),
    ]);
  });

  test('a direct message is answered without a mention', async () => {
    h.answer('hello', chatAnswer('Hi there.'));

    await h.event(messageEvent({ channel: 'DCONV1', channelType: 'im', user: 'U1', text: 'hello', ts: '1600000002.000100' }));

    const reply = await eventually(() => h.callsIn('DCONV1', 'chat.postMessage')[0]);
    expect(reply.params).toMatchObject({ thread_ts: '1600000002.000100', text: 'Hi there.' });
  });

  test('a follow-up without a mention is answered in a thread the bot is in, and ignored (not stored) elsewhere', async () => {
    const channel = nextChannel();
    h.answer('start', chatAnswer('First answer.'));
    h.answer('and then?', chatAnswer('Second answer.'));
    await h.mention({ channel, user: 'U1', text: 'start', ts: '1600000003.000100' });
    await eventually(() => h.callsIn(channel, 'chat.postMessage')[0]);

    await h.event(messageEvent({ channel, user: 'U1', text: 'and then?', threadTs: '1600000003.000100', ts: '1600000003.000200' }));
    await h.event(messageEvent({ channel, user: 'U1', text: 'unrelated thread', threadTs: '1600000003.999900', ts: '1600000003.000300' }));
    await h.event(messageEvent({ channel, user: 'U1', text: 'chatter in the channel', ts: '1600000003.000400' }));

    const replies = await eventually(() => {
      const calls = h.callsIn(channel, 'chat.postMessage');
      return calls.length >= 2 ? calls : undefined;
    });
    expect(replies[1]!.params).toMatchObject({ thread_ts: '1600000003.000100', text: 'Second answer.' });
    await h.logged('message in a thread the bot is not part of ignored', { messageId: '1600000003.000300' });
    await h.barrier(channel);
    expect(await storedTexts(channel)).toEqual(['start', 'First answer.', 'and then?', 'Second answer.']);
  });

  test("bots, the bot's own messages, edits and deletions start no turn", async () => {
    const channel = nextChannel();
    await h.event(messageEvent({ channel, channelType: 'im', user: 'U_OTHER', botId: 'B_OTHER', text: '<@U_BOT> from a bot' }));
    await h.event(messageEvent({ channel, channelType: 'im', user: 'U_BOT', botId: 'B_BOT', text: 'my own words' }));
    await h.event(messageEvent({ channel, channelType: 'im', user: 'U1', subtype: 'message_changed', text: 'edited' }));
    await h.event(messageEvent({ channel, channelType: 'im', user: 'U1', subtype: 'message_deleted', text: '' }));

    await h.barrier(channel);

    expect(await storedTexts(channel)).toEqual([]);
    expect(h.llm.requestsFor('chat').filter((r) => /from a bot|my own words|edited/.test(r.prompt))).toEqual([]);
  });

  test('a mention that also arrives as a message event is one turn', async () => {
    const channel = nextChannel();
    h.answer('once please', chatAnswer('Once.'));
    const ts = '1600000005.000100';

    await h.mention({ channel, user: 'U1', text: 'once please', ts });
    await h.event(messageEvent({ channel, user: 'U1', text: '<@U_BOT> once please', ts }));

    // One source per case: the message event is dropped at the edge, not by the database's dedupe.
    await h.logged('Slack event ignored', { ts, why: 'a mention: handled as app_mention' });
    await eventually(() => h.callsIn(channel, 'chat.postMessage').find((c) => c.params.text === 'Once.'));
    await h.barrier(channel);
    expect(await storedTexts(channel)).toEqual(['once please', 'Once.']);
    expect(h.logLines().filter((l) => l.msg === 'redelivered message ignored' && l.messageId === ts)).toEqual([]);
  });

  test('the same message delivered three times (new event ids, with and without retry headers) is stored once and answered once', async () => {
    const channel = nextChannel();
    h.answer('dedupe me', chatAnswer('Just one reply.'));
    const ts = '1600000006.000100';

    const acks = await Promise.all([
      h.mention({ channel, user: 'U1', text: 'dedupe me', ts, eventId: 'EvA' }),
      h.mention({ channel, user: 'U1', text: 'dedupe me', ts, eventId: 'EvB' }, { retryNum: 1, retryReason: 'http_timeout' }),
      h.mention({ channel, user: 'U1', text: 'dedupe me', ts, eventId: 'EvC' }, { retryNum: 2, retryReason: 'http_error' }),
    ]);

    expect(acks.map((a) => a.status)).toEqual([200, 200, 200]);
    await eventually(() => (h.logLines().filter((l) => l.msg === 'redelivered message ignored' && l.messageId === ts).length === 2 ? true : undefined));
    await eventually(() => h.callsIn(channel, 'chat.postMessage').find((c) => c.params.text === 'Just one reply.'));
    await h.barrier(channel);
    expect(h.callsIn(channel, 'chat.postMessage').map((c) => c.params.text)).toEqual(['Just one reply.', expect.stringContaining('barrier-')]);
    expect((await h.stored(channel)).filter((r) => r.text === 'dedupe me')).toHaveLength(1);
  });

  test('a forged signature and a six-minute-old timestamp get 401 and store nothing', async () => {
    const channel = nextChannel();
    const forged = await h.event(messageEvent({ channel, channelType: 'im', user: 'U1', text: 'forged' }), { signature: 'v0=deadbeef' });
    const stale = await h.mention({ channel, user: 'U1', text: 'replayed' }, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });

    expect([forged.status, stale.status]).toEqual([401, 401]);
    await h.barrier(channel);
    expect(await storedTexts(channel)).toEqual([]);
  });

  test("Slack's check of the request URL, when an admin saves it, is answered with its challenge", async () => {
    const check = await h.event({ type: 'url_verification', token: 'fake-verification-token', challenge: 'c-123' });

    expect(check.status).toBe(200);
    expect(check.body).toContain('c-123');
  });

  test('events are acknowledged without waiting for the model', async () => {
    const channel = nextChannel();
    h.answer('take your time', chatAnswer('Slow but sure.'));
    // The model is held until the ack is in: an ack that waited for the model would never come.
    const release = h.llm.hold();

    const ack = await h.mention({ channel, user: 'U1', text: 'take your time' }).finally(release);

    expect(ack.status).toBe(200);
    const reply = await eventually(() => h.callsIn(channel, 'chat.postMessage')[0], 8000);
    expect(reply.params.text).toBe('Slow but sure.');
  });

  test('a 40,000-character answer arrives as one file holding all of it, plus one thread message Slack accepts', async () => {
    const channel = nextChannel();
    const paragraph = `${'lorem ipsum dolor sit amet '.repeat(36).trim()}\n\n`;
    const long = paragraph.repeat(Math.ceil(40_000 / paragraph.length)).slice(0, 40_000);
    h.answer('tell me everything', chatAnswer(long));

    await h.mention({ channel, user: 'U1', text: 'tell me everything', ts: '1600000009.000100' });

    // A bound, generous for a loaded machine: 40,000 characters streamed or posted in pieces.
    await eventually(() => (h.stored(channel).then((r) => (r.length === 2 ? true : undefined))), 30_000);
    // Posted as one line, or streamed (the model writes it slowly enough) as its head with a pointer.
    const file = await eventually(() => h.slack.files.find((f) => f.channel === channel));
    expect([file.name, file.text, file.threadTs]).toEqual(['answer.md', long, '1600000009.000100']);
    const posts = h.callsIn(channel, 'chat.postMessage');
    const streams = h.callsIn(channel, 'chat.startStream');
    expect([...posts, ...streams].every((p) => p.error === undefined && p.params.thread_ts === '1600000009.000100')).toBe(true);
    const messages = [...posts.map((p) => String(p.params.text)), ...streams.map((s) => h.slack.streams.get(String(s.answer!.ts))!.text)];
    expect(messages).toHaveLength(1);
    expect(messages[0]!.length).toBeLessThanOrEqual(4100);
    expect(messages[0]).toMatch(/answer\.md/);
  }, 60_000);
});
