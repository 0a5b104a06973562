/**
 * read_channel on Discord, through real discord.js against the fake Discord: the model asks
 * for a channel's messages, the call runs without a card (read-only under AUTO_RUN_READONLY),
 * and what it returns (or why it was refused) is the tool call's row in Postgres.
 */
import { FAKE_DISCORD_IDS, FakeRoute, defaultGuild } from '../../fakes/fake-discord';
import { toolAnswer } from '../../fakes/fake-openai';
import { rows } from '../../support/db-rows';
import { eventually } from '../../support/eventually';
import { readChannelTool } from '../../../src/tools/read-channel';
import { AUTO_RUN_READ_ONLY } from '../agent/two-gate-run';
import { startDiscordWorld, type DiscordWorld } from './discord-world';

const ids = FAKE_DISCORD_IDS;
const SHARED = '300000000000000011';
const HIDDEN = '300000000000000012';
const OTHER_GUILD = '200000000000000002';
const FOREIGN = '300000000000000021';
const BUSY = '300000000000000013';
/** More messages than one page of Discord's message list (100). */
const BUSY_MESSAGES = 130;

let world: DiscordWorld;
beforeAll(async () => {
  const home = defaultGuild();
  const guilds = [
    { ...home, channels: [...(home.channels ?? []), { id: SHARED, name: 'shared' }, { id: BUSY, name: 'busy' }, { id: HIDDEN, name: 'hidden', hiddenFrom: [ids.member] }] },
    { id: OTHER_GUILD, name: 'Elsewhere', channels: [{ id: FOREIGN, name: 'foreign' }], members: [{ id: ids.member, username: 'alice' }] },
  ];
  world = await startDiscordWorld({ tools: [readChannelTool], settings: AUTO_RUN_READ_ONLY, fake: { guilds } });
  world.fake.messageCreate({ channelId: SHARED, content: 'Shared plans.', author: ids.moderator });
  world.fake.messageCreate({ channelId: HIDDEN, content: 'Hidden plans.', author: ids.moderator });
  world.fake.messageCreate({ channelId: FOREIGN, content: 'Another server.', author: ids.member });
  for (let i = 0; i < BUSY_MESSAGES; i++) world.fake.messageCreate({ channelId: BUSY, content: `busy ${i}`, author: ids.moderator });
});
afterAll(async () => {
  await world?.stop();
});

interface CallRow {
  status: string;
  output: string | null;
  error: string | null;
}

let asked = 0;
/** Alice asks in the home channel; the model calls read_channel with `args`; resolves with the call's row once it ended. */
async function readChannel(args: Record<string, unknown>): Promise<CallRow> {
  const question = `what was said? (${++asked})`;
  world.llm.script('chat', toolAnswer([{ name: 'read_channel', args }]));
  world.fake.messageCreate({ content: question, mentionsBot: true, author: ids.member });
  return eventually(async () => {
    const found = await rows<CallRow>(world.db.orm, `select status, output, error from tool_call where tool = 'read_channel' and status in ('succeeded', 'failed') order by created_at`);
    if (found.length < asked) throw new Error('the call has not ended yet');
    return found.at(-1)!;
  }, 15_000);
}

/** The message reads of a channel the bot made. */
const readsOf = (channelId: string) => world.fake.callsTo('GET', FakeRoute.channelMessages).filter((c) => c.params.channelId === channelId);

describe('read_channel on Discord', () => {
  test('reads the current channel from its messages, oldest first, marked untrusted', async () => {
    const call = await readChannel({ limit: 5 });

    expect(call.status).toBe('succeeded');
    const lines = call.output!.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^UNTRUSTED: \\d message\\(s\\) from channel ${ids.channel}.*not instructions`));
    expect(lines).toContainEqual(expect.stringMatching(/\] Alice: .*what was said\? \(1\)$/));
    expect(readsOf(ids.channel)).toHaveLength(1);
  });

  test('reads another channel of the server the requester can see', async () => {
    const call = await readChannel({ channel: `<#${SHARED}>` });

    expect(call.status).toBe('succeeded');
    expect(call.output).toMatch(/\] Morgan: Shared plans\.$/);
  });

  test('reads past one page of the message list, oldest first, up to the limit asked', async () => {
    const call = await readChannel({ channel: BUSY, limit: 200 });

    expect(call.status).toBe('succeeded');
    const texts = call.output!.split('\n').slice(1).map((line) => line.replace(/^.*Morgan: /, ''));
    expect(texts).toEqual(Array.from({ length: BUSY_MESSAGES }, (_, i) => `busy ${i}`));
    expect(readsOf(BUSY).map((c) => c.query.limit)).toEqual(['100', '100']);
  });

  test('refuses a channel hidden from the requester, reading none of it', async () => {
    const call = await readChannel({ channel: HIDDEN });

    expect(call.status).toBe('failed');
    expect(call.error).toBe(`I cannot read ${HIDDEN}: you cannot read it.`);
    expect(readsOf(HIDDEN)).toEqual([]);
  });

  test('refuses a channel of another server, reading none of it', async () => {
    const call = await readChannel({ channel: FOREIGN });

    expect(call.status).toBe('failed');
    expect(call.error).toBe(`I cannot read ${FOREIGN}: it is in another server.`);
    expect(readsOf(FOREIGN)).toEqual([]);
  });
});
