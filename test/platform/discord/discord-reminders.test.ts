/**
 * Reminders on Discord, through real discord.js against the fake Discord: after REMIND_AFTER
 * (the test's clock) the approver gets one direct message with the request's Approve and Deny,
 * and Approve in that DM decides it: a DM with the bot is the approver's own surface.
 */
import type { RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { APPROVE_ACTION } from '../../../src/core/model/action-ids';
import { dropTableTool } from '../../integration/agent/agent-kit';
import { FAKE_DISCORD_IDS, FakeRoute } from '../../fakes/fake-discord';
import { requestAnswer } from '../../fakes/fake-openai';
import { TestClock } from '../../support/memory-stores';
import { eventually, startDiscordWorld, type DiscordWorld } from './discord-world';

const ids = FAKE_DISCORD_IDS;
const MINUTE = 60_000;
type Body = RESTPostAPIChannelMessageJSONBody;

const clock = new TestClock();
let world: DiscordWorld;
beforeAll(async () => {
  world = await startDiscordWorld({ tools: [dropTableTool], clock, settings: { policy: { approvers: [ids.moderator], fourEyes: false }, remindAfterMs: 10 * MINUTE, requestTtlMs: 15 * MINUTE } });
});
afterAll(async () => {
  await world?.stop();
});

test('after REMIND_AFTER the approver gets one DM whose Approve decides the request', async () => {
  world.llm.script('chat', requestAnswer('Drop table temp', [{ tool: 'drop_table', args: { table: 'temp' } }]));
  world.fake.messageCreate({ content: 'drop the temp table', mentionsBot: true, author: ids.member });
  const request = await world.nextCard();
  world.fake.clearCalls();

  clock.advance(10 * MINUTE + 1000);
  await world.harness.core.remindDueRequests();
  await world.harness.core.remindDueRequests();

  const dms = world.fake.callsTo<Body>('POST', FakeRoute.channelMessages).filter((c) => c.params.channelId !== ids.channel);
  expect(dms).toHaveLength(1);
  expect(JSON.stringify(dms[0]!.body)).toContain('Reminder: a request still waits for your decision');
  const customIds = ((dms[0]!.body.components ?? []) as { components: { custom_id?: string }[] }[]).flatMap((row) => row.components.map((b) => b.custom_id));
  const approve = `${APPROVE_ACTION}:${request.id}.${request.plan_hash}`;
  expect(customIds).toContain(approve);

  const message = (dms[0]!.response as { id: string }).id;
  world.fake.buttonInteraction({ dm: true, channelId: dms[0]!.params.channelId, customId: approve, user: ids.moderator, message });
  await eventually(async () => expect((await world.requests()).find((r) => r.id === request.id)?.request_status).toBe('approved'));
});
