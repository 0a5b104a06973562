/**
 * Discord never delivers a gateway message again, so one whose store failed waits in the
 * adapter's retry queue; when its tries run out (here after a few hundred milliseconds,
 * with Postgres stopped throughout), its author is told in its thread that it was not
 * taken, rather than left waiting for an answer that never comes.
 */
import type { RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { NOT_TAKEN_NOTICE, startDiscordAdapter, type DiscordAdapter } from '../../../src/adapters/discord/discord-adapter';
import { FAKE_DISCORD_IDS, FakeRoute, startFakeDiscord, type FakeDiscord } from '../../fakes/fake-discord';
import { buildCore, memoryLogger } from '../../support/core-harness';
import { rows } from '../../support/db-rows';
import { startRestartablePostgres, type RestartablePostgres } from '../scale/restartable-postgres';
import { eventually } from './discord-world';

jest.setTimeout(60_000);

let pg: RestartablePostgres;
let fake: FakeDiscord;
let adapter: DiscordAdapter;
const { log, lines } = memoryLogger();

beforeAll(async () => {
  [pg, fake] = await Promise.all([startRestartablePostgres(), startFakeDiscord()]);
  const harness = buildCore({ db: pg, platforms: [], log });
  adapter = await startDiscordAdapter({
    config: {
      token: 'fake-token',
      appId: fake.applicationId,
      guildId: FAKE_DISCORD_IDS.guild,
      apiUrl: fake.apiUrl,
      registerCommands: false,
      storeRetry: { firstDelayMs: 50, maxDelayMs: 100, giveUpAfterMs: 300 },
    },
    core: harness.core,
    platforms: harness.deps.platforms,
    log,
  });
}, 60_000);

afterAll(async () => {
  await adapter?.stop();
  await fake?.close();
  await pg?.close();
});

const posts = () => fake.callsTo<RESTPostAPIChannelMessageJSONBody>('POST', FakeRoute.channelMessages);

test('a message still not stored after its last try is announced as not taken in its thread; a follow-up without a mention is given up quietly', async () => {
  await pg.stop();
  const mention = fake.messageCreate({ content: 'are you there?', mentionsBot: true });
  const followUp = fake.messageCreate({ content: 'just chatting in a thread', threadId: '300000000000000099' });

  const notice = await eventually(() => {
    const found = posts().find((c) => c.body.message_reference?.message_id === mention.id);
    if (!found) throw new Error('no notice yet');
    return found;
  });
  await eventually(() => {
    if (lines().filter((l) => l.msg === 'message still not stored after its last try: given up').length < 2) throw new Error('follow-up not given up yet');
  });
  await pg.start();

  expect(notice.body).toMatchObject({ content: `<@${FAKE_DISCORD_IDS.member}> ${NOT_TAKEN_NOTICE}`, allowed_mentions: { users: [FAKE_DISCORD_IDS.member] } });
  expect(posts()).toHaveLength(1);
  expect(await rows(pg.orm, `select id from message where platform_message_id in (?, ?)`, [mention.id, followUp.id])).toEqual([]);
});
