/**
 * Answers streamed into Slack threads through the real Web API client: chat.startStream,
 * appendStream and stopStream against the fake's checks, the fallback to an edited message,
 * 429s, and what is stored.
 */
import { APPROVE_ACTION } from '../../../src/core/model/action-ids';
import { chatAnswer, toolAnswer } from '../../fakes/fake-openai';
import type { FakeSlackCall } from '../../fakes/fake-slack';
import { TEST_SETTINGS } from '../../support/core-harness';
import { eventually, startSlackHarness, type SlackHarness, type StoredRow } from './slack-harness';

let h: SlackHarness;
beforeAll(async () => {
  // One stream call per 100 ms at most, as edits of one message: appends must coalesce. The
  // working hint comes after 1 s of silence, so that a quick answer beats it however loaded
  // the machine; a slow one is held until the hint shows.
  h = await startSlackHarness({
    settings: { outbound: { ...TEST_SETTINGS.outbound, editIntervalMs: 100 }, liveAnswer: { bufferMs: 250, workingAfterMs: 1000 } },
  });
});
afterAll(() => h.close());

let n = 0;
/** A fresh channel and the ts of the mention that starts its thread. */
const nextThread = () => ({ channel: `CSTREAM${++n}`, ts: `1600000${String(n).padStart(3, '0')}.000100` });

/** `count` pieces of `size` characters each (at least 10), each ending in a space. */
function pieces(count: number, size = 10): string[] {
  return Array.from({ length: count }, (_, i) => `${`Piece ${i}`.padEnd(size - 1, '.')} `);
}

const STREAM_METHODS = ['chat.startStream', 'chat.appendStream', 'chat.stopStream', 'chat.postMessage', 'chat.update'];

/** The calls that showed the answer in `channel`, in order. */
const shownIn = (channel: string): FakeSlackCall[] => h.slack.calls.filter((c) => STREAM_METHODS.includes(c.method) && c.params.channel === channel);

/** Waits for the bot's stored answer in `channel`. */
async function storedAnswer(channel: string): Promise<StoredRow> {
  return eventually(async () => (await h.stored(channel)).find((r) => r.role === 'assistant'));
}

async function ask(question: string, chunks: string[], extra: { dropAfterChunks?: number } = {}): Promise<{ channel: string; ts: string }> {
  const thread = nextThread();
  h.answer(question, { content: chunks.join(''), chunks, chunkDelayMs: 20, ...extra });
  await h.mention({ channel: thread.channel, user: 'U1', text: question, ts: thread.ts });
  return thread;
}

describe('Slack streaming', () => {
  test('a slow answer streams into the thread: start, fewer appends than model chunks, stop, with exactly the model text', async () => {
    const chunks = pieces(50);
    const { channel, ts } = await ask('tell me a story', chunks);

    const stored = await storedAnswer(channel);

    const calls = shownIn(channel);
    expect(calls[0]).toMatchObject({ method: 'chat.startStream', params: { thread_ts: ts, recipient_user_id: 'U1', recipient_team_id: 'T1' } });
    expect(calls.at(-1)!.method).toBe('chat.stopStream');
    const appends = calls.filter((c) => c.method === 'chat.appendStream');
    expect(calls.slice(1, -1)).toEqual(appends);
    expect(appends.length).toBeGreaterThan(0);
    expect(appends.length + 1).toBeLessThan(chunks.length);
    const streamTs = String(calls[0]!.answer!.ts);
    expect(h.slack.streams.get(streamTs)).toMatchObject({ text: chunks.join(''), open: false });
    // The stream ends with 👍/👎 naming the stored answer, as a posted answer carries them.
    expect(JSON.stringify(h.slack.streams.get(streamTs)!.blocks)).toContain(stored.id);
    expect((await h.stored(channel)).filter((r) => r.role === 'assistant')).toEqual([stored]);
    expect(stored).toMatchObject({ text: chunks.join('').trim(), platform_message_id: streamTs });
  });

  test('the model\'s words are streamed escaped: they cannot become a mention or a link', async () => {
    const chunks = [...pieces(20), 'Ping <!channel> & <@U_ADMIN>, see <https://evil.example|docs>. '];
    const { channel } = await ask('escape this', chunks);

    const stored = await storedAnswer(channel);

    const streamTs = String(shownIn(channel)[0]!.answer!.ts);
    const shown = h.slack.streams.get(streamTs)!.text;
    expect(shown).toContain('Ping &lt;!channel&gt; &amp; &lt;@U_ADMIN&gt;, see &lt;https://evil.example|docs&gt;.');
    expect(shown).not.toMatch(/<[!@h]/);
    // What is stored is what the model wrote, unescaped.
    expect(stored.text).toContain('Ping <!channel> & <@U_ADMIN>');
  });

  test('an agent run\'s final answer streams into its thread too, and its result row carries the stream', async () => {
    const thread = nextThread();
    const chunks = pieces(40);
    h.llm.script('*', toolAnswer([{ name: 'countdown', args: { steps: 1, delayMs: 0 } }]), { content: chunks.join(''), chunks, chunkDelayMs: 20 });
    await h.mention({ channel: thread.channel, user: 'U1', text: 'count down, then tell me', ts: thread.ts });
    const request = await eventually(async () => (await h.stored(thread.channel)).find((r) => r.message_type === 'agent_request' && r.platform_message_id));
    const clickedAt = h.slack.calls.length;

    await h.click({ channel: thread.channel, user: 'U1', actionId: APPROVE_ACTION, value: `${request.request_id}.${request.plan_hash}`, messageTs: request.platform_message_id!, threadTs: thread.ts });

    const result = await eventually(async () => (await h.stored(thread.channel)).find((r) => r.message_type === 'agent_result' && r.platform_message_id));
    const streamed = h.slack.calls.slice(clickedAt).filter((c) => c.method.endsWith('Stream') && c.params.channel === thread.channel);
    expect(streamed[0]).toMatchObject({ method: 'chat.startStream', params: { thread_ts: thread.ts, recipient_user_id: 'U1' } });
    expect(streamed.at(-1)!.method).toBe('chat.stopStream');
    const streamTs = String(streamed[0]!.answer!.ts);
    expect(h.slack.streams.get(streamTs)).toMatchObject({ text: chunks.join(''), open: false });
    expect(result).toMatchObject({ text: chunks.join('').trim(), platform_message_id: streamTs });
    expect(h.callsIn(thread.channel, 'chat.postMessage').filter((c) => String(c.params.text).startsWith('Piece 0'))).toEqual([]);
  });

  test('a silent model shows a reaction on the question, taken away when the answer shows; a quick one shows none', async () => {
    const slow = nextThread();
    h.answer('think it over', chatAnswer('Thought it over.'));
    const release = h.llm.hold();
    await h.mention({ channel: slow.channel, user: 'U1', text: 'think it over', ts: slow.ts });
    await eventually(() => h.callsIn(slow.channel, 'reactions.add')[0]);
    expect(h.callsIn(slow.channel, 'chat.postMessage')).toEqual([]);
    release();
    await storedAnswer(slow.channel);
    const hint = { channel: slow.channel, timestamp: slow.ts, name: 'hourglass_flowing_sand' };
    const [added] = h.callsIn(slow.channel, 'reactions.add');
    const [posted] = h.callsIn(slow.channel, 'chat.postMessage');
    expect(added).toMatchObject({ params: hint });
    expect(added!.error).toBeUndefined();
    expect(added!.at).toBeLessThan(posted!.at);
    await eventually(() => h.callsIn(slow.channel, 'reactions.remove').find((c) => c.error === undefined && c.params.timestamp === slow.ts));

    const quick = nextThread();
    h.answer('quick one', chatAnswer('Done.'));
    await h.mention({ channel: quick.channel, user: 'U1', text: 'quick one', ts: quick.ts });
    await storedAnswer(quick.channel);
    expect(h.callsIn(quick.channel, 'reactions.add')).toEqual([]);
  });

  test('a refused chat.startStream falls back to one message edited in place, ending with the same text', async () => {
    h.slack.failNext('chat.startStream', { error: 'not_allowed_token_type' });
    const chunks = pieces(50);
    const { channel, ts } = await ask('tell me another', chunks);

    const stored = await storedAnswer(channel);

    const posts = h.callsIn(channel, 'chat.postMessage');
    const updates = h.callsIn(channel, 'chat.update');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.params.thread_ts).toBe(ts);
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.length + 1).toBeLessThan(chunks.length);
    expect(updates.every((u) => u.params.ts === posts[0]!.answer!.ts)).toBe(true);
    expect(updates.at(-1)!.params.text).toBe(chunks.join(''));
    expect(stored).toMatchObject({ text: chunks.join('').trim(), platform_message_id: posts[0]!.answer!.ts });
    // The edit that ends it renders it as a posted answer: with 👍/👎 naming the stored answer.
    expect(JSON.stringify(updates.at(-1)!.params.blocks)).toContain(stored.id);
    expect(updates.slice(0, -1).every((u) => JSON.stringify(u.params.blocks ?? []) === '[]')).toBe(true);
  });

  test('an append answered 429 is sent again after Retry-After, nothing lost or repeated', async () => {
    h.slack.failNext('chat.appendStream', { status: 429, retryAfter: 1 });
    const chunks = pieces(50);
    const { channel } = await ask('and a third', chunks);

    await storedAnswer(channel);

    const appends = h.callsIn(channel, 'chat.appendStream');
    expect(appends.map((a) => a.status)).toContain(429);
    const streamTs = String(h.callsIn(channel, 'chat.startStream')[0]!.answer!.ts);
    expect(h.slack.streams.get(streamTs)!.text).toBe(chunks.join(''));
  });

  test('an answer that outgrows one streamed message shows its head ending with a pointer, and the whole answer as a file, each call within 12,000 characters', async () => {
    const chunks = pieces(50, 600);
    const whole = chunks.join('');
    const { channel } = await ask('a very long one', chunks);

    await storedAnswer(channel);

    const starts = h.callsIn(channel, 'chat.startStream');
    expect(starts).toHaveLength(1);
    expect(h.callsIn(channel, 'chat.stopStream')).toHaveLength(1);
    const shown = h.slack.streams.get(String(starts[0]!.answer!.ts))!.text;
    expect(shown.endsWith('the whole answer is in the file answer.md)')).toBe(true);
    expect(whole.startsWith(shown.split('\n\n…')[0]!)).toBe(true);
    const file = await eventually(() => h.slack.files.find((f) => f.channel === channel));
    expect([file.name, file.text]).toEqual(['answer.md', whole]);
    expect(h.slack.files.filter((f) => f.channel === channel)).toHaveLength(1);
    expect(shownIn(channel).every((c) => c.error === undefined || c.status === 429)).toBe(true);
  });

  test('a model failure mid-answer ends the stream with a note and stores the part shown, marked partial', async () => {
    const chunks = pieces(50);
    const { channel } = await ask('this will break', chunks, { dropAfterChunks: 25 });

    const stored = await storedAnswer(channel);

    const streamTs = String(h.callsIn(channel, 'chat.startStream')[0]!.answer!.ts);
    // What the model got out before the connection died (the last pieces written may not arrive).
    expect(stored.text).toMatch(/^Piece 0\.\. Piece 1\.\. /);
    expect(chunks.slice(0, 25).join('').startsWith(stored.text)).toBe(true);
    expect(h.slack.streams.get(streamTs)!.text).toMatch(new RegExp(`^${stored.text} \\n\\n⚠️ Cut short: The language model is unavailable right now`));
    const [row] = await h.db.orm.em.getConnection().execute<{ metadata: unknown }[]>('select metadata from message where id = ?', [stored.id]);
    expect(row!.metadata).toEqual({ partial: true });
  });

  test('a fast answer is one chat.postMessage, with no stream', async () => {
    const { channel } = nextThread();
    h.answer('quick?', chatAnswer('Quick.'));
    await h.mention({ channel, user: 'U1', text: 'quick?', ts: '1600009999.000100' });

    await storedAnswer(channel);

    expect(shownIn(channel)).toEqual([expect.objectContaining({ method: 'chat.postMessage', params: expect.objectContaining({ text: 'Quick.' }) })]);
  });
});
