import {
  ApplicationCommandOptionType,
  ButtonStyle,
  InteractionResponseType,
  MessageFlags,
  REST,
  type APIApplicationCommandInteractionDataOption,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord.js';
import { CLEAR_CONTEXT_CONFIRM_ACTION } from '../../../src/core/model/action-ids';
import { DiscordAdapter } from '../../../src/adapters/discord/discord-adapter';
import { registerSlashCommands } from '../../../src/adapters/discord/register-commands';
import { ConfigError } from '../../../src/core/errors';
import { FAKE_DISCORD_IDS, FakeRoute, type RecordedCall } from '../../fakes/fake-discord';
import { rows } from '../../support/db-rows';
import { startDiscordWorld, type DiscordWorld } from './discord-world';

const ids = FAKE_DISCORD_IDS;
type Body = RESTPostAPIChannelMessageJSONBody & { flags?: number };

let world: DiscordWorld;
let startCalls: RecordedCall[];
beforeAll(async () => {
  world = await startDiscordWorld({ registerCommands: true });
  startCalls = [...world.fake.calls];
});
afterAll(async () => {
  await world?.stop();
});
beforeEach(() => world.fake.clearCalls());

/** `/name sub option:value ...` as Discord sends it. */
function slash(name: string, sub: string, values: Record<string, string> = {}) {
  const options: APIApplicationCommandInteractionDataOption[] = [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: sub,
      options: Object.entries(values).map(([key, value]) => ({ type: ApplicationCommandOptionType.String, name: key, value })),
    },
  ];
  return world.fake.commandInteraction({ name, options, user: ids.member });
}

/** The private answer that filled the deferred reply. */
async function answer(): Promise<Body> {
  const [edit] = await world.fake.waitForCalls<Body>({ method: 'PATCH', route: FakeRoute.originalResponse });
  return edit!.body;
}

const facts = () =>
  rows<{ context_key: string }>(
    world.db.orm,
    `select x.context_key from conversation_context x join conversation c on c.id = x.conversation_id where c.workspace_id = ? and c.channel_id = ?`,
    [ids.guild, ids.channel],
  );

describe('slash commands on Discord', () => {
  it('registers /context, /switchboard and /schedule on start with one bulk overwrite, idempotently', async () => {
    expect(startCalls.filter((c) => c.method === 'PUT').map((c) => c.route)).toEqual([FakeRoute.guildCommands]);
    const registered = world.fake.commands(ids.guild);
    expect(registered.map((c) => c.name)).toEqual(['context', 'switchboard', 'schedule', 'policy']);
    expect(registered[0]?.options?.map((o) => o.name)).toEqual(['view', 'forget', 'set', 'clear']);

    const rest = new REST({ api: world.fake.apiUrl }).setToken('fake-token');
    const again = await registerSlashCommands(rest, { appId: world.fake.applicationId, guildId: ids.guild });
    expect(again.map((c) => c.id)).toEqual(registered.map((c) => c.id));
    await registerSlashCommands(rest, { appId: world.fake.applicationId });
    expect(world.fake.commands().map((c) => c.name)).toEqual(['context', 'switchboard', 'schedule', 'policy']);
  });

  it('/context set answers privately after a deferred ephemeral reply, and stores the fact', async () => {
    const sent = slash('context', 'set', { type: 'technology', key: 'language', value: 'TypeScript 5.9' });

    expect(await answer()).toMatchObject({ content: 'Noted technology "language": "TypeScript 5.9"' });
    const [callback] = world.fake.callsTo('POST', FakeRoute.interactionCallback);
    expect(callback).toMatchObject({
      params: { interactionId: sent.id },
      body: { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } },
    });
    expect(await facts()).toEqual([{ context_key: 'language' }]);
  });

  it('/context view lists the facts, and one type at a time', async () => {
    slash('context', 'set', { type: 'project', key: 'deploy-target', value: 'eu-1' });
    await answer();
    world.fake.clearCalls();

    slash('context', 'view');
    expect((await answer()).content).toContain('deploy-target: eu-1');
    world.fake.clearCalls();

    slash('context', 'view', { type: 'domain' });
    expect((await answer()).content).toBe('No domain facts yet.');
  });

  it('/context forget removes one fact', async () => {
    slash('context', 'forget', { key: 'deploy-target' });

    expect((await answer()).content).toBe('Forgot "deploy-target".');
    expect((await facts()).map((f) => f.context_key)).not.toContain('deploy-target');
  });

  it('/context clear asks first with private buttons, and Forget everything clears the channel', async () => {
    expect((await facts()).length).toBeGreaterThan(0);
    slash('context', 'clear');

    const confirmation = await answer();
    expect(confirmation.components).toEqual([
      {
        type: 1,
        components: [
          expect.objectContaining({ label: 'Forget everything', style: ButtonStyle.Danger, custom_id: expect.stringMatching(`^${CLEAR_CONTEXT_CONFIRM_ACTION}:[0-9a-f-]{36}$`) }),
          expect.objectContaining({ label: 'Keep it', style: ButtonStyle.Secondary }),
        ],
      },
    ]);
    expect(await facts()).not.toEqual([]);
    const privateMessage = world.fake.messagesIn(ids.channel).find((m) => m.components?.length && (m.flags ?? 0) & MessageFlags.Ephemeral);
    const [row] = confirmation.components as { components: { custom_id: string }[] }[];
    const confirm = row!.components[0]!;

    world.fake.buttonInteraction({ customId: confirm.custom_id, message: privateMessage!.id, user: ids.member });

    const [followUp] = await world.fake.waitForCalls<Body>({ method: 'POST', route: FakeRoute.webhook });
    expect(followUp?.body).toMatchObject({ content: 'Forgot 1 fact about this channel.', flags: MessageFlags.Ephemeral });
    expect(await facts()).toEqual([]);
  });

  it('/switchboard run posts the approval card to the channel and removes the private placeholder', async () => {
    slash('switchboard', 'run', { tool: 'countdown', args: '{"steps":1,"delayMs":0}' });

    const [card] = await world.fake.waitForCalls<Body>({ method: 'POST', route: FakeRoute.channelMessages });
    expect(card?.params.channelId).toBe(ids.channel);
    expect(card?.body.message_reference).toBeUndefined();
    expect(card?.body.embeds?.[0]?.title).toBe('Request needs approval');
    const [removed] = await world.fake.waitForCalls({ method: 'DELETE', route: FakeRoute.originalResponse });
    expect(removed?.status).toBe(204);
  });

  it('/switchboard help lists the commands privately', async () => {
    slash('switchboard', 'help');

    const help = await answer();
    expect(help.content).toContain('**Commands**');
    expect(help.content).toContain('countdown');
  });
});

describe('starting on Discord', () => {
  it('stops start-up with a message naming DISCORD_TOKEN when Discord refuses the token', async () => {
    world.fake.failNext({ method: 'GET', route: FakeRoute.gatewayBot }, { status: 401 });
    const adapter = new DiscordAdapter({ token: 'wrong-token', appId: world.fake.applicationId, apiUrl: world.fake.apiUrl }, world.harness.deps.log);
    try {
      const failure = await adapter.start(world.harness.core).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ConfigError);
      expect((failure as ConfigError).message).toBe('DISCORD_TOKEN: Discord refused the token');
    } finally {
      await adapter.stop();
    }
  });
});
