/**
 * The approval flow in Slack: the Block Kit card, clicks acked at once, the card edited
 * only after the decision is committed, live progress by chat.update, and the result.
 */
import { ALWAYS_ALLOW_ACTION, APPROVE_ACTION, DENY_ACTION, DENY_WITH_REASON_ACTION, EDIT_ACTION } from '../../../src/core/model/action-ids';
import { requestAnswer } from '../../fakes/fake-openai';
import type { FakeSlackCall } from '../../fakes/fake-slack';
import { eventually, startSlackHarness, type SlackHarness } from './slack-harness';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({ workspace: { admins: ['U_ADMIN'] } });
});
afterAll(() => h.close());

type Block = { type: string; elements?: Record<string, unknown>[]; text?: { text: string }; fields?: { text: string }[] };
const blocksOf = (call: FakeSlackCall) => (call.params.blocks ?? []) as Block[];
const textOf = (call: FakeSlackCall) => JSON.stringify(call.params.blocks ?? '') + String(call.params.text);

/** Asks for something in a new channel thread and returns the stored card (with its request) and the posted card. */
async function propose(channel: string, ask: string, answer: ReturnType<typeof requestAnswer>) {
  h.answer(ask, answer);
  const threadTs = `${1600001000 + Number(channel.replace(/\D/g, ''))}.000100`;
  await h.mention({ channel, user: 'U1', text: ask, ts: threadTs });
  const stored = await eventually(async () => (await h.stored(channel)).find((r) => r.message_type === 'agent_request' && r.platform_message_id));
  const card = h.callsIn(channel, 'chat.postMessage').find((c) => c.params.text !== undefined && textOf(c).includes(stored.request_id!))!;
  const approve = String(blocksOf(card).find((b) => b.type === 'actions')!.elements![0]!.value);
  return { request: { ...stored, id: stored.request_id! }, approve, cardTs: stored.platform_message_id!, threadTs, card };
}

describe('Slack approval cards', () => {
  test("a request is posted as a card with the plan, a primary Approve carrying the request and its plan, and Deny, Deny with reason, Edit and Always allow here carrying the request, each with the card's token", async () => {
    const { request, card, threadTs } = await propose('CAPP1', 'count down from 2', requestAnswer('Count down', [{ tool: 'countdown', args: { steps: 2, delayMs: 0 } }]));

    expect(card.params).toMatchObject({ thread_ts: threadTs, text: expect.stringContaining('Count down') });
    expect(card.error).toBeUndefined();
    const blocks = blocksOf(card);
    expect(blocks[0]).toMatchObject({ type: 'header' });
    expect(JSON.stringify(blocks)).toContain('countdown');
    const actions = blocks.find((b) => b.type === 'actions')!;
    // 128 random bits, stored with the request before the card was posted.
    const token = request.card_token!;
    expect(token).toMatch(/^[\w-]{22}$/);
    expect(request.plan_hash).toMatch(/^[0-9a-f]{16}$/);
    expect(actions.elements).toEqual([
      expect.objectContaining({ type: 'button', action_id: APPROVE_ACTION, value: `${request.id}.${request.plan_hash}:${token}`, style: 'primary', text: expect.objectContaining({ text: 'Approve' }) }),
      expect.objectContaining({ type: 'button', action_id: DENY_ACTION, value: `${request.id}:${token}`, style: 'danger', text: expect.objectContaining({ text: 'Deny' }) }),
      expect.objectContaining({ type: 'button', action_id: DENY_WITH_REASON_ACTION, value: `${request.id}:${token}`, text: expect.objectContaining({ text: 'Deny with reason…' }) }),
      expect.objectContaining({ type: 'button', action_id: EDIT_ACTION, value: `${request.id}:${token}`, text: expect.objectContaining({ text: 'Edit…' }) }),
      // countdown is not destructive: the card offers "Always allow here" (docs/policy.md), carrying the plan too.
      expect.objectContaining({ type: 'button', action_id: ALWAYS_ALLOW_ACTION, value: `${request.id}.${request.plan_hash}:${token}`, text: expect.objectContaining({ text: 'Always allow here' }) }),
    ]);
    expect(actions.elements![0]).not.toHaveProperty('confirm');
  });

  test('approving edits the card (buttons gone, "Approved by"), then progress is edited in place and the model\'s answer is posted', async () => {
    const channel = 'CAPP2';
    const { approve, cardTs, threadTs } = await propose(channel, 'count down from 3', requestAnswer('Count down', [{ tool: 'countdown', args: { steps: 3, delayMs: 120 } }]));

    // The card edit is held: the click's ack must not wait for the work it starts.
    const releaseEdits = h.slack.hold('chat.update');
    const click = await h.click({ channel, user: 'U1', actionId: APPROVE_ACTION, value: approve, messageTs: cardTs, threadTs }).finally(releaseEdits);

    expect(click.ack.status).toBe(200);
    const result = await eventually(() => h.callsIn(channel, 'chat.postMessage').find((c) => String(c.params.text) === 're: count down from 3'), 8000);
    expect(result.params).toMatchObject({ thread_ts: threadTs });
    const cardEdits = h.callsIn(channel, 'chat.update').filter((c) => c.params.ts === cardTs);
    expect(textOf(cardEdits[0]!)).toContain('Approved by user-u1');
    expect(cardEdits.every((c) => !blocksOf(c).some((b) => b.type === 'actions'))).toBe(true);
    const progress = (await h.stored(channel)).find((r) => r.message_type === 'agent_progress')!;
    const editsOfProgress = () => h.callsIn(channel, 'chat.update').filter((c) => c.params.ts === progress.platform_message_id);
    // The answer is posted first; the progress message's last edit follows it.
    await eventually(() => editsOfProgress().find((c) => textOf(c).includes('Run finished')));
    const progressEdits = editsOfProgress();
    expect(progressEdits.length).toBeGreaterThanOrEqual(2);
    expect(textOf(progressEdits.at(-1)!)).toContain('Run finished');
    expect(textOf(progressEdits.at(-1)!)).toContain('Lift-off after 3 steps.');
    expect(h.slack.calls.filter((c) => c.error !== undefined)).toEqual([]);
    await eventually(async () => ((await h.stored(channel)).find((r) => r.message_type === 'agent_request')?.run_status === 'succeeded' ? true : undefined));
    expect((await h.stored(channel)).find((r) => r.message_type === 'agent_request')?.text).toContain('Approved by user-u1');
  });

  test('denying edits the card to "Denied by", runs nothing, and a later Approve gets a private "already denied"', async () => {
    const channel = 'CAPP3';
    const { request, approve, cardTs, threadTs } = await propose(channel, 'count down from 1', requestAnswer('Count down', [{ tool: 'countdown', args: { steps: 1, delayMs: 0 } }]));

    await h.click({ channel, user: 'U1', actionId: DENY_ACTION, value: request.id, messageTs: cardTs, threadTs });
    const denied = await eventually(() => h.callsIn(channel, 'chat.update').find((c) => c.params.ts === cardTs));
    await h.click({ channel, user: 'U1', actionId: APPROVE_ACTION, value: approve, messageTs: cardTs, threadTs });
    const note = await eventually(() => h.callsIn(channel, 'chat.postEphemeral')[0]);

    expect(textOf(denied)).toContain('Denied by user-u1');
    expect(blocksOf(denied).some((b) => b.type === 'actions')).toBe(false);
    expect(note.params).toMatchObject({ user: 'U1', thread_ts: threadTs, text: expect.stringContaining('already denied') });
    const card = (await h.stored(channel)).find((r) => r.message_type === 'agent_request');
    expect(card?.request_status).toBe('denied');
    // The card's row says what the card now shows: stored by the statement that decided.
    expect(card?.text).toMatch(/Denied by /);
    // The model read the denial and answered; the countdown never ran.
    await eventually(() => h.callsIn(channel, 'chat.postMessage').find((c) => String(c.params.text) === 're: count down from 1'));
    const progress = (await h.stored(channel)).find((r) => r.message_type === 'agent_progress')!;
    expect(progress.text).toContain('🚫 `countdown`');
    expect(h.callsIn(channel, 'chat.update').filter((c) => c.params.ts === cardTs)).toHaveLength(1);
  });

  test('a destructive request asks to confirm, refuses a non-admin privately, and runs once an admin approves', async () => {
    const channel = 'CAPP4';
    const { approve: value, card, cardTs, threadTs } = await propose(channel, 'drop the users table', requestAnswer('Drop users', [{ tool: 'drop_table', args: { table: 'users' } }]));
    const approve = blocksOf(card).find((b) => b.type === 'actions')!.elements![0]!;
    expect(approve).toMatchObject({ style: 'primary', confirm: { title: expect.any(Object), confirm: expect.any(Object), deny: expect.any(Object) } });

    await h.click({ channel, user: 'U3', actionId: APPROVE_ACTION, value, messageTs: cardTs, threadTs });
    const refusal = await eventually(() => h.callsIn(channel, 'chat.postEphemeral')[0]);

    expect(refusal.params).toMatchObject({ user: 'U3', thread_ts: threadTs, text: expect.stringContaining('destructive') });
    expect(h.callsIn(channel, 'chat.update')).toEqual([]);
    expect((await h.stored(channel)).find((r) => r.message_type === 'agent_request')?.request_status).toBe('pending');

    await h.click({ channel, user: 'U_ADMIN', actionId: APPROVE_ACTION, value, messageTs: cardTs, threadTs });
    const progress = await eventually(async () => (await h.stored(channel)).find((r) => r.message_type === 'agent_progress' && r.text.includes('dropped users')), 8000);
    expect(progress.text).toContain('✅ `drop_table`');
    expect(textOf(h.callsIn(channel, 'chat.update').find((c) => c.params.ts === cardTs)!)).toContain('Approved by user-u_admin');
  });
});
