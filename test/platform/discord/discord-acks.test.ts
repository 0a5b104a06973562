/**
 * Discord's acks are timed where they happen: a gateway message once stored (the gateway
 * wants no ack), a button click at its deferred update.
 */
import { APPROVE_ACTION } from '../../../src/core/model/action-ids';
import { PrometheusMetrics } from '../../../src/metrics/prometheus-metrics';
import { FAKE_DISCORD_IDS, FakeRoute } from '../../fakes/fake-discord';
import { chatAnswer } from '../../fakes/fake-openai';
import { parseExposition, valueOf } from '../../support/prometheus-text';
import { eventually, startDiscordWorld, type DiscordWorld } from './discord-world';

const metrics = new PrometheusMetrics({ defaultMetrics: false });
let world: DiscordWorld;
beforeAll(async () => {
  world = await startDiscordWorld({ metrics });
});
afterAll(async () => {
  await world?.stop();
});

const acks = async (kind: string) => valueOf(parseExposition(await metrics.exposition()), 'switchboard_ack_duration_seconds_count', { platform: 'discord', kind });

test('a stored message and an acknowledged click are each counted once, by kind', async () => {
  world.llm.fallback(() => chatAnswer('Hi there.'));
  const mention = world.fake.messageCreate({ content: 'hello', mentionsBot: true, author: FAKE_DISCORD_IDS.member });
  await world.fake.waitForCalls({ method: 'POST', route: FakeRoute.channelMessages });
  // A click for a request the bot does not know: acknowledged first, then refused privately.
  world.fake.buttonInteraction({ customId: `${APPROVE_ACTION}:00000000-0000-4000-8000-000000000000.hash`, message: mention.id, user: FAKE_DISCORD_IDS.member });
  await world.fake.waitForCalls({ method: 'POST', route: FakeRoute.interactionCallback });

  // Counted once the client has Discord's answer, a moment after the fake recorded the call.
  await eventually(async () => expect(await acks('action')).toBe(1));
  expect(await acks('event')).toBe(1);
  expect(await acks('command')).toBeUndefined();
});
