/**
 * Reminders follow a policy rule's approvers on Discord, through real discord.js against the fake
 * Discord (docs/policy.md, "Who is reminded"): with `/policy approvers drop_table @oncall`, the
 * members holding the role get one reminder each, and the APPROVERS user, who cannot decide
 * there, gets none.
 */
import { ApplicationCommandOptionType, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { dropTableTool } from '../../integration/agent/agent-kit';
import { FAKE_DISCORD_IDS, FakeRoute } from '../../fakes/fake-discord';
import { defaultGuild } from '../../fakes/discord/options';
import { requestAnswer } from '../../fakes/fake-openai';
import { TestClock } from '../../support/memory-stores';
import { startDiscordWorld, type DiscordWorld } from './discord-world';

const ids = FAKE_DISCORD_IDS;
const MINUTE = 60_000;
const ONCALL_ROLE = '400000000000000078';
const OLGA = '500000000000000078';
const OTTO = '500000000000000079';
type Body = RESTPostAPIChannelMessageJSONBody;

const clock = new TestClock();
let world: DiscordWorld;
beforeAll(async () => {
  const guild = defaultGuild();
  guild.roles = [...(guild.roles ?? []), { id: ONCALL_ROLE, name: 'oncall', permissions: 0n }];
  guild.members = [
    ...(guild.members ?? []),
    { id: OLGA, username: 'olga', globalName: 'Olga', roles: [ONCALL_ROLE] },
    { id: OTTO, username: 'otto', globalName: 'Otto', roles: [ONCALL_ROLE] },
  ];
  world = await startDiscordWorld({
    tools: [dropTableTool],
    clock,
    fake: { guilds: [guild] },
    settings: { policy: { approvers: [ids.moderator], fourEyes: false, policyAdmins: [] }, remindAfterMs: 10 * MINUTE, requestTtlMs: 15 * MINUTE },
  });
});
afterAll(() => world?.stop());

/** Who each reminder went to: the recipient of the DM channel it was posted in. */
function remindedUsers(): string[] {
  const dmChannels = world.fake.callsTo<{ recipient_id: string }>('POST', FakeRoute.dmChannels);
  const recipientOf = new Map(dmChannels.map((c) => [(c.response as { id: string }).id, c.body.recipient_id]));
  return world.fake
    .callsTo<Body>('POST', FakeRoute.channelMessages)
    .filter((c) => JSON.stringify(c.body).includes('Reminder: a request still waits for your decision'))
    .map((c) => recipientOf.get(String(c.params.channelId)) ?? `channel ${String(c.params.channelId)}`);
}

test("with a rule naming a role as a tool's approvers, the role's members are reminded once each, and the APPROVERS user is not", async () => {
  const option = (name: string, value: string) => ({ type: ApplicationCommandOptionType.String as const, name, value });
  const options = [{ type: ApplicationCommandOptionType.Subcommand as const, name: 'approvers', options: [option('tool', 'drop_table'), option('who', `<@&${ONCALL_ROLE}>`)] }];
  world.fake.commandInteraction({ name: 'policy', options, user: ids.moderator });
  const [edit] = await world.fake.waitForCalls<Body>({ method: 'PATCH', route: FakeRoute.originalResponse });
  expect(String(edit!.body.content)).toContain(`made ${ONCALL_ROLE} the approvers of \`drop_table\``);

  world.llm.script('chat', requestAnswer('Drop table temp', [{ tool: 'drop_table', args: { table: 'temp' } }]));
  world.fake.messageCreate({ content: 'drop the temp table', mentionsBot: true, author: ids.member });
  await world.nextCard();
  world.fake.clearCalls();

  clock.advance(10 * MINUTE + 1000);
  await world.harness.core.remindDueRequests();
  await world.harness.core.remindDueRequests();

  expect(remindedUsers().sort()).toEqual([OLGA, OTTO]);
  expect(world.fake.callsTo<{ recipient_id: string }>('POST', FakeRoute.dmChannels).map((c) => c.body.recipient_id)).not.toContain(ids.moderator);
});
