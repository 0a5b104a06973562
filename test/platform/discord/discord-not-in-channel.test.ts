/**
 * A channel where Discord refuses the bot's posts (50001 Missing Access): the person who
 * asked gets one direct message saying how to let the bot in, nothing is posted into that
 * channel again, and the run's end is stored.
 */
import type { RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { countdownTool } from '../../../src/tools/countdown';
import { FAKE_DISCORD_IDS, FakeRoute, type RecordedCall } from '../../fakes/fake-discord';
import { requestAnswer } from '../../fakes/fake-openai';
import { eventually, startDiscordWorld, type DiscordWorld } from './discord-world';

const ids = FAKE_DISCORD_IDS;
type Body = RESTPostAPIChannelMessageJSONBody;

let world: DiscordWorld;
beforeAll(async () => {
  world = await startDiscordWorld({ tools: [countdownTool] });
});
afterAll(async () => {
  await world?.stop();
});

const posts = (): RecordedCall<Body>[] => world.fake.callsTo<Body>('POST', FakeRoute.channelMessages);

test('a card Discord refuses with Missing Access ends its run, stored, and the person gets one direct message saying how to let the bot in', async () => {
  const inChannel = (call: RecordedCall) => call.method === 'POST' && call.route === FakeRoute.channelMessages && call.params.channelId === ids.channel;
  world.fake.failNext(inChannel, { status: 403, body: { message: 'Missing Access', code: 50001 }, times: 10 });
  world.llm.script('chat', requestAnswer('Count down', [{ tool: 'countdown', args: { steps: 2, delayMs: 0 } }]));
  world.fake.messageCreate({ content: 'count down from 2', mentionsBot: true, author: ids.member });

  await eventually(async () => expect((await world.requests())[0]?.run_status).toBe('failed'));
  await eventually(() => expect(posts().some((c) => c.params.channelId !== ids.channel)).toBe(true));
  await world.harness.core.idle();

  expect(posts().filter((c) => c.params.channelId === ids.channel).map((c) => c.status)).toEqual([403]);
  const hints = posts().filter((c) => c.params.channelId !== ids.channel);
  expect(hints.map((c) => c.body.content)).toEqual([
    'I could not answer you in that channel: I am not a member of it, or may not post there. Ask a server admin to let my role view that channel and send messages in it, then ask again.',
  ]);
  expect(world.fake.callsTo('POST', FakeRoute.dmChannels).map((c) => (c.body as { recipient_id: string }).recipient_id)).toEqual([ids.member]);
  expect(await world.requests()).toMatchObject([{ request_status: 'cancelled', run_status: 'failed', platform_message_id: null }]);
});
