/**
 * A click that beats the card's record on Discord (#22): the card shows once its POST returns,
 * and Switchboard stores its message id only after that. The card's record is held back in
 * Postgres while Approve is clicked, through the real discord.js client.
 */
import type { RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { newCardToken } from '../../../src/core/approvals/card-token';
import { FAKE_DISCORD_IDS, FakeRoute, type RecordedCall } from '../../fakes/fake-discord';
import { chatAnswer, requestAnswer } from '../../fakes/fake-openai';
import { bellTool } from '../../support/bell-tool';
import { holdCardRecords, type HeldCardRecords } from '../../support/held-card-records';
import { eventually, startDiscordWorld, type DiscordWorld, type RequestRow } from './discord-world';

const ids = FAKE_DISCORD_IDS;
type Body = RESTPostAPIChannelMessageJSONBody;

const bell = bellTool();

let world: DiscordWorld;
let held: HeldCardRecords | undefined;
beforeAll(async () => {
  world = await startDiscordWorld({ tools: [bell.tool] });
});
afterAll(() => world?.stop());
// A test that failed before letting the records through must not hold the next one's; its run must end before the next starts.
afterEach(async () => {
  await held?.release();
  await world.harness.queue.drain();
});
beforeEach(() => {
  world.fake.clearCalls();
  world.llm.reset();
});

const buttonsOf = (call: RecordedCall<Body>) => (call.body.components?.[0] as { components: { custom_id: string }[] }).components.map((b) => b.custom_id);
const editsOf = (messageId: string) => world.fake.callsTo<Body>('PATCH', FakeRoute.channelMessage).filter((c) => c.params.messageId === messageId);
/** Ephemeral follow-ups to a click (its first answer was a deferred update). */
const followUpsTo = (token: string) => world.fake.calls.filter((c) => c.params.token === token && c.method === 'POST' && c.route === FakeRoute.webhook) as RecordedCall<Body>[];
/** An approval card, not the run's progress message (whose button is Cancel). */
const isCard = (body: Body | undefined) => Boolean(body?.embeds?.[0]?.title?.includes('needs approval'));
const newest = async (): Promise<RequestRow> => (await world.requests()).at(-1)!;

/** Alice asks for the bell while cards' records are held; resolves once the card is posted and its record waits. */
async function askWhileRecordsHeld() {
  held = await holdCardRecords(world.db.orm);
  world.llm.script('chat', requestAnswer('Ring the bell', [{ tool: 'ring_bell', args: {} }]), chatAnswer('The bell rang, as you asked.'));
  world.fake.messageCreate({ content: 'ring the bell', mentionsBot: true, author: ids.member });
  await held.recordWaiting();
  const [card] = await world.fake.waitForCalls<Body>((c) => c.method === 'POST' && c.route === FakeRoute.channelMessages && isCard(c.body as Body));
  return { held, card: card!, cardId: (card!.response as { id: string }).id };
}

describe('a click on Discord that arrives before the card is stored', () => {
  it('Approve clicked twice the instant the card is posted, its record held back, approves the request once, runs it once and edits the card', async () => {
    const ringsBefore = bell.rings();
    const { held, card, cardId } = await askWhileRecordsHeld();
    const [approve] = buttonsOf(card);

    const clicks = [1, 2].map(() => world.fake.buttonInteraction({ customId: approve!, message: cardId, user: ids.moderator }));

    const decided = await eventually(async () => {
      const request = await newest();
      expect(request.request_status).toBe('approved');
      return request;
    });
    // Decided while the card's record still waited: its id is not stored yet.
    expect(decided.platform_message_id).toBeNull();
    const notes = await eventually(() => {
      const sent = clicks.flatMap((c) => followUpsTo(c.token));
      expect(sent).toHaveLength(1);
      return sent;
    });
    expect(notes[0]!.body.content).toBe('You already approved this request.');

    await held.release();
    await eventually(async () => expect((await newest()).run_status).toBe('succeeded'), 8000);
    expect(bell.rings() - ringsBefore).toBe(1);
    expect(await newest()).toMatchObject({ request_status: 'approved', platform_message_id: cardId });
    const lastEdit = await eventually(() => {
      const edit = editsOf(cardId).at(-1);
      expect(edit?.body.embeds?.[0]?.footer?.text).toContain('Approved by Morgan');
      return edit!;
    });
    expect(lastEdit.body.components).toEqual([]);
    expect(clicks.flatMap((c) => followUpsTo(c.token))).toHaveLength(1);
  });

  it("refuses a click whose custom_id carries a forged token before the card's record, and decides nothing", async () => {
    const { held, cardId } = await askWhileRecordsHeld();
    const request = await newest();

    const forged = world.fake.buttonInteraction({ customId: `switchboard.approve:${request.id}.${request.plan_hash}:${newCardToken()}`, message: cardId, user: ids.moderator });
    const [refusal] = await eventually(() => {
      const sent = followUpsTo(forged.token);
      expect(sent).toHaveLength(1);
      return sent;
    });
    await held.release();

    expect(refusal!.body.content).toContain("not on this request's card");
    await eventually(async () => expect((await newest()).platform_message_id).toBe(cardId));
    expect(await newest()).toMatchObject({ request_status: 'pending', run_status: 'waiting' });
    expect(editsOf(cardId)).toEqual([]);
  });

  it('a gate the model asks for mid-run, approved before its card is stored, lets the run go on once its step is given back', async () => {
    const ringsBefore = bell.rings();
    world.llm.script('chat', requestAnswer('Ring the bell', [{ tool: 'ring_bell', args: {} }]), requestAnswer('Ring it again', [{ tool: 'ring_bell', args: {} }]), chatAnswer('Rang twice.'));
    world.fake.messageCreate({ content: 'ring the bell twice', mentionsBot: true, author: ids.member });
    const [first] = await world.fake.waitForCalls<Body>((c) => c.method === 'POST' && c.route === FakeRoute.channelMessages && isCard(c.body as Body));
    const firstId = (first!.response as { id: string }).id;
    await eventually(async () => expect((await newest()).platform_message_id).toBe(firstId));
    held = await holdCardRecords(world.db.orm);
    world.fake.buttonInteraction({ customId: buttonsOf(first!)[0]!, message: firstId, user: ids.moderator });
    // The second card is posted by the run's step, which holds the run until it is given back.
    await held.recordWaiting();
    const cards = await world.fake.waitForCalls<Body>((c) => c.method === 'POST' && c.route === FakeRoute.channelMessages && isCard(c.body as Body), 2);
    const second = cards[1]!;

    world.fake.buttonInteraction({ customId: buttonsOf(second)[0]!, message: (second.response as { id: string }).id, user: ids.moderator });
    await eventually(async () => expect(await newest()).toMatchObject({ request_status: 'approved', platform_message_id: null }));
    await held.release();

    await eventually(async () => expect((await newest()).run_status).toBe('succeeded'), 8000);
    expect(bell.rings() - ringsBefore).toBe(2);
    await world.fake.waitForCalls<Body>((c) => c.method === 'POST' && (c.body as Body | undefined)?.content === 'Rang twice.');
  });
});
