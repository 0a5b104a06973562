import type { RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { DiscordAdapter } from '../../../src/adapters/discord/discord-adapter';
import { text } from '../../../src/core/model/card';
import { FAKE_DISCORD_IDS, FakeRoute } from '../../fakes/fake-discord';
import { chatAnswer } from '../../fakes/fake-openai';
import { rows } from '../../support/db-rows';
import { POSTED_ANSWERS } from '../../support/core-harness';
import { eventually, startDiscordWorld, type DiscordWorld } from './discord-world';

const ids = FAKE_DISCORD_IDS;
type Body = RESTPostAPIChannelMessageJSONBody;

let world: DiscordWorld;
beforeAll(async () => {
  // Answers as posts; showing them as they are written is discord-streaming's subject.
  world = await startDiscordWorld({ settings: POSTED_ANSWERS });
});
afterAll(async () => {
  await world?.stop();
});
beforeEach(() => world.fake.clearCalls());

const posts = () => world.fake.callsTo<Body>('POST', FakeRoute.channelMessages);
const stored = (messageId: string) =>
  rows<{ workspace_id: string; channel_id: string; thread_ref: string; text: string; author_name: string }>(
    world.db.orm,
    `select c.workspace_id, c.channel_id, m.thread_ref, m.text, m.author_name from message m join conversation c on c.id = m.conversation_id
     where m.platform_message_id = ?`,
    [messageId],
  );
/** Lets a message that should be ignored reach the adapter, so "nothing happened" means something. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

describe('messages on Discord', () => {
  it('answers a mention as a reply to the message, without the mention in what the model reads', async () => {
    world.llm.script('chat', chatAnswer('Hello Alice!'));
    const mention = world.fake.messageCreate({ content: 'what can you do?', mentionsBot: true });

    const [reply] = await world.fake.waitForCalls<Body>({ method: 'POST', route: FakeRoute.channelMessages });
    expect(reply).toMatchObject({
      params: { channelId: ids.channel },
      status: 200,
      body: { content: 'Hello Alice!', message_reference: { message_id: mention.id }, allowed_mentions: { parse: [] } },
    });
    expect(world.llm.requests.at(-1)?.prompt).toContain('what can you do?');
    expect(world.llm.requests.at(-1)?.prompt).not.toContain(`<@${world.fake.botId}>`);
    expect(await stored(mention.id)).toEqual([
      { workspace_id: ids.guild, channel_id: ids.channel, thread_ref: mention.id, text: 'what can you do?', author_name: 'Alice' },
    ]);
  });

  it('ignores channel messages without a mention and messages from bots, its own echoes included', async () => {
    const asked = world.llm.requests.length;
    const plain = world.fake.messageCreate({ content: 'just chatting' });
    const fromBot = world.fake.messageCreate({ content: 'beep', mentionsBot: true, author: { id: '600000000000000001', bot: true } });
    const fromItself = world.fake.messageCreate({ content: 'talking to myself', mentionsBot: true, author: world.fake.botId });
    await settle();

    expect(world.llm.requests.length).toBe(asked);
    expect(posts()).toEqual([]);
    expect(await stored(plain.id)).toEqual([]);
    expect(await stored(fromBot.id)).toEqual([]);
    expect(await stored(fromItself.id)).toEqual([]);
  });

  it('answers a direct message in the DM channel, as its own conversation', async () => {
    world.llm.script('chat', chatAnswer('Hi in private'));
    const dm = world.fake.messageCreate({ dm: true, content: 'hello there', author: ids.member });

    const [reply] = await world.fake.waitForCalls<Body>({ method: 'POST', route: FakeRoute.channelMessages });
    expect(reply?.params.channelId).toBe(dm.channel_id);
    expect(reply?.body).toMatchObject({ content: 'Hi in private', message_reference: { message_id: dm.id } });
    expect(await stored(dm.id)).toEqual([expect.objectContaining({ workspace_id: 'dm', channel_id: dm.channel_id, thread_ref: dm.id })]);
  });

  it('answers in a Discord thread, then follows up there without a mention; ignores threads it is not part of', async () => {
    const threadId = '310000000000000011';
    world.llm.script('chat', chatAnswer('In the thread'), chatAnswer('Still here'));
    const first = world.fake.messageCreate({ threadId, content: 'help in here', mentionsBot: true });
    const [answer] = await world.fake.waitForCalls<Body>({ method: 'POST', route: FakeRoute.channelMessages });
    expect(answer?.params.channelId).toBe(threadId);
    expect(answer?.body.message_reference).toBeUndefined();
    expect(await stored(first.id)).toEqual([expect.objectContaining({ channel_id: ids.channel, thread_ref: threadId })]);

    const followUp = world.fake.messageCreate({ threadId, content: 'and another thing' });
    const replies = await world.fake.waitForCalls<Body>({ method: 'POST', route: FakeRoute.channelMessages }, 2);
    expect(replies[1]?.body.content).toBe('Still here');
    expect(await stored(followUp.id)).toHaveLength(1);

    const elsewhere = world.fake.messageCreate({ threadId: '310000000000000012', content: 'unrelated thread talk' });
    await settle();
    expect(posts()).toHaveLength(2);
    expect(await stored(elsewhere.id)).toEqual([]);
  });

  it('takes a reply to its own answer as a follow-up in the same conversation, with the history', async () => {
    world.llm.script('chat', chatAnswer('Staging is eu-1.'), chatAnswer('Production is eu-2.'));
    const mention = world.fake.messageCreate({ content: 'where is staging?', mentionsBot: true });
    await world.fake.waitForCalls({ method: 'POST', route: FakeRoute.channelMessages });
    const answerId = await eventually(() => {
      const answer = world.fake.messagesIn(ids.channel).find((m) => m.content === 'Staging is eu-1.');
      if (!answer) throw new Error('answer not stored yet');
      return answer.id;
    });

    const reply = world.fake.messageCreate({ content: 'and production?', replyTo: answerId });

    const calls = await world.fake.waitForCalls<Body>({ method: 'POST', route: FakeRoute.channelMessages }, 2);
    expect(calls[1]?.body).toMatchObject({ content: 'Production is eu-2.', message_reference: { message_id: mention.id } });
    expect(world.llm.requests.at(-1)?.prompt).toContain('where is staging?');
    expect(await stored(reply.id)).toEqual([expect.objectContaining({ thread_ref: mention.id })]);
  });

  it('sends a 5,000-character answer as one message of one line with the whole answer attached, replying to the question', async () => {
    const paragraph = (n: number) => `${n}. ${'lorem ipsum dolor sit amet '.repeat(7).trim()}`;
    const long = Array.from({ length: 200 }, (_, i) => paragraph(i)).join('\n').slice(0, 5000);
    world.llm.script('chat', chatAnswer(long));
    const mention = world.fake.messageCreate({ content: 'tell me everything', mentionsBot: true });

    const [call] = await world.fake.waitForCalls<Body>({ method: 'POST', route: FakeRoute.channelMessages });
    await settle();
    expect(posts()).toHaveLength(1);
    expect(call!.status).toBe(200);
    expect(call!.body.content).toMatch(/^The answer is too long for one message \(5000 characters\): it is in the file answer\.md\.$/);
    expect(call!.files.map((f) => [f.name, f.data.toString('utf8')])).toEqual([['answer.md', long]]);
    expect(call!.body.message_reference?.message_id).toBe(mention.id);
  });

  it('answers a typed command privately where it can: a note addressed to the user, pinging only them', async () => {
    world.fake.messageCreate({ content: '!context', mentionsBot: true });

    const [note] = await world.fake.waitForCalls<Body>({ method: 'POST', route: FakeRoute.channelMessages });
    expect(note?.body.content).toBe(`<@${ids.member}> I remember nothing about this channel yet.`);
    expect(note?.body.allowed_mentions).toEqual({ parse: [], users: [ids.member], replied_user: true });
  });

  it('posts to threads and replies, and reads authority, from a process that does not serve the guild', async () => {
    const threadId = '310000000000000021';
    world.fake.messageCreate({ threadId, content: 'a thread the worker never saw' });
    const question = world.fake.messageCreate({ content: 'a message the worker never saw' });
    world.fake.clearCalls();
    // REST only, no gateway: like another shard, or a job worker, picking up a run.
    const worker = new DiscordAdapter({ token: 'fake-token', appId: world.fake.applicationId, apiUrl: world.fake.apiUrl }, world.harness.deps.log);
    worker.client.rest.setToken('fake-token');
    try {
      const base = { platform: 'discord' as const, workspace: ids.guild, channel: ids.channel };
      await worker.post({ ...base, thread: threadId }, text('into the thread'));
      await worker.post({ ...base, thread: question.id }, text('as a reply'));
      const authority = await worker.authority(base, ids.moderator, [ids.moderatorRole]);

      expect(posts().map((c) => [c.params.channelId, c.body.content, c.body.message_reference?.message_id])).toEqual([
        [threadId, 'into the thread', undefined],
        [ids.channel, 'as a reply', question.id],
      ]);
      expect(world.fake.callsTo('GET', FakeRoute.channel).map((c) => c.status)).toEqual([200, 404]);
      expect(authority).toEqual({ isAdmin: true, groups: [ids.moderatorRole] });
    } finally {
      await worker.client.destroy();
    }
  });
});
