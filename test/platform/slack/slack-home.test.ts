/**
 * "What waits for me" in Slack's App Home: the Home tab lists the requests its owner may
 * decide with the card's own buttons; a click there decides once, edits the card and
 * republishes the home; it is refused for someone who may not decide, and across workspaces.
 */
import { APPROVE_ACTION } from '../../../src/core/model/action-ids';
import { requestAnswer } from '../../fakes/fake-openai';
import { appHomeOpenedEvent, homeBlockActionPayload, sendInteraction, type FakeSlackCall, type HomeActionInput } from '../../fakes/fake-slack';
import { rows } from '../../support/db-rows';
import { eventually, SIGNING_SECRET, startSlackHarness, type SlackHarness } from './slack-harness';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({ workspace: { admins: ['U_ADMIN', 'U_ADMIN2'] } });
});
afterAll(() => h.close());

type Element = { action_id?: string; value?: string };
type Block = { type: string; elements?: Element[]; text?: { text: string } };

const homesOf = (user: string): FakeSlackCall[] => h.slack.callsOf('views.publish').filter((c) => c.params.user_id === user);
const blocksOf = (call: FakeSlackCall): Block[] => ((call.params.view as { blocks?: Block[] }).blocks ?? []);
const buttonsOf = (call: FakeSlackCall): Element[] => blocksOf(call).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));
const textOf = (call: FakeSlackCall): string => JSON.stringify(blocksOf(call));

/** Opens `user`'s Home tab and returns the home view published for that visit. */
async function openHome(user: string, team?: string): Promise<FakeSlackCall> {
  const before = homesOf(user).length;
  await h.event(appHomeOpenedEvent({ user, team }));
  return eventually(() => homesOf(user)[before]);
}

async function homeClick(input: HomeActionInput) {
  return sendInteraction(h.eventsUrl, SIGNING_SECRET, homeBlockActionPayload(input));
}

/** U1 asks for a destructive drop in `channel`; returns the request id, its Approve value and its card's ts. */
async function proposeDrop(channel: string, table: string) {
  const ask = `drop the ${table} table`;
  h.answer(ask, requestAnswer(`Drop ${table}`, [{ tool: 'drop_table', args: { table } }]));
  await h.mention({ channel, user: 'U1', text: ask });
  const card = await eventually(async () => (await h.stored(channel)).find((r) => r.message_type === 'agent_request' && r.platform_message_id));
  return { id: card.request_id!, approve: `${card.request_id!}.${card.plan_hash!}`, cardTs: card.platform_message_id! };
}

const requestRow = async (id: string) =>
  (await rows<{ status: string; decided_by_id: string | null }>(h.db.orm, 'select status, decided_by_id from agent_request where id = ?', [id]))[0]!;

describe('Slack App Home', () => {
  test('the Home tab lists a pending request with the card\'s Approve and Deny for an approver, with a link to the card, and not for someone who may not decide it', async () => {
    const { id, approve, cardTs } = await proposeDrop('CHOME1', 'users');

    const admin = await openHome('U_ADMIN');
    const bystander = await openHome('U3');

    expect(admin.error).toBeUndefined();
    expect(admin.params.view).toMatchObject({ type: 'home' });
    expect(buttonsOf(admin)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action_id: APPROVE_ACTION, value: approve }),
        expect.objectContaining({ action_id: 'switchboard.deny', value: id }),
      ]),
    );
    expect(textOf(admin)).toContain(`https://fake-team.slack.com/archives/CHOME1/p${cardTs.replace('.', '')}`);
    expect(textOf(bystander)).not.toContain(id);
    expect(buttonsOf(bystander)).toEqual([]);
  });

  test('Approve in the Home tab decides once, even clicked twice: the row is approved, the card edited once, the home republished without it', async () => {
    const channel = 'CHOME2';
    const { id, approve, cardTs } = await proposeDrop(channel, 'orders');
    await openHome('U_ADMIN2');
    const homesBefore = homesOf('U_ADMIN2').length;

    await Promise.all([homeClick({ user: 'U_ADMIN2', actionId: APPROVE_ACTION, value: approve }), homeClick({ user: 'U_ADMIN2', actionId: APPROVE_ACTION, value: approve })]);

    const progress = await eventually(async () => (await h.stored(channel)).find((r) => r.message_type === 'agent_progress' && r.text.includes('dropped orders')), 8000);
    expect(progress.text).toContain('✅ `drop_table`');
    expect(await requestRow(id)).toEqual({ status: 'approved', decided_by_id: 'U_ADMIN2' });
    const calls = await rows<{ status: string }>(h.db.orm, 'select status from tool_call where request_id = ?', [id]);
    expect(calls).toEqual([{ status: 'succeeded' }]);
    const cardEdits = h.callsIn(channel, 'chat.update').filter((c) => c.params.ts === cardTs);
    expect(cardEdits).toHaveLength(1);
    expect(JSON.stringify(cardEdits[0]!.params.blocks)).toContain('Approved by user-u_admin2');
    // The winner's change republishes the home without the request; the loser's click is told it already counted.
    const refreshed = await eventually(() => homesOf('U_ADMIN2').slice(homesBefore).find((c) => !textOf(c).includes(approve)));
    expect(buttonsOf(refreshed).some((b) => b.value === approve)).toBe(false);
    await eventually(() => homesOf('U_ADMIN2').slice(homesBefore).find((c) => textOf(c).includes('You already approved this request')));
  });

  test('a click in the Home tab of someone who may not decide the request is refused there, and nothing is decided', async () => {
    const { id, approve } = await proposeDrop('CHOME3', 'invoices');
    await openHome('U3');

    await homeClick({ user: 'U3', actionId: APPROVE_ACTION, value: approve });

    const note = await eventually(() => homesOf('U3').find((c) => textOf(c).includes('destructive')));
    expect(textOf(note)).toContain('only a workspace admin can approve it');
    expect(await requestRow(id)).toEqual({ status: 'pending', decided_by_id: null });
  });

  test("a click in another workspace's Home tab cannot decide this workspace's request, even by an approver", async () => {
    const { id, approve } = await proposeDrop('CHOME4', 'payments');

    await homeClick({ team: 'T2', user: 'U_ADMIN', actionId: APPROVE_ACTION, value: approve });

    const note = await eventually(() => homesOf('U_ADMIN').find((c) => textOf(c).includes('another workspace')));
    expect(note.error).toBeUndefined();
    expect(await requestRow(id)).toEqual({ status: 'pending', decided_by_id: null });
  });

  test('/switchboard pending answers privately with what the asker may approve, and Approve on that ephemeral list decides it', async () => {
    const channel = 'CHOME5';
    const { id, approve, cardTs } = await proposeDrop(channel, 'sessions');

    const forBystander = await h.command({ channel, user: 'U3', command: '/switchboard', text: 'pending' });
    const forAdmin = await h.command({ channel, user: 'U_ADMIN', command: '/switchboard', text: 'pending' });
    const [bystanderList] = await eventually(() => (forBystander.responses().length ? forBystander.responses() : undefined));
    const [adminList] = await eventually(() => (forAdmin.responses().length ? forAdmin.responses() : undefined));

    expect(bystanderList!.params).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(bystanderList!.params)).not.toContain(id);
    expect(adminList!.params).toMatchObject({ response_type: 'ephemeral' });
    const buttons = (adminList!.params.blocks as Block[]).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));
    expect(buttons).toContainEqual(expect.objectContaining({ action_id: APPROVE_ACTION, value: approve }));

    await h.click({ channel, user: 'U_ADMIN', actionId: APPROVE_ACTION, value: approve, messageTs: '1600009999.000100' }, (payload) => {
      (payload.container as Record<string, unknown>).is_ephemeral = true;
    });

    await eventually(() => h.callsIn(channel, 'chat.update').find((c) => c.params.ts === cardTs && JSON.stringify(c.params.blocks).includes('Approved by user-u_admin')));
    expect((await requestRow(id)).status).toBe('approved');
  });
});
