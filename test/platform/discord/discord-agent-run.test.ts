/**
 * The agent loop through discord.js and the fake Discord: a read the policy runs at once, a
 * destructive call at a card, Approve, and the model's answer built on what the read returned.
 */
import type { APIEmbed, RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { APPROVE_ACTION } from '../../../src/core/model/action-ids';
import { FAKE_DISCORD_IDS, FakeRoute, type RecordedCall } from '../../fakes/fake-discord';
import { rows } from '../../support/db-rows';
import { ASK, AUTO_RUN_READ_ONLY, FINAL_ANSWER, HEALTH, dropTableTool, executed, readHealthTool, twoGateModel } from '../agent/two-gate-run';
import { startDiscordWorld, type DiscordWorld } from './discord-world';

const ids = FAKE_DISCORD_IDS;
type Body = RESTPostAPIChannelMessageJSONBody;
const embedOf = (call: RecordedCall<Body> | undefined): APIEmbed => call?.body.embeds?.[0] ?? {};

let world: DiscordWorld;
beforeAll(async () => {
  world = await startDiscordWorld({ tools: [readHealthTool, dropTableTool], settings: AUTO_RUN_READ_ONLY });
  world.llm.fallback(twoGateModel);
});
afterAll(async () => {
  await world?.stop();
});

test('a two-gate run: the read runs at once, the drop waits at a card, and after Approve the answer uses what the read returned', async () => {
  const mention = world.fake.messageCreate({ content: ASK, mentionsBot: true, author: ids.member });

  const request = await world.nextCard();
  expect(executed).toEqual([]);
  const afterRead = world.llm.requests.find((r) => r.body.messages.at(-1)?.role === 'tool')!;
  expect(afterRead.body.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_read', content: `cache: ${HEALTH}` });
  const card = world.fake.callsTo<Body>('POST', FakeRoute.channelMessages).find((c) => embedOf(c).title?.includes('Destructive request'))!;
  expect(card.body.message_reference).toMatchObject({ message_id: mention.id });
  expect(JSON.stringify(card.body.embeds)).toContain('drop_table');

  world.fake.buttonInteraction({ customId: `${APPROVE_ACTION}:${request.id}.${request.plan_hash}`, message: request.platform_message_id, user: ids.moderator });

  const [answer] = await world.fake.waitForCalls<Body>((c) => c.method === 'POST' && (c.body as Body | undefined)?.content === FINAL_ANSWER, 1, 10_000);
  expect(answer!.body.message_reference).toMatchObject({ message_id: mention.id });
  expect(executed).toEqual([{ tool: 'drop_table', args: { table: 'cache' } }]);
  const progressId = world.fake.messagesIn(ids.channel).find((m) => m.embeds[0]?.footer?.text?.startsWith('run '))!.id;
  await world.fake.waitForCalls<Body>((c) => c.method === 'PATCH' && c.params.messageId === progressId && embedOf(c as RecordedCall<Body>).title === 'Run finished');
  expect(world.fake.callsTo<Body>('PATCH', FakeRoute.channelMessage).filter((c) => c.params.messageId === progressId).length).toBeGreaterThanOrEqual(2);

  expect(await world.requests()).toMatchObject([{ request_status: 'approved', run_status: 'succeeded' }]);
  const calls = await rows(world.db.orm, `select k.tool, k.gate, k.status from tool_call k join agent_request q on q.run_id = k.run_id where q.id = ? order by k.turn_seq, k.position`, [request.id]);
  expect(calls).toEqual([
    { tool: 'read_status', gate: 'auto', status: 'succeeded' },
    { tool: 'drop_table', gate: 'gated', status: 'succeeded' },
  ]);
  const results = await rows(world.db.orm, `select m.text from message m join agent_request q on q.run_id = m.run_id where q.id = ? and m.message_type = 'agent_result'`, [request.id]);
  expect(results).toEqual([{ text: FINAL_ANSWER }]);
  expect(world.fake.calls.every((c) => c.status < 400)).toBe(true);
});
