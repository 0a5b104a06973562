import { z } from 'zod';
import { ButtonStyle, ComponentType, GatewayDispatchEvents, InteractionResponseType, MessageFlags, type APIEmbed, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { APPROVE_ACTION, CANCEL_ACTION, DENY_ACTION } from '../../../src/core/model/action-ids';
import { ACCENT_COLOURS } from '../../../src/adapters/discord/render-card';
import { countdownTool } from '../../../src/tools/countdown';
import { defineTool } from '../../../src/tools/define-tool';
import { FAKE_DISCORD_IDS, FakeRoute, type RecordedCall } from '../../fakes/fake-discord';
import { requestAnswer } from '../../fakes/fake-openai';
import { eventually, startDiscordWorld, type DiscordWorld } from './discord-world';

const ids = FAKE_DISCORD_IDS;
type Body = RESTPostAPIChannelMessageJSONBody;

let dropped = 0;
const dropTable = defineTool({
  name: 'drop_table',
  description: 'Drops a table',
  input: z.object({ table: z.string() }),
  destructive: true,
  execute: async ({ table }) => {
    dropped += 1;
    return { text: `dropped ${table}` };
  },
});

let world: DiscordWorld;
beforeAll(async () => {
  world = await startDiscordWorld({ tools: [countdownTool, dropTable] });
});
afterAll(async () => {
  await world?.stop();
});
// A run may still be posting its result when its test has seen what it waited for:
// let it finish before the next test clears the recorded calls.
afterEach(() => world.harness.queue.drain());
beforeEach(() => world.fake.clearCalls());

/** Alice mentions the bot; the model proposes `actions`; resolves with the card's POST and the request row. */
async function requestFromAlice(text: string, summary: string, actions: Parameters<typeof requestAnswer>[1]) {
  world.llm.script('chat', requestAnswer(summary, actions));
  const mention = world.fake.messageCreate({ content: text, mentionsBot: true, author: ids.member });
  const [post] = await world.fake.waitForCalls<Body>({ method: 'POST', route: FakeRoute.channelMessages });
  const request = await eventually(async () => {
    const found = (await world.requests()).find((r) => r.platform_message_id !== null && !seen.has(r.id));
    if (!found) throw new Error('no new posted request yet');
    seen.add(found.id);
    return found;
  });
  return { mention, post: post!, request, cardId: request.platform_message_id! };
}
const seen = new Set<string>();

const postsTo = (channelId: string) => world.fake.callsTo<Body>('POST', FakeRoute.channelMessages).filter((c) => c.params.channelId === channelId);
const editsOf = (messageId: string) => world.fake.callsTo<Body>('PATCH', FakeRoute.channelMessage).filter((c) => c.params.messageId === messageId);
const embedOf = (call: RecordedCall<Body> | undefined): APIEmbed => call?.body.embeds?.[0] ?? {};
const statusOf = async (id: string) => (await world.requests()).find((r) => r.id === id)?.request_status;

describe('approvals on Discord', () => {
  it('posts a request as an embed with Approve and Deny buttons that carry only the request id', async () => {
    const { mention, post, request } = await requestFromAlice('drop the temp table', 'Drop table temp', [{ tool: 'drop_table', args: { table: 'temp' } }]);

    expect(post.status).toBe(200);
    expect(post.body).toMatchObject({
      content: '',
      message_reference: { message_id: mention.id },
      embeds: [
        {
          title: '⚠️ Destructive request needs approval',
          color: ACCENT_COLOURS.danger,
          description: expect.stringContaining('Drop table temp'),
          fields: expect.arrayContaining([{ name: 'Tool', value: '`drop_table` (built-in)' }]),
          footer: { text: expect.stringContaining(`Requested by Alice`) },
        },
      ],
      components: [
        {
          type: ComponentType.ActionRow,
          components: [
            { type: ComponentType.Button, style: ButtonStyle.Success, label: 'Approve', custom_id: `${APPROVE_ACTION}:${request.id}` },
            { type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Deny', custom_id: `${DENY_ACTION}:${request.id}` },
          ],
        },
      ],
    });
    expect(request.request_status).toBe('pending');
  });

  it('runs the whole flow: mention, card, Approve deferred, card edited, progress edited in place, result posted', async () => {
    const { mention, cardId, request } = await requestFromAlice('count down from 3', 'Count down', [{ tool: 'countdown', args: { steps: 3, delayMs: 40 } }]);

    const click = world.fake.buttonInteraction({ customId: `${APPROVE_ACTION}:${request.id}`, message: cardId, user: ids.moderator });

    const [callback] = await world.fake.waitForCalls({ method: 'POST', route: FakeRoute.interactionCallback });
    expect(callback).toMatchObject({ params: { interactionId: click.id }, body: { type: InteractionResponseType.DeferredMessageUpdate }, status: 204 });
    const [result] = await world.fake.waitForCalls<Body>((c) => c.method === 'POST' && (c.body as Body | undefined)?.content?.startsWith('✅ Done') === true);
    expect(result?.body).toMatchObject({ content: '✅ Done: Count down\nLift-off after 3 steps.', message_reference: { message_id: mention.id } });

    const cardEdits = await eventually(() => {
      const edits = editsOf(cardId);
      expect(embedOf(edits.at(-1)).footer?.text).toContain('succeeded');
      return edits;
    });
    expect(embedOf(cardEdits[0]).footer?.text).toContain('Approved by Morgan');
    expect(cardEdits.every((e) => e.body.components?.length === 0)).toBe(true);
    expect(embedOf(cardEdits.at(-1)).color).toBe(ACCENT_COLOURS.success);

    const progress = postsTo(ids.channel).find((c) => embedOf(c).title === 'Running');
    expect(progress?.body.components).toEqual([
      { type: ComponentType.ActionRow, components: [expect.objectContaining({ label: 'Cancel', custom_id: `${CANCEL_ACTION}:${request.id}` })] },
    ]);
    const progressId = world.fake.messagesIn(ids.channel).find((m) => m.embeds[0]?.title?.startsWith('Run'))!.id;
    const progressEdits = editsOf(progressId);
    expect(progressEdits.length).toBeGreaterThanOrEqual(2);
    const last = embedOf(progressEdits.at(-1));
    expect(last.title).toBe('Run finished');
    expect(last.description?.match(/✅ \d…/g)).toHaveLength(3);
    expect(progressEdits.at(-1)?.body.components).toEqual([]);
    expect(await statusOf(request.id)).toBe('succeeded');
    expect(world.fake.calls.every((c) => c.status < 400)).toBe(true);
  });

  it('denies: the card shows who denied, its buttons go, and nothing runs', async () => {
    const { cardId, request } = await requestFromAlice('count down', 'Count down', [{ tool: 'countdown', args: { steps: 1, delayMs: 0 } }]);

    world.fake.buttonInteraction({ customId: `${DENY_ACTION}:${request.id}`, message: cardId, user: ids.moderator });

    const [edit] = await world.fake.waitForCalls<Body>({ method: 'PATCH', route: FakeRoute.channelMessage });
    expect(edit?.params.messageId).toBe(cardId);
    expect(embedOf(edit).footer?.text).toContain('Denied by Morgan');
    expect(embedOf(edit).color).toBe(ACCENT_COLOURS.danger);
    expect(edit?.body.components).toEqual([]);
    expect(await statusOf(request.id)).toBe('denied');
    await world.harness.queue.drain();
    expect(world.fake.callsTo('POST', FakeRoute.channelMessages)).toHaveLength(1);
  });

  it('answers a member without Manage Server privately when they approve a destructive request, and runs nothing', async () => {
    const { cardId, request } = await requestFromAlice('drop the logs table', 'Drop table logs', [{ tool: 'drop_table', args: { table: 'logs' } }]);
    const before = dropped;

    world.fake.buttonInteraction({ customId: `${APPROVE_ACTION}:${request.id}`, message: cardId, user: ids.member });

    const [followUp] = await world.fake.waitForCalls<Body & { flags?: number }>({ method: 'POST', route: FakeRoute.webhook });
    expect(followUp?.body.flags).toBe(MessageFlags.Ephemeral);
    expect(followUp?.body.content).toContain('only a workspace admin can approve it');
    expect(world.fake.callsTo('POST', FakeRoute.interactionCallback)[0]?.body).toEqual({ type: InteractionResponseType.DeferredMessageUpdate });
    expect(editsOf(cardId)).toEqual([]);
    expect(await statusOf(request.id)).toBe('pending');
    expect(dropped).toBe(before);

    world.fake.buttonInteraction({ customId: `${APPROVE_ACTION}:${request.id}`, message: cardId, user: ids.moderator });
    await eventually(async () => expect(await statusOf(request.id)).toBe('succeeded'));
    expect(dropped).toBe(before + 1);
  });

  it('stops a run from the Cancel button on its progress message', async () => {
    const { cardId, request } = await requestFromAlice('count down slowly', 'Count down', [{ tool: 'countdown', args: { steps: 10, delayMs: 200 } }]);
    world.fake.buttonInteraction({ customId: `${APPROVE_ACTION}:${request.id}`, message: cardId, user: ids.moderator });
    const progressId = await eventually(() => {
      const progress = world.fake.messagesIn(ids.channel).find((m) => m.embeds[0]?.title === 'Running' && m.components?.length);
      if (!progress) throw new Error('no progress message yet');
      return progress.id;
    });

    world.fake.buttonInteraction({ customId: `${CANCEL_ACTION}:${request.id}`, message: progressId, user: ids.member });

    const [result] = await world.fake.waitForCalls<Body>((c) => c.method === 'POST' && (c.body as Body | undefined)?.content?.startsWith('⏹️ Cancelled') === true);
    expect(result?.body.content).toContain('Count down');
    await eventually(async () => expect(await statusOf(request.id)).toBe('cancelled'));
  });

  it('decides once when the same interaction is delivered twice, and the second delivery changes nothing', async () => {
    const { cardId, request } = await requestFromAlice('count down once', 'Count down', [{ tool: 'countdown', args: { steps: 1, delayMs: 0 } }]);

    const click = world.fake.buttonInteraction({ customId: `${APPROVE_ACTION}:${request.id}`, message: cardId, user: ids.moderator });
    world.fake.dispatch(GatewayDispatchEvents.InteractionCreate, click.payload);

    const callbacks = await world.fake.waitForCalls({ method: 'POST', route: FakeRoute.interactionCallback }, 2);
    expect(callbacks.map((c) => c.status).sort()).toEqual([204, 400]);
    await eventually(async () => expect(await statusOf(request.id)).toBe('succeeded'));
    await world.harness.queue.drain();
    const results = world.fake.callsTo<Body>('POST', FakeRoute.channelMessages).filter((c) => c.body.content?.startsWith('✅ Done'));
    expect(results).toHaveLength(1);
    expect(editsOf(cardId).filter((e) => embedOf(e).footer?.text?.endsWith('Approved by Morgan'))).toHaveLength(1);
    expect(world.fake.callsTo('POST', FakeRoute.webhook)).toEqual([]);
  });
});
