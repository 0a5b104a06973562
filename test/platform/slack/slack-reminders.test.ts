/**
 * Reminders in Slack, through real Bolt against the fake Slack: after REMIND_AFTER (the test's
 * clock) each approver named by user id gets one direct message with the request and the
 * card's Approve and Deny; Approve there decides the request (a DM only its owner sees counts
 * as their own surface), and the card in the channel shows it. Someone else's click on those
 * buttons in a channel is refused.
 */
import { APPROVE_ACTION } from '../../../src/core/model/action-ids';
import { requestAnswer } from '../../fakes/fake-openai';
import type { FakeSlackCall } from '../../fakes/fake-slack';
import { rows } from '../../support/db-rows';
import { TestClock } from '../../support/memory-stores';
import { eventually, startSlackHarness, type SlackHarness } from './slack-harness';

const MINUTE = 60_000;
const clock = new TestClock();
let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({ clock, settings: { policy: { approvers: ['U_APP1', 'U_APP2'], fourEyes: false }, remindAfterMs: 10 * MINUTE, requestTtlMs: 15 * MINUTE } });
});
afterAll(() => h.close());

type Block = { type: string; elements?: { action_id?: string; value?: string }[] };
const dmsTo = (user: string): FakeSlackCall[] => h.callsIn(`D${user}`, 'chat.postMessage');
const approveIn = (call: FakeSlackCall) =>
  (call.params.blocks as Block[]).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : [])).find((e) => e.action_id === APPROVE_ACTION);
const requestRow = async (id: string) => (await rows<{ status: string; decided_by_id: string | null }>(h.db.orm, 'select status, decided_by_id from agent_request where id = ?', [id]))[0]!;

test('after REMIND_AFTER each approver gets one DM whose Approve decides the request; the same button clicked in a channel is refused', async () => {
  const channel = 'CREMIND1';
  h.answer('drop the carts table', requestAnswer('Drop carts', [{ tool: 'drop_table', args: { table: 'carts' } }]));
  await h.mention({ channel, user: 'U1', text: 'drop the carts table' });
  const card = await eventually(async () => (await h.stored(channel)).find((r) => r.message_type === 'agent_request' && r.platform_message_id));

  clock.advance(10 * MINUTE + 1000);
  await h.core.core.remindDueRequests();
  await h.core.core.remindDueRequests();
  const [dm, ...more] = dmsTo('U_APP1');
  expect(more).toEqual([]);
  expect(dmsTo('U_APP2')).toHaveLength(1);
  expect(String(dm!.params.text)).toBe('⏰ Reminder: a request still waits for your decision: Drop carts');
  const approve = approveIn(dm!)!;
  expect(approve.value).toBe(`${card.request_id!}.${card.plan_hash!}`);

  // Pasted into a channel message's click by someone else, it is not the card's button.
  const forged = await h.click({ channel, user: 'U_APP2', actionId: APPROVE_ACTION, value: approve.value!, messageTs: '1600000000.999999' });
  const refusal = await eventually(() => [...forged.responses(), ...h.callsIn(channel, 'chat.postEphemeral')].find((c) => String(c.params.text).includes("not on this request's card")));
  expect(refusal.error).toBeUndefined();
  expect((await requestRow(card.request_id!)).status).toBe('pending');

  await h.click({ channel: 'DU_APP1', user: 'U_APP1', actionId: APPROVE_ACTION, value: approve.value!, messageTs: String(dm!.answer?.ts) });
  await eventually(() => h.callsIn(channel, 'chat.update').find((c) => c.params.ts === card.platform_message_id && JSON.stringify(c.params.blocks).includes('Approved by')));
  expect(await requestRow(card.request_id!)).toEqual({ status: 'approved', decided_by_id: 'U_APP1' });
});
