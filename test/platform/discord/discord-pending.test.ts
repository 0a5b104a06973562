/**
 * `!pending` and `/switchboard pending` on Discord: the requests of this guild waiting for the
 * asker's decision, with the cards' buttons, never shown to the rest of the channel.
 */
import { ApplicationCommandOptionType, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { z } from 'zod';
import { APPROVE_ACTION } from '../../../src/core/model/action-ids';
import { defineTool } from '../../../src/tools/define-tool';
import { FAKE_DISCORD_IDS, FakeRoute, type RecordedCall } from '../../fakes/fake-discord';
import { requestAnswer } from '../../fakes/fake-openai';
import { eventually, startDiscordWorld, type DiscordWorld } from './discord-world';

const ids = FAKE_DISCORD_IDS;
type Body = RESTPostAPIChannelMessageJSONBody;

const dropTable = defineTool({
  name: 'drop_table',
  description: 'Drops a table',
  input: z.object({ table: z.string() }),
  destructive: true,
  execute: async ({ table }) => ({ text: `dropped ${table}` }),
});

let world: DiscordWorld;
let request: { id: string; plan_hash: string };
beforeAll(async () => {
  world = await startDiscordWorld({ tools: [dropTable] });
  // A member asks for something destructive: only a moderator (Manage Server) may approve it.
  world.llm.script('chat', requestAnswer('Drop table temp', [{ tool: 'drop_table', args: { table: 'temp' } }]));
  world.fake.messageCreate({ content: 'drop the temp table', mentionsBot: true, author: ids.member });
  request = await world.nextCard();
});
afterAll(async () => {
  await world?.stop();
});
beforeEach(() => world.fake.clearCalls());

const dmOpenedFor = () => world.fake.callsTo<{ recipient_id: string }>('POST', FakeRoute.dmChannels).map((c) => c.body.recipient_id);
const postsTo = (channelId: string) => world.fake.callsTo<Body>('POST', FakeRoute.channelMessages).filter((c) => c.params.channelId === channelId);
const shown = (call: RecordedCall<Body>) => JSON.stringify(call.body);

/** Types `!pending` as `author` and returns the direct message it got and what the channel saw. */
async function typedPending(author: string) {
  world.fake.messageCreate({ content: '!pending', mentionsBot: true, author });
  const note = await eventually(() => {
    const [found] = postsTo(ids.channel);
    if (!found) throw new Error('no answer in the channel yet');
    return found;
  });
  const [dm] = world.fake.callsTo<Body>('POST', FakeRoute.channelMessages).filter((c) => c.params.channelId !== ids.channel);
  return { note, dm: dm! };
}

describe('what waits for me, on Discord', () => {
  it('!pending sends a moderator the request with its Approve and Deny by direct message, and tells the channel only that', async () => {
    const { note, dm } = await typedPending(ids.moderator);

    expect(dmOpenedFor()).toEqual([ids.moderator]);
    expect(shown(dm)).toContain('Drop table temp');
    const rows = (dm.body.components ?? []) as { components: { custom_id?: string }[] }[];
    const customIds = rows.flatMap((row) => row.components.map((b) => b.custom_id));
    expect(customIds).toEqual([`${APPROVE_ACTION}:${request.id}.${request.plan_hash}`, `switchboard.deny:${request.id}`]);
    expect(note.body.content).toContain('I sent you the list in a direct message.');
    expect(shown(note)).not.toContain(request.id);
  });

  it('!pending lists nothing for a member who may not approve the destructive request', async () => {
    const { note, dm } = await typedPending(ids.member);

    expect(dmOpenedFor()).toEqual([ids.member]);
    expect(dm.body.content).toContain('Nothing waits for your decision in this workspace.');
    expect(shown(dm)).not.toContain(request.id);
    expect(shown(note)).not.toContain(request.id);
  });

  it('/switchboard pending answers a moderator in the ephemeral reply, and a member with nothing', async () => {
    const asks = (user: string) =>
      world.fake.commandInteraction({ name: 'switchboard', options: [{ type: ApplicationCommandOptionType.Subcommand, name: 'pending', options: [] }], user });
    asks(ids.moderator);
    const [forModerator] = await world.fake.waitForCalls<Body>({ method: 'PATCH', route: FakeRoute.originalResponse });
    asks(ids.member);
    const answers = await world.fake.waitForCalls<Body>({ method: 'PATCH', route: FakeRoute.originalResponse }, 2);

    expect(shown(forModerator!)).toContain(request.id);
    expect(shown(answers[1]!)).toContain('Nothing waits for your decision');
    expect(postsTo(ids.channel)).toEqual([]);
    expect(dmOpenedFor()).toEqual([]);
  });
});
