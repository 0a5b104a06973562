/**
 * A click that beats the card's record (#22): Slack shows the card as soon as
 * chat.postMessage returns, and Switchboard stores its ts only after that. The card's
 * record is held back in Postgres while Approve is clicked, through the real Bolt app.
 */
import { newCardToken } from '../../../src/core/approvals/card-token';
import { APPROVE_ACTION } from '../../../src/core/model/action-ids';
import { requestAnswer } from '../../fakes/fake-openai';
import type { FakeSlackCall } from '../../fakes/fake-slack';
import { rows } from '../../support/db-rows';
import { bellTool } from '../../support/bell-tool';
import { holdCardRecords, type HeldCardRecords } from '../../support/held-card-records';
import { eventually, startSlackHarness, type SlackHarness } from './slack-harness';

const bell = bellTool();

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({ tools: [bell.tool] });
});
afterAll(() => h.close());
let held: HeldCardRecords | undefined;
// A test that failed before letting the records through must not hold the next one's.
afterEach(() => held?.release());

type Block = { type: string; elements?: { value?: string }[] };
const blocksOf = (call: FakeSlackCall) => (call.params.blocks ?? []) as Block[];
const textOf = (call: FakeSlackCall) => JSON.stringify(call.params.blocks ?? '') + String(call.params.text);

interface RequestState {
  id: string;
  status: string;
  decided_by_id: string | null;
  card_platform_id: string | null;
  plan_hash: string;
  run_status: string;
}

/** The channel's one request, read straight from Postgres (its card may not be stored yet). */
async function requestIn(channel: string): Promise<RequestState | undefined> {
  const [request] = await rows<RequestState>(
    h.db.orm,
    `select q.id, q.status, q.decided_by_id, q.card_platform_id, q.plan_hash, r.status as run_status
     from agent_request q join agent_run r on r.id = q.run_id join conversation c on c.id = r.conversation_id
     where c.platform = 'slack' and c.channel_id = ?`,
    [channel],
  );
  return request;
}

/** U1 asks in a new thread of `channel` while cards' records are held; resolves once the card is posted and its record waits. */
async function askWhileRecordsHeld(channel: string) {
  held = await holdCardRecords(h.db.orm);
  const threadTs = `${1600005000 + Number(channel.replace(/\D/g, ''))}.000100`;
  h.answer(`ring the bell in ${channel}`, requestAnswer('Ring the bell', [{ tool: 'ring_bell', args: {} }]));
  await h.mention({ channel, user: 'U1', text: `ring the bell in ${channel}`, ts: threadTs });
  await held.recordWaiting();
  const card = h.callsIn(channel, 'chat.postMessage').find((c) => blocksOf(c).some((b) => b.type === 'actions'))!;
  const approve = String(blocksOf(card).find((b) => b.type === 'actions')!.elements![0]!.value);
  return { held, threadTs, cardTs: String(card.answer!.ts), approve };
}

describe('a click that arrives before the card is stored', () => {
  test('Approve clicked twice the instant the card is posted, its record held back, approves the request once, runs it once and edits the card', async () => {
    const channel = 'CEARLY1';
    const ringsBefore = bell.rings();
    const { held, threadTs, cardTs, approve } = await askWhileRecordsHeld(channel);

    const clicks = await Promise.all([1, 2].map(() => h.click({ channel, user: 'U1', actionId: APPROVE_ACTION, value: approve, messageTs: cardTs, threadTs })));

    expect(clicks.map((c) => c.ack.status)).toEqual([200, 200]);
    const decided = await eventually(async () => ((await requestIn(channel))?.status === 'approved' ? requestIn(channel) : undefined));
    // Decided while the card's record still waited: its id is not stored yet.
    expect(decided).toMatchObject({ decided_by_id: 'U1', card_platform_id: null });
    const note = await eventually(() => h.callsIn(channel, 'chat.postEphemeral')[0]);
    expect(note.params).toMatchObject({ user: 'U1', text: 'You already approved this request.' });

    await held.release();
    await eventually(async () => ((await requestIn(channel))?.run_status === 'succeeded' ? true : undefined), 8000);
    expect(bell.rings() - ringsBefore).toBe(1);
    const card = (await h.stored(channel)).filter((r) => r.message_type === 'agent_request');
    expect(card).toEqual([expect.objectContaining({ platform_message_id: cardTs, request_status: 'approved', text: expect.stringContaining('Approved by user-u1') })]);
    const lastEdit = await eventually(() => h.callsIn(channel, 'chat.update').filter((c) => c.params.ts === cardTs).at(-1));
    expect(textOf(lastEdit)).toContain('Approved by user-u1');
    expect(blocksOf(lastEdit).some((b) => b.type === 'actions')).toBe(false);
    expect(h.callsIn(channel, 'chat.postEphemeral')).toHaveLength(1);
  });

  test("a click whose button carries a forged token is refused before the card's record and decides nothing", async () => {
    const channel = 'CEARLY2';
    const { held, threadTs, cardTs } = await askWhileRecordsHeld(channel);
    const { id, plan_hash } = (await requestIn(channel))!;

    await h.click({ channel, user: 'U1', actionId: APPROVE_ACTION, value: `${id}.${plan_hash}:${newCardToken()}`, messageTs: cardTs, threadTs });
    const refusal = await eventually(() => h.callsIn(channel, 'chat.postEphemeral')[0]);
    await held.release();

    expect(refusal.params).toMatchObject({ user: 'U1', text: expect.stringContaining("not on this request's card") });
    await eventually(async () => ((await requestIn(channel))?.card_platform_id === cardTs ? true : undefined));
    expect(await requestIn(channel)).toMatchObject({ status: 'pending', decided_by_id: null, run_status: 'waiting' });
    expect(h.callsIn(channel, 'chat.update').filter((c) => c.params.ts === cardTs)).toEqual([]);
  });
});
