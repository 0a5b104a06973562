/**
 * Answers shown on Discord as the model writes them, through a real discord.js client: one
 * message edited within the edit budget, continued past 2,000 characters, and typing while
 * the model is silent.
 */
import type { RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { FakeRoute, type RecordedCall } from '../../fakes/fake-discord';
import { chatAnswer } from '../../fakes/fake-openai';
import { TEST_SETTINGS } from '../../support/core-harness';
import { rows } from '../../support/db-rows';
import { FEEDBACK_ACTION } from '../../../src/core/model/action-ids';
import { eventually, startDiscordWorld, type DiscordWorld } from './discord-world';

type Body = RESTPostAPIChannelMessageJSONBody;

/** The least time between two edits of one message in these tests. */
const EDIT_INTERVAL_MS = 100;

let world: DiscordWorld;
beforeAll(async () => {
  world = await startDiscordWorld({ settings: { outbound: { ...TEST_SETTINGS.outbound, editIntervalMs: EDIT_INTERVAL_MS } } });
});
afterAll(async () => {
  await world?.stop();
});
beforeEach(() => world.fake.clearCalls());

/** `count` pieces of `size` characters (at least 10): `Piece 0.. Piece 1..`, no blank space at either end. */
function pieces(count: number, size = 10): string[] {
  return Array.from({ length: count }, (_, i) => `${i === 0 ? '' : ' '}${`Piece ${i}`.padEnd(size - 1, '.')}`);
}

/** The bot's posts and edits, in order. */
const answerCalls = (): RecordedCall<Body>[] =>
  [...world.fake.callsTo<Body>('POST', FakeRoute.channelMessages), ...world.fake.callsTo<Body>('PATCH', FakeRoute.channelMessage)].sort((a, b) => a.at - b.at);

/** Waits for the bot's answer `text` to be stored; resolves with its rows. */
const storedAnswer = (text: string) =>
  eventually(async () => {
    const found = await rows<{ text: string; platform_message_id: string }>(world.db.orm, `select text, platform_message_id from message where role = 'assistant' and text = ?`, [text]);
    if (!found.length) throw new Error(`no stored answer ${text.slice(0, 20)}…`);
    return found;
  });

describe('streamed answers on Discord', () => {
  it('edits one message as the answer is written, within the edit budget, ending with exactly the model text', async () => {
    const chunks = pieces(50);
    const whole = chunks.join('');
    world.llm.script('chat', { content: whole, chunks, chunkDelayMs: 20 });
    world.fake.messageCreate({ content: 'tell me a story', mentionsBot: true });

    const stored = await storedAnswer(whole);

    const calls = answerCalls();
    const [post, ...edits] = calls;
    expect(post!.method).toBe('POST');
    expect(edits.length).toBeGreaterThan(0);
    expect(calls.length).toBeLessThan(chunks.length);
    const messageId = (post!.response as { id: string }).id;
    expect(edits.every((e) => e.method === 'PATCH' && e.params.messageId === messageId)).toBe(true);
    for (const [i, call] of calls.entries()) if (i > 0) expect(call.at - calls[i - 1]!.at).toBeGreaterThanOrEqual(EDIT_INTERVAL_MS);
    expect(world.fake.message(messageId)!.content).toBe(whole);
    expect(stored).toEqual([{ text: whole, platform_message_id: messageId }]);
    // The edit that ends the text also puts 👍/👎 on it, as on a posted answer.
    expect(JSON.stringify(edits.at(-1)!.body.components)).toContain(FEEDBACK_ACTION);
    expect(edits.slice(0, -1).every((e) => (e.body.components ?? []).length === 0)).toBe(true);
  });

  it('past 2,000 characters keeps the part shown, ending with a pointer, and posts the whole answer as a file', async () => {
    const chunks = pieces(50, 100);
    const whole = chunks.join('');
    world.llm.script('chat', { content: whole, chunks, chunkDelayMs: 20 });
    world.fake.messageCreate({ content: 'tell me a long story', mentionsBot: true });

    await storedAnswer(whole);

    const posted = answerCalls().filter((c) => c.method === 'POST');
    expect(posted).toHaveLength(2);
    const [streamed, file] = posted.map((p) => world.fake.message((p.response as { id: string }).id)!);
    expect(streamed!.content.length).toBeLessThanOrEqual(2000);
    expect(streamed!.content.endsWith('the whole answer is in the file answer.md)')).toBe(true);
    expect(whole.startsWith(streamed!.content.split('\n\n…')[0]!)).toBe(true);
    expect(posted[1]!.files.map((f) => [f.name, f.data.toString('utf8')])).toEqual([['answer.md', whole]]);
    expect(file!.attachments.map((a) => a.filename)).toEqual(['answer.md']);
  });

  it('shows typing while the model is silent, before its first byte', async () => {
    const release = world.llm.hold();
    world.llm.script('chat', chatAnswer('Thought it through.'));
    const mention = world.fake.messageCreate({ content: 'think hard', mentionsBot: true });

    const [typing] = await world.fake.waitForCalls({ method: 'POST', route: FakeRoute.typing });
    expect(answerCalls()).toEqual([]);
    release();

    await storedAnswer('Thought it through.');
    expect(typing!.params.channelId).toBe(mention.channel_id);
    expect(typing!.at).toBeLessThanOrEqual(answerCalls()[0]!.at);
  });

  it('posts a fast answer once, with no edits', async () => {
    world.llm.script('chat', chatAnswer('Quick.'));
    world.fake.messageCreate({ content: 'quick?', mentionsBot: true });

    await storedAnswer('Quick.');

    expect(answerCalls()).toEqual([expect.objectContaining({ method: 'POST', body: expect.objectContaining({ content: 'Quick.' }) })]);
  });
});
