/**
 * The forms an approval card's buttons open on Discord: "Deny with reason…" and "Edit…"
 * answer the click with a modal (no defer before it), and the submitted modal decides or
 * edits the request.
 */
import {
  ComponentType,
  InteractionResponseType,
  MessageFlags,
  TextInputStyle,
  type APIEmbed,
  type APIModalInteractionResponseCallbackData,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord.js';
import { APPROVE_ACTION, DENY_WITH_REASON_ACTION, EDIT_ACTION } from '../../../src/core/model/action-ids';
import { OUTDATED_FORM_NOTICE } from '../../../src/adapters/discord/form-interactions';
import { countdownTool } from '../../../src/tools/countdown';
import { FAKE_DISCORD_IDS, FakeRoute, type RecordedCall } from '../../fakes/fake-discord';
import { chatAnswer, requestAnswer } from '../../fakes/fake-openai';
import { eventually, startDiscordWorld, type DiscordWorld } from './discord-world';

const ids = FAKE_DISCORD_IDS;
/** Neither the requester nor a holder of Manage Server. */
const eve = { id: '500000000000000009', username: 'eve', globalName: 'Eve' };
type Body = RESTPostAPIChannelMessageJSONBody;
type Callback = { type: number; data?: Record<string, unknown> };
type Modal = APIModalInteractionResponseCallbackData & { components: { type: number; label: string; component: Record<string, unknown> }[] };

let world: DiscordWorld;
beforeAll(async () => {
  world = await startDiscordWorld({ tools: [countdownTool] });
});
afterAll(async () => {
  await world?.stop();
});
afterEach(() => world.harness.queue.drain());
beforeEach(() => {
  world.fake.clearCalls();
  world.llm.reset();
});

/** Alice asks for a countdown; the model proposes it (and says `done` once its result is in). Resolves with the request and its card. */
async function requestFromAlice(text: string, steps: number, done: string) {
  world.llm.script('chat', requestAnswer('Count down', [{ tool: 'countdown', args: { steps, delayMs: 0 } }]), chatAnswer(done));
  const mention = world.fake.messageCreate({ content: text, mentionsBot: true, author: ids.member });
  const request = await world.nextCard();
  return { mention, request, cardId: request.platform_message_id };
}

/** The first answer Discord got for an interaction. */
const firstAnswerTo = async (interactionId: string) =>
  (await world.fake.waitForCalls<Callback>((c) => c.route === FakeRoute.interactionCallback && c.params.interactionId === interactionId))[0]!;
/** Private answers to an interaction: its deferred reply filled in, then ephemeral follow-ups. */
const privateAnswers = (token: string) =>
  world.fake.calls.filter((c) => c.params.token === token && ((c.method === 'PATCH' && c.route === FakeRoute.originalResponse) || (c.method === 'POST' && c.route === FakeRoute.webhook))) as RecordedCall<Body>[];
const contentsOf = (token: string) => privateAnswers(token).flatMap((c) => (c.body.content ? [c.body.content] : []));
const cardEdits = (cardId: string) => world.fake.callsTo<Body>('PATCH', FakeRoute.channelMessage).filter((c) => c.params.messageId === cardId);
const embedOf = (call: RecordedCall<Body> | undefined): APIEmbed => call?.body.embeds?.[0] ?? {};
const rowOf = async (id: string) => (await world.requests()).find((r) => r.id === id)!;
const approveOn = (call: RecordedCall<Body>) => (call.body.components?.[0] as { components: { custom_id: string }[] }).components[0]!.custom_id;

/** Clicks a form button on the card; resolves with the modal shown as the click's answer. */
async function openForm(actionId: string, requestId: string, cardId: string, user: string = ids.member) {
  const click = world.fake.buttonInteraction({ customId: `${actionId}:${requestId}`, message: cardId, user });
  const answer = await firstAnswerTo(click.id);
  expect(answer).toMatchObject({ status: 204, body: { type: InteractionResponseType.Modal } });
  return answer.body.data as unknown as Modal;
}

/** Submits a modal from the card; resolves with the private answer once there is one. */
async function submit(modal: Modal, cardId: string, values: Record<string, string>, user: string = ids.member) {
  const sent = world.fake.modalSubmitInteraction({ customId: modal.custom_id, values, message: cardId, user });
  expect((await firstAnswerTo(sent.id)).body).toEqual({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
  return sent;
}

describe('approval forms on Discord', () => {
  it('answers "Deny with reason…" with a modal; its reason reaches the model as the call\'s result, the card says it, and nothing runs', async () => {
    const { mention, request, cardId } = await requestFromAlice('count down for the release', 2, 'Understood, not now.');

    const modal = await openForm(DENY_WITH_REASON_ACTION, request.id, cardId);
    expect(modal).toEqual({
      custom_id: `${DENY_WITH_REASON_ACTION}:${request.id}`,
      title: 'Deny the request',
      components: [
        {
          type: ComponentType.Label,
          label: 'Why? (the agent reads this)',
          component: expect.objectContaining({ type: ComponentType.TextInput, custom_id: 'reason', style: TextInputStyle.Paragraph, required: false, max_length: 500 }),
        },
      ],
    });
    expect(world.fake.callsTo('POST', FakeRoute.interactionCallback)).toHaveLength(1);

    await submit(modal, cardId, { reason: 'not during the freeze' });

    const [reply] = await world.fake.waitForCalls<Body>((c) => c.method === 'POST' && (c.body as Body | undefined)?.content === 'Understood, not now.');
    expect(reply?.body).toMatchObject({ message_reference: { message_id: mention.id } });
    const afterDenial = world.llm.requests.find((r) => r.body.messages.some((m) => m.role === 'tool'))!;
    const gated = afterDenial.body.messages.find((m) => m.tool_calls?.some((c) => c.function.name === 'countdown'))!.tool_calls![0]!;
    expect(afterDenial.body.messages.filter((m) => m.role === 'tool')).toEqual([
      expect.objectContaining({ tool_call_id: gated.id, content: expect.stringMatching(/denied by Alice: not during the freeze/i) }),
    ]);
    const [edit] = cardEdits(cardId);
    expect(embedOf(edit).footer?.text).toContain('Denied by Alice: not during the freeze');
    expect(edit?.body.components).toEqual([]);
    expect((await rowOf(request.id)).request_status).toBe('denied');
    expect(JSON.stringify(world.fake.calls)).not.toContain('Lift-off');
  });

  it('answers "Edit…" with the arguments prefilled; bad JSON or arguments the tool refuses change nothing, an edit redraws the card with a new plan, and only the new Approve runs it', async () => {
    const { request, cardId } = await requestFromAlice('count down from 2', 2, 'Counted down.');

    const modal = await openForm(EDIT_ACTION, request.id, cardId);
    expect(modal).toMatchObject({ custom_id: `${EDIT_ACTION}:${request.id}`, title: 'Edit the calls' });
    expect(modal.components).toHaveLength(1);
    const input = modal.components[0]!.component;
    expect(input).toMatchObject({ type: ComponentType.TextInput, style: TextInputStyle.Paragraph, required: true, max_length: 4000 });
    expect(JSON.parse(String(input.value))).toEqual({ steps: 2, delayMs: 0 });
    const field = String(input.custom_id);

    const badJson = await submit(modal, cardId, { [field]: '{"steps": 3,' });
    const [notJson] = await eventually(() => nonEmpty(contentsOf(badJson.token)));
    const refused = await submit(modal, cardId, { [field]: '{"steps": 50, "delayMs": 0}' });
    const [invalid] = await eventually(() => nonEmpty(contentsOf(refused.token)));
    const schemaMessage = (countdownTool.checkArgs({ steps: 50, delayMs: 0 }) as { error: string }).error;
    expect([notJson, invalid]).toEqual([
      'Nothing was changed: the arguments of call 1 (countdown) are not a JSON object.',
      `Nothing was changed: the arguments of call 1 (countdown) are invalid: ${schemaMessage}`,
    ]);
    expect(cardEdits(cardId)).toEqual([]);
    expect((await rowOf(request.id)).plan_hash).toBe(request.plan_hash);

    await submit(modal, cardId, { [field]: '{"steps": 3, "delayMs": 0}' });
    const [redrawn] = await world.fake.waitForCalls<Body>((c) => c.method === 'PATCH' && c.route === FakeRoute.channelMessage && c.params.messageId === cardId);
    const newHash = (await rowOf(request.id)).plan_hash;
    expect(newHash).not.toBe(request.plan_hash);
    expect(embedOf(redrawn).fields).toContainEqual({ name: 'Arguments', value: '`{"delayMs":0,"steps":3}`' });
    // The redrawn card carries the new plan, and the same token: it is the same card.
    expect(approveOn(redrawn!)).toBe(`${APPROVE_ACTION}:${request.id}.${newHash}:${request.card_token}`);

    const stale = world.fake.buttonInteraction({ customId: `${APPROVE_ACTION}:${request.id}.${request.plan_hash}`, message: cardId, user: ids.moderator });
    const [staleNote] = await eventually(() => nonEmpty(privateAnswers(stale.token)));
    expect(staleNote!.body).toMatchObject({ flags: MessageFlags.Ephemeral, content: expect.stringContaining('edited after that card was shown') });
    expect((await rowOf(request.id)).request_status).toBe('pending');

    world.fake.buttonInteraction({ customId: approveOn(redrawn!), message: cardId, user: ids.moderator });
    await eventually(async () => expect((await rowOf(request.id)).run_status).toBe('succeeded'));
    const toolResults = world.llm.requests.flatMap((r) => r.body.messages).filter((m) => m.role === 'tool');
    expect(toolResults.map((m) => m.content)).toContain('Lift-off after 3 steps.');
  });

  it('answers someone who may not decide privately instead of opening the deny form', async () => {
    const { request, cardId } = await requestFromAlice('count down from 1', 1, 'Done.');

    const click = world.fake.buttonInteraction({ customId: `${DENY_WITH_REASON_ACTION}:${request.id}`, message: cardId, user: eve });

    const answer = await firstAnswerTo(click.id);
    expect(answer.body).toMatchObject({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral, content: 'Only the requester or a workspace admin can deny this request.' },
    });
    expect(world.fake.shownModal(click.id)).toBeUndefined();
    expect((await rowOf(request.id)).request_status).toBe('pending');
  });

  it('answers a submitted form that leads back to no card as out of date, and decides nothing', async () => {
    const { request, cardId } = await requestFromAlice('count down from 4', 4, 'Done.');
    const modal = await openForm(DENY_WITH_REASON_ACTION, request.id, cardId);

    const orphan = world.fake.modalSubmitInteraction({ customId: modal.custom_id, values: { reason: 'no card' } });

    const [note] = await eventually(() => nonEmpty(privateAnswers(orphan.token)));
    expect(note!.body.content).toBe(OUTDATED_FORM_NOTICE);
    expect((await rowOf(request.id)).request_status).toBe('pending');
  });
});

/** Passes a list on once it has something in it, for `eventually`. */
function nonEmpty<T>(list: T[]): T[] {
  if (list.length === 0) throw new Error('nothing yet');
  return list;
}
