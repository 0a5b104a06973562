/**
 * 👍/👎 on answers in Discord: two small buttons on the answer's last message, one typed row
 * per person and answer in Postgres, and `/switchboard feedback` answered privately.
 */
import { ApplicationCommandOptionType, ButtonStyle, ComponentType, InteractionResponseType, MessageFlags, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { FEEDBACK_ACTION } from '../../../src/core/model/action-ids';
import { FAKE_DISCORD_IDS, FakeRoute } from '../../fakes/fake-discord';
import { chatAnswer } from '../../fakes/fake-openai';
import { rows } from '../../support/db-rows';
import { eventually, startDiscordWorld, type DiscordWorld } from './discord-world';

const ids = FAKE_DISCORD_IDS;
type Body = RESTPostAPIChannelMessageJSONBody & { flags?: number };

let world: DiscordWorld;
beforeAll(async () => {
  world = await startDiscordWorld();
});
afterAll(async () => {
  await world?.stop();
});
beforeEach(() => {
  world.fake.clearCalls();
  world.llm.reset();
});

const ratings = () =>
  rows<{ message_id: string; user_id: string; rating: string }>(world.db.orm, `select message_id, user_id, rating from answer_feedback order by created_at`);
const answers = () => rows<{ id: string; text: string }>(world.db.orm, `select id, text from message where role = 'assistant' and metadata @> '{"feedback": true}' order by created_at`);

/** A member asks; resolves with the stored answer and the bot's posts of it. */
async function answered(question: string, answer: string) {
  world.llm.script('chat', chatAnswer(answer));
  world.fake.messageCreate({ content: question, mentionsBot: true, author: ids.member });
  const stored = await eventually(async () => {
    const found = (await answers()).find((a) => a.text === answer);
    if (!found) throw new Error('no stored answer yet');
    return found;
  });
  const posts = world.fake.callsTo<Body>('POST', FakeRoute.channelMessages).filter((c) => c.params.channelId === ids.channel);
  return { id: stored.id, posts };
}

/** Clicks one side of the buttons on the bot's message `messageId`; resolves once the private answer is sent. */
async function rate(user: string, messageId: string, value: string, seen: number) {
  world.fake.buttonInteraction({ customId: `${FEEDBACK_ACTION}:${value}`, message: messageId, user });
  const followUps = await world.fake.waitForCalls<Body>({ method: 'POST', route: FakeRoute.webhook }, seen);
  return followUps[seen - 1]!;
}

describe('feedback on Discord', () => {
  it('puts 👍 and 👎 on the answer; a click stores one row, a second click by the same person replaces it, another person adds one', async () => {
    const { id, posts } = await answered('is staging up?', 'Staging answers 200.');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.status).toBe(200);
    expect(posts[0]!.body).toMatchObject({
      content: 'Staging answers 200.',
      components: [
        {
          type: ComponentType.ActionRow,
          components: [
            { type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: '👍' }, custom_id: `${FEEDBACK_ACTION}:${id}.positive` },
            { type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: '👎' }, custom_id: `${FEEDBACK_ACTION}:${id}.negative` },
          ],
        },
      ],
    });
    const message = world.fake.messagesIn(ids.channel).find((m) => m.content === 'Staging answers 200.')!.id;

    const thanks = await rate(ids.member, message, `${id}.positive`, 1);
    expect(world.fake.callsTo('POST', FakeRoute.interactionCallback)[0]?.body).toEqual({ type: InteractionResponseType.DeferredMessageUpdate });
    expect(thanks.body).toMatchObject({ flags: MessageFlags.Ephemeral, content: expect.stringContaining('👍') });
    expect(await ratings()).toEqual([{ message_id: id, user_id: ids.member, rating: 'positive' }]);

    await rate(ids.member, message, `${id}.negative`, 2);
    expect(await ratings()).toEqual([{ message_id: id, user_id: ids.member, rating: 'negative' }]);

    await rate(ids.moderator, message, `${id}.positive`, 3);
    expect(await ratings()).toEqual([
      { message_id: id, user_id: ids.member, rating: 'negative' },
      { message_id: id, user_id: ids.moderator, rating: 'positive' },
    ]);
  });

  it('an answer too long for one message carries the buttons on its one message, the whole answer attached', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `Line ${i}: ${'detail '.repeat(8).trim()}`).join('\n');

    const { id, posts } = await answered('tell me everything', long);

    expect(posts).toHaveLength(1);
    expect(posts[0]!.status).toBe(200);
    expect(posts[0]!.files.map((f) => [f.name, f.data.toString('utf8')])).toEqual([['answer.md', long]]);
    expect(JSON.stringify(posts[0]!.body.components)).toContain(`${id}.positive`);
  });

  it('/switchboard feedback answers in the ephemeral reply with the counts of this channel', async () => {
    world.fake.commandInteraction({ name: 'switchboard', options: [{ type: ApplicationCommandOptionType.Subcommand, name: 'feedback', options: [] }], user: ids.member });

    const [reply] = await world.fake.waitForCalls<Body>({ method: 'PATCH', route: FakeRoute.originalResponse });
    // Two answers so far in this file's channel: the first rated 👎 and 👍, the long one not at all.
    expect(reply!.body.content).toBe('Feedback on the last 2 answers in this channel: 👍 1, 👎 1.');
    expect(world.fake.callsTo('POST', FakeRoute.channelMessages)).toEqual([]);
  });
});
