/**
 * The forms an approval card's buttons open in Slack: "Deny with reason…" and "Edit…" open a
 * modal with the click's trigger_id, and its submission decides or edits the request.
 */
import { escapeMrkdwn } from '../../../src/adapters/slack/mrkdwn';
import { APPROVE_ACTION, DENY_WITH_REASON_ACTION, EDIT_ACTION } from '../../../src/core/model/action-ids';
import { countdownTool } from '../../../src/tools/countdown';
import { requestAnswer } from '../../fakes/fake-openai';
import type { FakeSlackCall } from '../../fakes/fake-slack';
import { eventually, startSlackHarness, type SlackHarness } from './slack-harness';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({ workspace: { admins: ['U_ADMIN'] } });
});
afterAll(() => h.close());

type Block = { type: string; optional?: boolean; fields?: { text: string }[]; elements?: Record<string, unknown>[]; element?: Record<string, unknown> };
type View = { title: { text: string }; submit: { text: string }; blocks: Block[] } & Record<string, unknown>;
const blocksOf = (call: FakeSlackCall) => (call.params.blocks ?? []) as Block[];
const textOf = (call: FakeSlackCall) => JSON.stringify(call.params.blocks ?? '') + String(call.params.text);
const approveValueOf = (call: FakeSlackCall) => String(blocksOf(call).find((b) => b.type === 'actions')!.elements![0]!.value);
const countdown = (steps: number) => requestAnswer('Count down', [{ tool: 'countdown', args: { steps, delayMs: 0 } }]);

/** Alice (U1) asks in a new thread of `channel`; resolves with the stored request and where its card is. */
async function propose(channel: string, ask: string, steps: number) {
  h.answer(ask, countdown(steps));
  const threadTs = `${1600002000 + Number(channel.replace(/\D/g, ''))}.000100`;
  await h.mention({ channel, user: 'U1', text: ask, ts: threadTs });
  const stored = await eventually(async () => (await h.stored(channel)).find((r) => r.message_type === 'agent_request' && r.platform_message_id));
  const card = h.callsIn(channel, 'chat.postMessage').find((c) => textOf(c).includes(stored.request_id!))!;
  return { requestId: stored.request_id!, planHash: stored.plan_hash!, approve: approveValueOf(card), cardTs: stored.platform_message_id!, threadTs };
}

type Proposed = Awaited<ReturnType<typeof propose>>;

/** Clicks a form button on the card; resolves with the click's ack and, once Slack got it, the views.open it led to (if any). */
async function clickForm(channel: string, user: string, actionId: string, p: Proposed) {
  let triggerId = '';
  const click = await h.click({ channel, user, actionId, value: p.requestId, messageTs: p.cardTs, threadTs: p.threadTs }, (payload) => {
    triggerId = String(payload.trigger_id);
  });
  const opened = () => h.slack.callsOf('views.open').find((c) => c.params.trigger_id === triggerId);
  return { ack: click.ack, opened };
}

/** Opens the form and submits it with `values`; resolves with the submission's ack. */
async function fillIn(channel: string, user: string, actionId: string, p: Proposed, values: (view: View) => Record<string, string>) {
  const { opened } = await clickForm(channel, user, actionId, p);
  const call = await eventually(opened);
  expect(call.error).toBeUndefined();
  const view = call.answer!.view as View;
  return h.submit({ user, view, values: values(view) });
}

const ephemeralsTo = (channel: string, user: string) => h.callsIn(channel, 'chat.postEphemeral').filter((c) => c.params.user === user);
const requestRow = async (channel: string) => (await h.stored(channel)).find((r) => r.message_type === 'agent_request')!;
const fieldIdOf = (view: View) => String(view.blocks[0]!.element!.action_id);

describe('Slack approval forms', () => {
  test('"Deny with reason…" opens a modal; its reason reaches the model as the call\'s result, the card says it, and nothing runs', async () => {
    const channel = 'CFORM1';
    const p = await propose(channel, 'count down from 2', 2);

    const { ack, opened } = await clickForm(channel, 'U1', DENY_WITH_REASON_ACTION, p);
    expect(ack.status).toBe(200);
    const open = await eventually(opened);
    const view = open.params.view as View;
    expect(open.error).toBeUndefined();
    expect(view).toMatchObject({ type: 'modal', title: { text: 'Deny the request' }, submit: { text: 'Deny' } });
    expect(view.blocks).toEqual([
      expect.objectContaining({ type: 'input', optional: true, label: expect.objectContaining({ text: expect.stringContaining('Why?') }), element: expect.objectContaining({ type: 'plain_text_input', action_id: 'reason', multiline: true, max_length: 500 }) }),
    ]);

    const submitted = await h.submit({ user: 'U1', view: open.answer!.view as View, values: { reason: 'not during the freeze' } });
    expect(submitted).toMatchObject({ status: 200, body: '' });

    const reply = await eventually(() => h.callsIn(channel, 'chat.postMessage').find((c) => String(c.params.text) === 're: count down from 2'), 8000);
    expect(reply.params).toMatchObject({ thread_ts: p.threadTs });
    const afterDenial = h.llm.requests.find((r) => r.body.messages.some((m) => m.role === 'tool'))!;
    const gated = afterDenial.body.messages.find((m) => m.tool_calls?.some((c) => c.function.name === 'countdown'))!.tool_calls![0]!;
    expect(afterDenial.body.messages.filter((m) => m.role === 'tool')).toEqual([
      expect.objectContaining({ tool_call_id: gated.id, content: expect.stringMatching(/denied by user-u1: not during the freeze/i) }),
    ]);
    const cardEdit = h.callsIn(channel, 'chat.update').find((c) => c.params.ts === p.cardTs)!;
    expect(textOf(cardEdit)).toContain('Denied by user-u1: not during the freeze');
    expect(blocksOf(cardEdit).some((b) => b.type === 'actions')).toBe(false);
    expect((await requestRow(channel)).request_status).toBe('denied');
    const progress = (await h.stored(channel)).find((r) => r.message_type === 'agent_progress')!;
    expect(progress.text).toContain('🚫 `countdown`');
    expect(JSON.stringify(h.slack.calls)).not.toContain('Lift-off');
  });

  test('"Edit…" opens the call\'s arguments; bad JSON or arguments the tool refuses change nothing, an edit redraws the card with a new plan, and only the new Approve runs it', async () => {
    const channel = 'CFORM2';
    const p = await propose(channel, 'count down from 2 please', 2);

    const { opened } = await clickForm(channel, 'U1', EDIT_ACTION, p);
    const view = (await eventually(opened)).params.view as View;
    expect(view).toMatchObject({ title: { text: 'Edit the calls' }, submit: { text: 'Save' } });
    expect(view.blocks).toHaveLength(1);
    expect(view.blocks[0]).toMatchObject({ optional: false, element: { type: 'plain_text_input', multiline: true, max_length: 3000 } });
    expect(JSON.parse(String(view.blocks[0]!.element!.initial_value))).toEqual({ steps: 2, delayMs: 0 });

    await fillIn(channel, 'U1', EDIT_ACTION, p, (v) => ({ [fieldIdOf(v)]: '{"steps": 3,' }));
    await eventually(() => ephemeralsTo(channel, 'U1')[0]);
    await fillIn(channel, 'U1', EDIT_ACTION, p, (v) => ({ [fieldIdOf(v)]: '{"steps": 50, "delayMs": 0}' }));
    await eventually(() => ephemeralsTo(channel, 'U1')[1]);
    const schemaMessage = (countdownTool.checkArgs({ steps: 50, delayMs: 0 }) as { error: string }).error;
    expect(ephemeralsTo(channel, 'U1').map((c) => c.params.text)).toEqual([
      'Nothing was changed: the arguments of call 1 (countdown) are not a JSON object.',
      // Slack shows `&lt;` as `<`: the schema's own words, as mrkdwn.
      `Nothing was changed: the arguments of call 1 (countdown) are invalid: ${escapeMrkdwn(schemaMessage)}`,
    ]);
    expect(h.callsIn(channel, 'chat.update').filter((c) => c.params.ts === p.cardTs)).toEqual([]);
    expect((await requestRow(channel)).plan_hash).toBe(p.planHash);

    await fillIn(channel, 'U1', EDIT_ACTION, p, (v) => ({ [fieldIdOf(v)]: '{"steps": 3, "delayMs": 0}' }));
    const redrawn = await eventually(() => h.callsIn(channel, 'chat.update').find((c) => c.params.ts === p.cardTs));
    const newHash = (await requestRow(channel)).plan_hash!;
    expect(newHash).not.toBe(p.planHash);
    const shownArgs = blocksOf(redrawn).flatMap((b) => b.fields ?? []).find((f) => f.text.startsWith('*Arguments*'));
    expect(shownArgs?.text).toBe('*Arguments*\n`{"delayMs":0,"steps":3}`');
    // The redrawn card carries the new plan, and the same token: it is the same card.
    expect(approveValueOf(redrawn)).toBe(`${p.requestId}.${newHash}:${p.approve.split(':')[1]}`);

    await h.click({ channel, user: 'U1', actionId: APPROVE_ACTION, value: p.approve, messageTs: p.cardTs, threadTs: p.threadTs });
    const refused = await eventually(() => ephemeralsTo(channel, 'U1').find((c) => String(c.params.text).includes('edited after that card was shown')));
    expect(refused.params).toMatchObject({ thread_ts: p.threadTs });
    expect((await requestRow(channel)).request_status).toBe('pending');

    await h.click({ channel, user: 'U1', actionId: APPROVE_ACTION, value: approveValueOf(redrawn), messageTs: p.cardTs, threadTs: p.threadTs });
    const progress = await eventually(async () => (await h.stored(channel)).find((r) => r.message_type === 'agent_progress' && r.text.includes('Lift-off')), 8000);
    expect(progress.text).toContain('Lift-off after 3 steps.');
    await eventually(async () => ((await requestRow(channel)).run_status === 'succeeded' ? true : undefined));
  });

  test('someone who may not decide gets a private answer instead of the deny form, and no modal opens', async () => {
    const channel = 'CFORM3';
    const p = await propose(channel, 'count down from 1', 1);

    const deny = await clickForm(channel, 'U3', DENY_WITH_REASON_ACTION, p);
    const edit = await clickForm(channel, 'U3', EDIT_ACTION, p);

    await eventually(() => ephemeralsTo(channel, 'U3')[1]);
    expect(ephemeralsTo(channel, 'U3').map((c) => c.params.text).sort()).toEqual([
      'Only the requester or a workspace admin can deny this request.',
      'Only the requester or an approver can edit this request.',
    ]);
    expect(ephemeralsTo(channel, 'U3')[0]!.params).toMatchObject({ thread_ts: p.threadTs });
    expect([deny.opened(), edit.opened()]).toEqual([undefined, undefined]);
    expect((await requestRow(channel)).request_status).toBe('pending');
  });

  test('a submission whose form this version cannot read is answered in the modal as out of date, and decides nothing', async () => {
    const channel = 'CFORM4';
    const p = await propose(channel, 'count down from 3', 3);
    const { opened } = await clickForm(channel, 'U1', DENY_WITH_REASON_ACTION, p);
    const view = (await eventually(opened)).answer!.view as View;

    const submitted = await h.submit({ user: 'U1', view: { ...view, private_metadata: '{"version":0}' }, values: { reason: 'old form' } });

    expect(submitted.status).toBe(200);
    expect(JSON.parse(submitted.body)).toMatchObject({ response_action: 'update', view: { type: 'modal', blocks: [expect.objectContaining({ text: expect.objectContaining({ text: expect.stringContaining('out of date') }) })] } });
    await h.barrier(channel);
    expect((await requestRow(channel)).request_status).toBe('pending');
  });
});
