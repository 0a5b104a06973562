import { z } from 'zod';
import { ButtonStyle, ComponentType, GatewayDispatchEvents, InteractionResponseType, MessageFlags, type APIEmbed, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { APPROVE_ACTION, CANCEL_ACTION, DENY_ACTION, DENY_WITH_REASON_ACTION, EDIT_ACTION } from '../../../src/core/model/action-ids';
import { ACCENT_COLOURS } from '../../../src/adapters/discord/render-card';
import { countdownTool } from '../../../src/tools/countdown';
import { defineTool } from '../../../src/tools/define-tool';
import { FAKE_DISCORD_IDS, FakeRoute, type RecordedCall } from '../../fakes/fake-discord';
import { chatAnswer, requestAnswer } from '../../fakes/fake-openai';
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
beforeEach(() => {
  world.fake.clearCalls();
  world.llm.reset();
});

/** Alice mentions the bot; the model proposes `actions` (and says `done` once they ran); resolves with the card's POST and the request row. */
async function requestFromAlice(text: string, summary: string, actions: Parameters<typeof requestAnswer>[1], done = 'Done, as you asked.') {
  world.llm.script('chat', requestAnswer(summary, actions), chatAnswer(done));
  const mention = world.fake.messageCreate({ content: text, mentionsBot: true, author: ids.member });
  const [post] = await world.fake.waitForCalls<Body>({ method: 'POST', route: FakeRoute.channelMessages });
  const request = await world.nextCard();
  return { mention, post: post!, request, cardId: request.platform_message_id };
}

const postsTo = (channelId: string) => world.fake.callsTo<Body>('POST', FakeRoute.channelMessages).filter((c) => c.params.channelId === channelId);
const editsOf = (messageId: string) => world.fake.callsTo<Body>('PATCH', FakeRoute.channelMessage).filter((c) => c.params.messageId === messageId);
const embedOf = (call: RecordedCall<Body> | undefined): APIEmbed => call?.body.embeds?.[0] ?? {};
const statusOf = async (id: string) => (await world.requests()).find((r) => r.id === id)?.run_status;
const approveId = (request: { id: string; plan_hash: string }) => `${APPROVE_ACTION}:${request.id}.${request.plan_hash}`;

describe('approvals on Discord', () => {
  it("posts a request as an embed with Approve (carrying the request and its plan), Deny, Deny with reason and Edit, each with the card's token", async () => {
    const { mention, post, request } = await requestFromAlice('drop the temp table', 'Drop table temp', [{ tool: 'drop_table', args: { table: 'temp' } }]);
    const token = request.card_token!;
    // The longest custom_id, Approve's, within Discord's 100 characters.
    expect(`${approveId(request)}:${token}`).toHaveLength(96);

    expect(post.status).toBe(200);
    expect(post.body).toMatchObject({
      content: '',
      message_reference: { message_id: mention.id },
      embeds: [
        {
          title: '⚠️ Destructive request needs approval',
          color: ACCENT_COLOURS.danger,
          description: expect.stringContaining('Drop table temp'),
          fields: [
            { name: 'Tool', value: '`drop_table` (built-in) — destructive' },
            { name: 'Arguments', value: '`{"table":"temp"}`' },
          ],
          footer: { text: expect.stringContaining(`Requested by Alice`) },
        },
      ],
      components: [
        {
          type: ComponentType.ActionRow,
          components: [
            { type: ComponentType.Button, style: ButtonStyle.Success, label: 'Approve', custom_id: `${approveId(request)}:${token}` },
            { type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Deny', custom_id: `${DENY_ACTION}:${request.id}:${token}` },
            { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Deny with reason…', custom_id: `${DENY_WITH_REASON_ACTION}:${request.id}:${token}` },
            { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Edit…', custom_id: `${EDIT_ACTION}:${request.id}:${token}` },
          ],
        },
      ],
    });
    expect(request.request_status).toBe('pending');
  });

  it('runs the whole flow: mention, card, Approve deferred, card edited, progress edited in place, the model\'s answer posted', async () => {
    const { mention, cardId, request } = await requestFromAlice('count down from 3', 'Count down', [{ tool: 'countdown', args: { steps: 3, delayMs: 40 } }], 'Counted down from 3.');

    const click = world.fake.buttonInteraction({ customId: approveId(request), message: cardId, user: ids.moderator });

    const [callback] = await world.fake.waitForCalls({ method: 'POST', route: FakeRoute.interactionCallback });
    expect(callback).toMatchObject({ params: { interactionId: click.id }, body: { type: InteractionResponseType.DeferredMessageUpdate }, status: 204 });
    const [result] = await world.fake.waitForCalls<Body>((c) => c.method === 'POST' && (c.body as Body | undefined)?.content === 'Counted down from 3.');
    expect(result?.body).toMatchObject({ message_reference: { message_id: mention.id } });

    const [cardEdit] = editsOf(cardId);
    expect(embedOf(cardEdit).footer?.text).toContain('Approved by Morgan');
    expect(cardEdit?.body.components).toEqual([]);
    expect(embedOf(cardEdit).color).toBe(ACCENT_COLOURS.success);

    const progress = postsTo(ids.channel).find((c) => embedOf(c).title === 'Working')!;
    const runId = /run ([0-9a-f-]{36})/.exec(embedOf(progress).footer?.text ?? '')![1];
    expect(progress.body.components).toEqual([
      { type: ComponentType.ActionRow, components: [expect.objectContaining({ label: 'Cancel', custom_id: `${CANCEL_ACTION}:${runId}` })] },
    ]);
    const progressId = world.fake.messagesIn(ids.channel).find((m) => m.embeds[0]?.footer?.text === `run ${runId}`)!.id;
    // The answer is posted first; the progress message's last edit follows it.
    await world.fake.waitForCalls<Body>((c) => c.method === 'PATCH' && c.params.messageId === progressId && embedOf(c as RecordedCall<Body>).title === 'Run finished');
    const progressEdits = editsOf(progressId);
    expect(progressEdits.length).toBeGreaterThanOrEqual(2);
    const last = embedOf(progressEdits.at(-1));
    expect(last.title).toBe('Run finished');
    expect(last.description?.match(/↳ \d… ✓/g)).toHaveLength(3);
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
    expect((await world.requests()).find((r) => r.id === request.id)?.request_status).toBe('denied');
    // The model read the denial as the call's result and answered; the countdown never ran.
    await world.fake.waitForCalls<Body>((c) => c.method === 'POST' && (c.body as Body | undefined)?.content === 'Done, as you asked.');
    const progress = postsTo(ids.channel).find((c) => embedOf(c).title === 'Working')!;
    expect(embedOf(progress).description).toContain('🚫 `countdown`');
  });

  it('answers a member without Manage Server privately when they approve a destructive request, and runs nothing', async () => {
    const { cardId, request } = await requestFromAlice('drop the logs table', 'Drop table logs', [{ tool: 'drop_table', args: { table: 'logs' } }]);
    const before = dropped;

    world.fake.buttonInteraction({ customId: approveId(request), message: cardId, user: ids.member });

    const [followUp] = await world.fake.waitForCalls<Body & { flags?: number }>({ method: 'POST', route: FakeRoute.webhook });
    expect(followUp?.body.flags).toBe(MessageFlags.Ephemeral);
    expect(followUp?.body.content).toContain('only a workspace admin can approve it');
    expect(world.fake.callsTo('POST', FakeRoute.interactionCallback)[0]?.body).toEqual({ type: InteractionResponseType.DeferredMessageUpdate });
    expect(editsOf(cardId)).toEqual([]);
    expect((await world.requests()).find((r) => r.id === request.id)?.request_status).toBe('pending');
    expect(dropped).toBe(before);

    world.fake.buttonInteraction({ customId: approveId(request), message: cardId, user: ids.moderator });
    await eventually(async () => expect(await statusOf(request.id)).toBe('succeeded'));
    expect(dropped).toBe(before + 1);
  });

  it('stops a run from the Cancel button on its progress message', async () => {
    const { cardId, request } = await requestFromAlice('count down slowly', 'Count down', [{ tool: 'countdown', args: { steps: 10, delayMs: 200 } }]);
    world.fake.buttonInteraction({ customId: approveId(request), message: cardId, user: ids.moderator });
    const progress = await eventually(() => {
      const found = world.fake.messagesIn(ids.channel).find((m) => m.embeds[0]?.title === 'Working' && m.components?.length);
      if (!found) throw new Error('no progress message yet');
      return found;
    });
    const runId = /run ([0-9a-f-]{36})/.exec(progress.embeds[0]?.footer?.text ?? '')![1];

    world.fake.buttonInteraction({ customId: `${CANCEL_ACTION}:${runId}`, message: progress.id, user: ids.member });

    const [result] = await world.fake.waitForCalls<Body>((c) => c.method === 'POST' && (c.body as Body | undefined)?.content?.startsWith('⏹️ Cancelled') === true);
    expect(result?.body.content).toBe('⏹️ Cancelled by Alice; the run stopped.');
    await eventually(async () => expect(await statusOf(request.id)).toBe('cancelled'));
  });

  it('decides once when the same interaction is delivered twice, and the second delivery changes nothing', async () => {
    const { cardId, request } = await requestFromAlice('count down once', 'Count down', [{ tool: 'countdown', args: { steps: 1, delayMs: 0 } }]);

    const click = world.fake.buttonInteraction({ customId: approveId(request), message: cardId, user: ids.moderator });
    world.fake.dispatch(GatewayDispatchEvents.InteractionCreate, click.payload);

    const callbacks = await world.fake.waitForCalls({ method: 'POST', route: FakeRoute.interactionCallback }, 2);
    expect(callbacks.map((c) => c.status).sort()).toEqual([204, 400]);
    await eventually(async () => expect(await statusOf(request.id)).toBe('succeeded'));
    await world.harness.queue.drain();
    const results = world.fake.callsTo<Body>('POST', FakeRoute.channelMessages).filter((c) => c.body.content === 'Done, as you asked.');
    expect(results).toHaveLength(1);
    expect(editsOf(cardId).filter((e) => embedOf(e).footer?.text?.endsWith('Approved by Morgan'))).toHaveLength(1);
    expect(world.fake.callsTo('POST', FakeRoute.webhook)).toEqual([]);
  });
});
