/**
 * Schedules through real discord.js against the fake Discord: `/schedule` answered privately
 * in the deferred reply, a bad cron refused, someone else's schedule not theirs to delete.
 */
import { ApplicationCommandOptionType, MessageFlags, type APIApplicationCommandInteractionDataOption, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { FAKE_DISCORD_IDS, FakeRoute } from '../../fakes/fake-discord';
import { rows } from '../../support/db-rows';
import { TestClock } from '../../support/memory-stores';
import { SCHEDULE_SETTINGS, toNextMinute } from '../../support/schedule-processes';
import { startDiscordWorld, type DiscordWorld } from './discord-world';

const ids = FAKE_DISCORD_IDS;

const clock = new TestClock();
let world: DiscordWorld;
beforeAll(async () => {
  world = await startDiscordWorld({ settings: SCHEDULE_SETTINGS, clock });
});
afterAll(() => world?.stop());
beforeEach(() => world.fake.clearCalls());

/** `/schedule <sub> option:value ...` from `user`, and the private answer that filled its deferred reply. */
async function slashSchedule(sub: string, values: Record<string, string>, user: string): Promise<string> {
  const options: APIApplicationCommandInteractionDataOption[] = [
    { type: ApplicationCommandOptionType.Subcommand, name: sub, options: Object.entries(values).map(([name, value]) => ({ type: ApplicationCommandOptionType.String, name, value })) },
  ];
  world.fake.commandInteraction({ name: 'schedule', options, user });
  const [edit] = await world.fake.waitForCalls<RESTPostAPIChannelMessageJSONBody>({ method: 'PATCH', route: FakeRoute.originalResponse });
  world.fake.clearCalls();
  return String(edit!.body.content);
}

const schedules = () =>
  rows<{ short_id: string; cron: string; owner_id: string }>(
    world.db.orm,
    `select s.short_id, s.cron, s.owner_id from schedule s join conversation c on c.id = s.conversation_id where c.workspace_id = ? and c.channel_id = ? order by s.created_at`,
    [ids.guild, ids.channel],
  );

test('/schedule add with a bad cron is refused privately, showing the expression; nothing is stored', async () => {
  const refused = await slashSchedule('add', { cron: '0 9 * *', prompt: 'summarise #incidents' }, ids.member);
  expect(refused).toContain('"0 9 * *" is not a cron expression I can use');
  expect(await schedules()).toEqual([]);
});

test("/schedule delete of someone else's schedule is refused privately; it stays until its owner deletes it", async () => {
  const added = await slashSchedule('add', { cron: '0 9 * * 1-5', prompt: 'summarise #incidents' }, ids.moderator);
  const [made] = await schedules();
  expect(made).toMatchObject({ cron: '0 9 * * 1-5', owner_id: ids.moderator });
  expect(added).toContain(`Scheduled \`${made!.short_id}\``);

  expect(await slashSchedule('delete', { id: made!.short_id }, ids.member)).toContain('can delete it');
  expect(await schedules()).toHaveLength(1);
  // Answered in the private reply only: nothing about it in the channel for everyone.
  expect(world.fake.messagesIn(ids.channel).filter((m) => !((m.flags ?? 0) & MessageFlags.Ephemeral) && m.content.includes(made!.short_id))).toEqual([]);

  expect(await slashSchedule('list', {}, ids.member)).toContain(made!.short_id);
  expect(await slashSchedule('delete', { id: made!.short_id }, ids.moderator)).toContain('Deleted');
  expect(await schedules()).toEqual([]);
});

test('a firing posts a message in the channel naming the schedule, and the answer replies to it', async () => {
  await slashSchedule('add', { cron: '* * * * *', prompt: 'summarise #incidents' }, ids.moderator);
  const [made] = await schedules();
  world.llm.fallback(() => ({ content: 'Quiet night: no incidents.' }));

  toNextMinute(clock);
  expect(await world.harness.core.fireDueSchedules()).toBe(1);
  await world.harness.core.idle();

  const posted = world.fake.callsTo('POST', FakeRoute.channelMessages) as { body: RESTPostAPIChannelMessageJSONBody }[];
  const [root, reply] = posted;
  expect(root!.body.message_reference).toBeUndefined();
  expect(String(root!.body.content).split('\n')[0]).toContain(`Scheduled task \`${made!.short_id}\``);
  const rootId = world.fake.messagesIn(ids.channel).find((m) => m.content === root!.body.content)!.id;
  expect(reply!.body).toMatchObject({ content: 'Quiet night: no incidents.', message_reference: { message_id: rootId } });
  await slashSchedule('delete', { id: made!.short_id }, ids.moderator);
});
