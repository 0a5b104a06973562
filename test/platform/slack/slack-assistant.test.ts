/**
 * Slack's assistant panel through the real Bolt Assistant: a new thread is greeted with
 * suggested prompts, a question in it is stored once and answered there with a status and a
 * title, and the channel the person views is named to the model, never read.
 */
import { chatAnswer } from '../../fakes/fake-openai';
import { assistantThreadEvent, messageEvent, type FakeSlackCall } from '../../fakes/fake-slack';
import { rows } from '../../support/db-rows';
import { eventually, startSlackHarness, TEST_ASSISTANT_PANEL, type SlackHarness } from './slack-harness';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(() => h.close());

let n = 0;
/** A fresh person, their DM with the app, and a thread in it. */
const nextThread = () => {
  n += 1;
  return { user: `UASST${n}`, channel: `DUASST${n}`, threadTs: `1650000000.00${String(n).padStart(4, '0')}` };
};

/** The calls of an assistant.threads.* method in one thread. */
const threadCalls = (method: string, thread: { channel: string; threadTs: string }): FakeSlackCall[] =>
  h.slack.callsOf(method).filter((c) => c.params.channel_id === thread.channel && c.params.thread_ts === thread.threadTs);

const assistantRow = (thread: { channel: string; threadTs: string }) =>
  rows<{ viewed_channel_id: string | null; viewed_workspace_id: string | null; greeted: boolean; titled: boolean }>(
    h.db.orm,
    `select a.viewed_channel_id, a.viewed_workspace_id, a.greeted, a.titled from assistant_thread a join conversation c on c.id = a.conversation_id
     where c.platform = 'slack' and c.channel_id = ? and a.thread_ref = ?`,
    [thread.channel, thread.threadTs],
  );

describe('Slack assistant panel', () => {
  test('a new assistant thread gets the greeting and the suggested prompts in that thread, once however often Slack delivers it', async () => {
    const thread = nextThread();
    const started = assistantThreadEvent('assistant_thread_started', { ...thread, viewing: 'CVIEWED1' });

    expect((await h.event(started)).status).toBe(200);
    expect((await h.event({ ...started, event_id: 'EvAgainStarted' })).status).toBe(200);

    const prompts = await eventually(() => threadCalls('assistant.threads.setSuggestedPrompts', thread)[0]);
    expect(prompts.params.prompts).toEqual(TEST_ASSISTANT_PANEL.prompts);
    expect(prompts.error).toBeUndefined();
    await h.barrier('CASSTBARRIER1');
    expect(h.callsIn(thread.channel, 'chat.postMessage').map((c) => c.params)).toEqual([
      expect.objectContaining({ thread_ts: thread.threadTs, text: TEST_ASSISTANT_PANEL.greeting }),
    ]);
    expect(threadCalls('assistant.threads.setSuggestedPrompts', thread)).toHaveLength(1);
    expect(await assistantRow(thread)).toEqual([{ viewed_channel_id: 'CVIEWED1', viewed_workspace_id: 'T1', greeted: true, titled: false }]);
  });

  test('a question in the thread is stored once, shows a status before the answer, gets a title, and is answered in that thread', async () => {
    const thread = nextThread();
    h.answer('what changed in the deploy pipeline yesterday?', chatAnswer('Two config changes.'));
    const question = messageEvent({ channel: thread.channel, channelType: 'im', user: thread.user, threadTs: thread.threadTs, ts: '1650000100.000100', text: 'what changed in the deploy pipeline yesterday?' });

    expect((await h.event(question)).status).toBe(200);
    expect((await h.event({ ...question, event_id: 'EvAgainQuestion' })).status).toBe(200);

    const answer = await eventually(() => h.callsIn(thread.channel, 'chat.postMessage')[0]);
    expect(answer.params).toMatchObject({ thread_ts: thread.threadTs, text: 'Two config changes.' });
    const statuses = await eventually(() => {
      const found = threadCalls('assistant.threads.setStatus', thread);
      return found.length === 2 ? found : undefined;
    });
    expect(statuses.map((c) => c.params.status)).toEqual(['is thinking…', '']);
    expect(h.slack.calls.indexOf(statuses[0]!)).toBeLessThan(h.slack.calls.indexOf(answer));
    expect(h.slack.calls.indexOf(statuses[1]!)).toBeGreaterThan(h.slack.calls.indexOf(answer));
    expect(threadCalls('assistant.threads.setTitle', thread).map((c) => c.params.title)).toEqual(['what changed in the deploy pipeline yesterday?']);
    expect(statuses.concat(threadCalls('assistant.threads.setTitle', thread)).map((c) => c.error)).toEqual([undefined, undefined, undefined]);
    await h.barrier('CASSTBARRIER2');
    expect((await h.stored(thread.channel)).map((r) => [r.role, r.text, r.thread_ref])).toEqual([
      ['user', 'what changed in the deploy pipeline yesterday?', thread.threadTs],
      ['assistant', 'Two config changes.', thread.threadTs],
    ]);
    expect(h.llm.requests.filter((r) => r.prompt.includes('what changed in the deploy pipeline yesterday?'))).toHaveLength(1);
  });

  test('a long answer in the thread is streamed there, with no recipient needed in a DM, and its status cleared', async () => {
    const thread = nextThread();
    const chunks = Array.from({ length: 40 }, (_, i) => `part${i} `);
    h.answer('walk me through the incident', { content: chunks.join(''), chunks, chunkDelayMs: 20 });

    await h.event(messageEvent({ channel: thread.channel, channelType: 'im', user: thread.user, threadTs: thread.threadTs, ts: '1650000200.000100', text: 'walk me through the incident' }));

    const stored = await eventually(async () => (await h.stored(thread.channel)).find((r) => r.role === 'assistant'));
    const [start] = h.callsIn(thread.channel, 'chat.startStream');
    expect(start!.params).toMatchObject({ thread_ts: thread.threadTs });
    expect(start!.params.recipient_user_id).toBeUndefined();
    expect(h.slack.streams.get(String(start!.answer!.ts))).toMatchObject({ text: chunks.join(''), open: false });
    expect(stored).toMatchObject({ text: chunks.join('').trim(), platform_message_id: String(start!.answer!.ts) });
    expect(h.callsIn(thread.channel, 'chat.postMessage')).toEqual([]);
    await eventually(() => (threadCalls('assistant.threads.setStatus', thread).at(-1)?.params.status === '' ? true : undefined));
  });

  test('only the first question titles the thread', async () => {
    const thread = nextThread();
    const ask = (ts: string, text: string) => h.event(messageEvent({ channel: thread.channel, channelType: 'im', user: thread.user, threadTs: thread.threadTs, ts, text }));

    await ask('1650000200.000100', 'first question');
    await eventually(() => h.callsIn(thread.channel, 'chat.postMessage')[0]);
    await ask('1650000200.000200', 'second question');
    await eventually(() => h.callsIn(thread.channel, 'chat.postMessage')[1]);

    expect(threadCalls('assistant.threads.setTitle', thread).map((c) => c.params.title)).toEqual(['first question']);
  });

  test('a turn that could not post its answer still clears the status', async () => {
    const thread = nextThread();
    h.slack.failNext('chat.postMessage', { error: 'not_in_channel' });

    await h.event(messageEvent({ channel: thread.channel, channelType: 'im', user: thread.user, threadTs: thread.threadTs, ts: '1650000300.000100', text: 'will this fail?' }));

    const statuses = await eventually(() => {
      const found = threadCalls('assistant.threads.setStatus', thread);
      return found.length === 2 ? found : undefined;
    });
    expect(statuses.map((c) => c.params.status)).toEqual(['is thinking…', '']);
    expect(h.callsIn(thread.channel, 'chat.postMessage')[0]!.error).toBe('not_in_channel');
  });

  test("after a context change the prompt names the viewed channel, and none of that channel's facts or messages", async () => {
    const thread = nextThread();
    const viewed = 'CVIEWEDSECRET';
    await h.core.deps.contexts.storeContext(
      { platform: 'slack', workspace: 'T1', channel: viewed },
      { type: 'project', key: 'codename', value: 'Project Bluefin', source: 'manual', learnedFrom: null, sourceMessageId: null },
    );
    await h.mention({ channel: viewed, user: 'U1', text: 'the launch password is swordfish' });
    await eventually(() => h.callsIn(viewed, 'chat.postMessage')[0]);
    await h.event(assistantThreadEvent('assistant_thread_started', { ...thread, viewing: 'CELSEWHERE', eventTs: '1650000400.100000' }));
    await h.event(assistantThreadEvent('assistant_thread_context_changed', { ...thread, viewing: viewed, eventTs: '1650000400.300000' }));
    // Delivered late: an older context changes nothing.
    await h.event(assistantThreadEvent('assistant_thread_context_changed', { ...thread, viewing: 'CSTALE', eventTs: '1650000400.200000' }));

    await h.event(messageEvent({ channel: thread.channel, channelType: 'im', user: thread.user, threadTs: thread.threadTs, ts: '1650000400.000300', text: 'what am I looking at?' }));

    await eventually(() => h.callsIn(thread.channel, 'chat.postMessage').find((c) => c.params.text === 're: what am I looking at?'));
    const request = h.llm.requests.find((r) => r.prompt.includes('what am I looking at?'))!;
    expect(request.body.messages[0]!.content).toContain(`The user is viewing channel ${viewed}`);
    expect(request.prompt).not.toContain('Bluefin');
    expect(request.prompt).not.toContain('swordfish');
    expect(await assistantRow(thread)).toEqual([expect.objectContaining({ viewed_channel_id: viewed })]);
  });
});
