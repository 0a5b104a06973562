import {
  ButtonStyle,
  ChannelType,
  Client,
  ComponentType,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  InteractionResponseType,
  MessageFlags,
  Partials,
  PermissionFlagsBits,
  Routes,
  SlashCommandBuilder,
  type APIApplicationCommand,
  type ClientEvents,
  type Interaction,
  type Message,
  type RESTPostAPIChannelMessageJSONBody,
  type TextChannel,
} from 'discord.js';
import {
  FAKE_DISCORD_IDS,
  FakeRoute,
  startFakeDiscord,
  type FakeDiscord,
  type RecordedCall,
} from '../fakes/fake-discord';

const ids = FAKE_DISCORD_IDS;
const ALL_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.DirectMessages,
];

function newClient(fake: FakeDiscord, intents = ALL_INTENTS): Client {
  return new Client({ intents, partials: [Partials.Channel], rest: { api: fake.apiUrl } });
}

async function loggedIn(client: Client): Promise<Client<true>> {
  const ready = nextEvent(client, Events.ClientReady);
  await client.login('fake-token');
  await ready;
  return client as Client<true>;
}

/** The next `event` whose arguments pass `accept`, or a rejection naming the event after `timeoutMs`. */
function nextEvent<K extends keyof ClientEvents>(
  client: Client,
  event: K,
  accept: (...args: ClientEvents[K]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<ClientEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(event, listener);
      reject(new Error(`no ${String(event)} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (...args: ClientEvents[K]) => {
      if (!accept(...args)) return;
      clearTimeout(timer);
      client.off(event, listener);
      resolve(args);
    };
    client.on(event, listener);
  });
}

const approveButton = (customId: string) => ({
  type: ComponentType.ActionRow,
  components: [{ type: ComponentType.Button, style: ButtonStyle.Success, label: 'Approve', custom_id: customId }],
});

describe('the fake Discord, driven by a real discord.js client', () => {
  let fake: FakeDiscord;
  let client: Client<true>;
  let channel: TextChannel;
  let loginCalls: RecordedCall[];

  beforeAll(async () => {
    fake = await startFakeDiscord();
    client = await loggedIn(newClient(fake));
    loginCalls = [...fake.calls];
    channel = client.channels.cache.get(ids.channel) as TextChannel;
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.close();
  });

  beforeEach(() => fake.clearCalls());

  it('logs the client in over the gateway: ready, with the guild and its text channel cached', () => {
    expect(loginCalls.map((call) => `${call.method} ${call.route}`)).toEqual([`GET ${FakeRoute.gatewayBot}`]);
    expect(client.user.id).toBe(fake.botId);
    expect(client.application.id).toBe(fake.applicationId);
    expect(client.guilds.cache.get(ids.guild)?.available).toBe(true);
    expect(channel.type).toBe(ChannelType.GuildText);
    expect(channel.name).toBe('general');
    expect(fake.identifies[0]?.token).toBe('fake-token');
    expect(fake.identifies[0]?.intents).toBe(client.options.intents.bitfield);
  });

  it('delivers a dispatched user message to messageCreate with content, author and member roles', async () => {
    const received = nextEvent(client, Events.MessageCreate, (m) => m.author.id === ids.moderator);
    const sent = fake.messageCreate({ channelId: ids.channel, author: ids.moderator, content: 'deploy please', mentionsBot: true });

    const [message] = await received;
    expect(message.id).toBe(sent.id);
    expect(message.content).toBe(`<@${fake.botId}> deploy please`);
    expect(message.mentions.users.has(fake.botId)).toBe(true);
    expect(message.inGuild() && message.member?.roles.cache.has(ids.moderatorRole)).toBe(true);
    expect(message.member?.permissions.has('ManageGuild')).toBe(true);
  });

  it('delivers messages in a new thread and in DMs, which discord.js would otherwise drop', async () => {
    const inThread = nextEvent(client, Events.MessageCreate, (m) => m.content === 'in a thread');
    fake.messageCreate({ channelId: ids.channel, threadId: '310000000000000001', content: 'in a thread' });
    const [threadMessage] = await inThread;
    expect(threadMessage.channel.isThread() && threadMessage.channel.parentId).toBe(ids.channel);

    const inDm = nextEvent(client, Events.MessageCreate, (m) => m.content === 'in a DM');
    fake.messageCreate({ dm: true, author: ids.member, content: 'in a DM' });
    const [dmMessage] = await inDm;
    expect(dmMessage.channel.isDMBased()).toBe(true);
    expect(dmMessage.guildId).toBeNull();
  });

  it('records channel.send with its parsed content, embeds and components, and echoes the message back', async () => {
    const echoed = nextEvent(client, Events.MessageCreate, (m) => m.author.id === fake.botId && m.content === 'Approval needed');
    const sent = await channel.send({
      content: 'Approval needed',
      embeds: [{ title: 'Restart the web service', description: 'Requested by alice' }],
      components: [approveButton('approve:req-1')],
    });

    const [call] = fake.callsTo<RESTPostAPIChannelMessageJSONBody>('POST', FakeRoute.channelMessages);
    expect(call?.params.channelId).toBe(ids.channel);
    expect(call?.authorized).toBe(true);
    expect(call?.body).toMatchObject({
      content: 'Approval needed',
      embeds: [{ title: 'Restart the web service', description: 'Requested by alice' }],
      components: [{ type: 1, components: [{ type: 2, custom_id: 'approve:req-1', label: 'Approve' }] }],
    });
    expect(sent.author.id).toBe(fake.botId);
    expect(sent.embeds[0]?.title).toBe('Restart the web service');
    expect(fake.message(sent.id)?.content).toBe('Approval needed');
    expect((await echoed)[0].id).toBe(sent.id);
  });

  it('records an uploaded file as multipart: the body from payload_json and the file part', async () => {
    await channel.send({ content: 'log attached', files: [{ attachment: Buffer.from('hello'), name: 'run.log' }] });

    const [call] = fake.callsTo('POST', FakeRoute.channelMessages);
    expect(call?.body).toMatchObject({ content: 'log attached' });
    expect(call?.files).toEqual([expect.objectContaining({ name: 'run.log', size: 5 })]);
  });

  it('records a message edit as a PATCH and keeps the edited copy', async () => {
    const sent = await channel.send('Working on it');
    const edited = await sent.edit({ content: 'Done', components: [] });

    const [call] = fake.callsTo('PATCH', FakeRoute.channelMessage);
    expect(call?.params).toEqual({ channelId: ids.channel, messageId: sent.id });
    expect(call?.body).toMatchObject({ content: 'Done', components: [] });
    expect(edited.editedTimestamp).not.toBeNull();
    expect(fake.message(sent.id)?.content).toBe('Done');
  });

  it('fires interactionCreate for a button click; deferUpdate is callback type 6, then message.edit and editReply are PATCHes', async () => {
    const card = await channel.send({ content: 'Restart?', components: [approveButton('approve:req-2')] });
    const clicked = nextEvent(client, Events.InteractionCreate, (i) => i.isButton());
    const sentInteraction = fake.buttonInteraction({ customId: 'approve:req-2', message: card.id, user: ids.moderator });

    const [interaction] = await clicked;
    if (!interaction.isButton()) throw new Error('expected a button interaction');
    expect(interaction.customId).toBe('approve:req-2');
    expect(interaction.message.id).toBe(card.id);
    expect(interaction.user.id).toBe(ids.moderator);
    expect(interaction.memberPermissions?.has('ManageGuild')).toBe(true);
    await interaction.deferUpdate();
    await interaction.message.edit({ content: 'Approved by morgan', components: [] });
    await interaction.editReply({ content: 'Approved by morgan (via webhook)' });

    const [callback] = fake.callsTo('POST', FakeRoute.interactionCallback);
    expect(callback?.params).toEqual({ interactionId: sentInteraction.id, token: sentInteraction.token });
    expect(callback?.body).toEqual({ type: InteractionResponseType.DeferredMessageUpdate });
    expect(callback?.query).toEqual({ with_response: 'false' });
    expect(callback?.status).toBe(204);
    expect(callback?.authorized).toBe(false);
    expect(fake.callsTo('PATCH', FakeRoute.channelMessage)[0]?.body).toMatchObject({ content: 'Approved by morgan', components: [] });
    const [original] = fake.callsTo('PATCH', FakeRoute.originalResponse);
    expect(original?.path).toBe(`/webhooks/${fake.applicationId}/${sentInteraction.token}/messages/@original`);
    expect(fake.message(card.id)?.content).toBe('Approved by morgan (via webhook)');
  });

  it('edits the clicked message in one callback (type 7) when a button handler calls update()', async () => {
    const card = await channel.send({ content: 'Restart?', components: [approveButton('approve:req-4')] });
    const clicked = nextEvent(client, Events.InteractionCreate);
    fake.buttonInteraction({ customId: 'approve:req-4', message: card.id });
    const [interaction] = await clicked;
    if (!interaction.isButton()) throw new Error('expected a button interaction');

    await interaction.update({ content: 'Denied', components: [] });

    expect(fake.callsTo('POST', FakeRoute.interactionCallback)[0]?.body).toEqual({
      type: InteractionResponseType.UpdateMessage,
      data: expect.objectContaining({ content: 'Denied', components: [] }),
    });
    expect(fake.message(card.id)).toMatchObject({ content: 'Denied', components: [] });
  });

  it('answers reply({ withResponse }) with the created message, and serves followUp and deleteReply', async () => {
    const received = nextEvent(client, Events.InteractionCreate);
    fake.commandInteraction({ name: 'status' });
    const [interaction] = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat-input command');

    const response = await interaction.reply({ content: 'All systems go', withResponse: true });
    const followUp = await interaction.followUp({ content: 'Details only for you', flags: MessageFlags.Ephemeral });
    await interaction.deleteReply();

    expect(fake.callsTo('POST', FakeRoute.interactionCallback)[0]?.query).toEqual({ with_response: 'true' });
    expect(response.resource?.message?.content).toBe('All systems go');
    expect(fake.callsTo('POST', FakeRoute.webhook)[0]?.body).toMatchObject({ content: 'Details only for you', flags: MessageFlags.Ephemeral });
    expect(followUp.flags.has(MessageFlags.Ephemeral)).toBe(true);
    expect(fake.callsTo('DELETE', FakeRoute.originalResponse)[0]?.status).toBe(204);
    expect(fake.message(response.resource?.message?.id ?? '')).toBeUndefined();
  });

  it('refuses a second response to one interaction with 40060', async () => {
    const clicked = nextEvent(client, Events.InteractionCreate);
    fake.buttonInteraction({ customId: 'approve:req-3' });
    const [interaction] = await clicked;
    if (!interaction.isButton()) throw new Error('expected a button interaction');
    await interaction.deferUpdate();

    const second = client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
      body: { type: InteractionResponseType.DeferredMessageUpdate },
      auth: false,
    });
    await expect(second).rejects.toMatchObject({ status: 400, code: 40060 });
  });

  it('parses a slash command with a subcommand; deferReply(ephemeral) and editReply are recorded', async () => {
    const received = nextEvent(client, Events.InteractionCreate, (i) => i.isChatInputCommand());
    const sentInteraction = fake.commandInteraction({
      name: 'context',
      options: [{ type: 1, name: 'forget', options: [{ type: 3, name: 'key', value: 'deploy-target' }] }],
    });

    const [interaction] = (await received) as [Interaction];
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat-input command');
    expect(interaction.commandName).toBe('context');
    expect(interaction.options.getSubcommand()).toBe('forget');
    expect(interaction.options.getString('key')).toBe('deploy-target');
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const reply = await interaction.editReply('Forgot deploy-target');

    const [callback] = fake.callsTo('POST', FakeRoute.interactionCallback);
    expect(callback?.params.interactionId).toBe(sentInteraction.id);
    expect(callback?.body).toEqual({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
    expect(fake.callsTo('PATCH', FakeRoute.originalResponse)[0]?.body).toMatchObject({ content: 'Forgot deploy-target' });
    const stored = fake.message(reply.id);
    expect(stored?.content).toBe('Forgot deploy-target');
    expect((stored?.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect((stored?.flags ?? 0) & MessageFlags.Loading).toBe(0);
  });

  it('records a bulk overwrite of guild commands and answers with ids that later interactions carry', async () => {
    const command = new SlashCommandBuilder()
      .setName('context')
      .setDescription('Manage what the bot remembers')
      .addSubcommand((sub) =>
        sub.setName('forget').setDescription('Forget a fact').addStringOption((o) => o.setName('key').setDescription('Fact key').setRequired(true)),
      );
    const saved = (await client.rest.put(Routes.applicationGuildCommands(fake.applicationId, ids.guild), {
      body: [command.toJSON()],
    })) as APIApplicationCommand[];

    const [call] = fake.callsTo('PUT', FakeRoute.guildCommands);
    expect(call?.params).toEqual({ applicationId: fake.applicationId, guildId: ids.guild });
    expect(call?.body).toEqual([expect.objectContaining({ name: 'context' })]);
    expect(saved[0]?.id).toMatch(/^\d+$/);
    expect(fake.commands(ids.guild).map((c) => c.name)).toEqual(['context']);
    expect(fake.commandInteraction({ name: 'context' }).payload.data.id).toBe(saved[0]?.id);
    await nextEvent(client, Events.InteractionCreate);
  });

  it('refuses a 2001-character message with 400 Invalid Form Body (50035)', async () => {
    const error: unknown = await channel.send('x'.repeat(2001)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ status: 400, code: 50035 });
    expect((error as DiscordAPIError).rawError).toMatchObject({
      errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } },
    });
    expect(fake.callsTo('POST', FakeRoute.channelMessages)[0]?.status).toBe(400);
  });

  it.each([
    ['more than 10 embeds', { embeds: Array.from({ length: 11 }, () => ({ title: 't' })) }, 'embeds'],
    ['an embed title over 256', { embeds: [{ title: 't'.repeat(257) }] }, 'embeds.0.title'],
    ['an embed description over 4096', { embeds: [{ description: 'd'.repeat(4097) }] }, 'embeds.0.description'],
    ['a field value over 1024', { embeds: [{ fields: [{ name: 'n', value: 'v'.repeat(1025) }] }] }, 'embeds.0.fields.0.value'],
    ['a footer over 2048', { embeds: [{ title: 't', footer: { text: 'f'.repeat(2049) } }] }, 'embeds.0.footer.text'],
    ['embeds over 6000 characters in all', { embeds: [1, 2].map(() => ({ description: 'd'.repeat(3001) })) }, 'embeds'],
    ['six action rows', { components: Array.from({ length: 6 }, (_, i) => approveButton(`b${i}`)) }, 'components'],
    [
      'six buttons in a row',
      { components: [{ type: 1, components: Array.from({ length: 6 }, (_, i) => ({ type: 2, style: 1, label: 'x', custom_id: `b${i}` })) }] },
      'components.0.components',
    ],
    ['a custom_id over 100', { components: [approveButton('c'.repeat(101))] }, 'components.0.components.0.custom_id'],
    ['a duplicated custom_id', { components: [approveButton('same'), approveButton('same')] }, 'components.1.components.0.custom_id'],
    [
      'a button label over 80',
      { components: [{ type: 1, components: [{ type: 2, style: 1, label: 'l'.repeat(81), custom_id: 'ok' }] }] },
      'components.0.components.0.label',
    ],
  ])('refuses %s with 50035 naming the field', async (_case, body, fieldPath) => {
    const error: unknown = await client.rest.post(Routes.channelMessages(ids.channel), { body }).catch((e: unknown) => e);

    expect(error).toMatchObject({ status: 400, code: 50035 });
    const errors = (error as DiscordAPIError).rawError as { errors: Record<string, unknown> };
    const leaf = fieldPath.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], errors.errors);
    expect(leaf).toHaveProperty('_errors');
  });

  it('answers a scripted 429 with retry_after, and @discordjs/rest retries after waiting', async () => {
    fake.failNext({ method: 'POST', route: FakeRoute.channelMessages }, { status: 429, retryAfter: 0.2 });

    await channel.send('after the rate limit');

    const calls = await fake.waitForCalls({ method: 'POST', route: FakeRoute.channelMessages }, 2);
    expect(calls.map((call) => call.status)).toEqual([429, 200]);
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(200);
  });

  it('surfaces a 500 that outlasts @discordjs/rest\'s three retries as an HTTPError', async () => {
    fake.failNext({ method: 'POST', route: FakeRoute.channelMessages }, { status: 500, times: 4 });

    await expect(channel.send('during an outage')).rejects.toMatchObject({ name: 'HTTPError', status: 500 });
    expect(fake.callsTo('POST', FakeRoute.channelMessages).map((call) => call.status)).toEqual([500, 500, 500, 500]);
  });

  it('answers unknown routes with 404 and a Discord error body, and records them', async () => {
    const error: unknown = await client.rest.get('/no/such/route').catch((e: unknown) => e);

    expect(error).toMatchObject({ status: 404, code: 0, message: '404: Not Found' });
    expect(fake.calls[0]).toMatchObject({ method: 'GET', route: '/no/such/route', status: 404 });
  });

  it('rejects waitForCalls with a list of the calls it did see', async () => {
    await channel.sendTyping();

    await expect(fake.waitForCalls({ method: 'DELETE' }, 1, 50)).rejects.toThrow(/POST \/channels\/\d+\/typing/);
  });

  it('gives a client without the MessageContent intent empty content, like Discord', async () => {
    const limited = await loggedIn(newClient(fake, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]));
    try {
      const received = nextEvent(limited, Events.MessageCreate, (m: Message) => m.author.id === ids.member);
      fake.messageCreate({ content: 'secret plans' });
      const [message] = await received;
      expect(message.content).toBe('');
    } finally {
      await limited.destroy();
    }
  });
});

describe('the fake Discord, configured with its own guild', () => {
  const guildId = '210000000000000001';
  const channelId = '310000000000000002';
  const adminRoleId = '410000000000000001';
  let fake: FakeDiscord;
  let client: Client<true>;

  beforeAll(async () => {
    fake = await startFakeDiscord({
      bot: { id: '110000000000000001', username: 'readonly-bot' },
      botPermissions: PermissionFlagsBits.ViewChannel,
      interactionDeadlineMs: 50,
      guilds: [
        {
          id: guildId,
          everyonePermissions: PermissionFlagsBits.ViewChannel,
          channels: [{ id: channelId, name: 'ops' }],
          roles: [{ id: adminRoleId, name: 'Admin', permissions: PermissionFlagsBits.Administrator }],
          members: [
            { id: '510000000000000001', username: 'root', roles: [adminRoleId] },
            { id: '510000000000000002', username: 'guest' },
          ],
        },
      ],
    });
    client = await loggedIn(newClient(fake));
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.close();
  });

  it('exposes members, roles and computed permissions to discord.js', async () => {
    const guild = client.guilds.cache.get(guildId);
    const member = await guild?.members.fetch('510000000000000001');
    const roles = await guild?.roles.fetch();
    const application = await client.application.fetch();

    expect(client.user.username).toBe('readonly-bot');
    expect(member?.roles.cache.has(adminRoleId)).toBe(true);
    expect(member?.permissions.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    expect(roles?.get(adminRoleId)?.name).toBe('Admin');
    expect(application.id).toBe(fake.applicationId);
    const clicked = nextEvent(client, Events.InteractionCreate);
    fake.buttonInteraction({ customId: 'x', user: '510000000000000002' });
    const [interaction] = await clicked;
    expect(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(false);
  });

  it('refuses a post where the bot lacks Send Messages with 50013 Missing Permissions', async () => {
    const ops = client.channels.cache.get(channelId) as TextChannel;

    await expect(ops.send('hello')).rejects.toMatchObject({ status: 403, code: 50013 });
  });

  it('answers an interaction acknowledged after the deadline with 10062 Unknown interaction', async () => {
    const clicked = nextEvent(client, Events.InteractionCreate);
    fake.buttonInteraction({ customId: 'late' });
    const [interaction] = await clicked;
    if (!interaction.isButton()) throw new Error('expected a button interaction');
    await new Promise((resolve) => setTimeout(resolve, 80));

    await expect(interaction.deferUpdate()).rejects.toMatchObject({ status: 404, code: 10062 });
  });
});
