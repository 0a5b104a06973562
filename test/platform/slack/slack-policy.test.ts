/**
 * Policy from Slack through real Bolt against the fake Slack (docs/policy.md): "Always allow
 * here" approves the request and writes the channel's rule, Undo removes it, a non-admin's
 * click is refused privately, a destructive tool is never allowed, a rule's approvers (a user
 * group) replace APPROVERS, and `/switchboard policy` lists and changes rules.
 */
import { ALWAYS_ALLOW_ACTION, APPROVE_ACTION, UNDO_RULE_ACTION } from '../../../src/core/model/action-ids';
import { requestAnswer } from '../../fakes/fake-openai';
import type { FakeSlackCall } from '../../fakes/fake-slack';
import { rows } from '../../support/db-rows';
import { eventually, startSlackHarness, type Interaction, type SlackHarness } from './slack-harness';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({
    workspace: { admins: ['U_ADMIN', 'U_ADMIN2'], usergroups: { SONCALL: ['U_ONCALL'] } },
    settings: { policy: { approvers: ['U_ENV'], fourEyes: false, policyAdmins: [] } },
  });
});
afterAll(() => h.close());

type Button = { action_id: string; value: string };
type Block = { type: string; elements?: Button[] };
const textOf = (call: FakeSlackCall) => JSON.stringify(call.params.blocks ?? '') + String(call.params.text);
const buttonsOf = (call: FakeSlackCall) => ((call.params.blocks ?? []) as Block[]).find((b) => b.type === 'actions')?.elements ?? [];
const answer = async (interaction: Promise<Interaction>) => String((await eventually(async () => (await interaction).responses()[0])).params.text);
const policy = (channel: string, user: string, text: string) => answer(h.command({ channel, user, command: '/switchboard', text: `policy ${text}` }));
const rulesIn = (channel: string) => rows<{ tool: string; run: string | null; set_by_id: string }>(h.db.orm, `select tool, run, set_by_id from policy_rule where channel_id = ?`, [channel]);
const requestsIn = async (channel: string) => (await h.stored(channel)).filter((r) => r.message_type === 'agent_request');

let threads = 0;
/** Asks for `tool` in a new thread of `channel`; the card when one is posted, or null once the run ended without one. */
async function ask(channel: string, tool: 'countdown' | 'drop_table') {
  const threadTs = `${1700000000 + ++threads}.000100`;
  const text = `please ${tool} ${threads}`;
  h.answer(text, requestAnswer(tool, [{ tool, args: tool === 'countdown' ? { steps: 1, delayMs: 0 } : { table: 'users' } }]));
  const before = (await requestsIn(channel)).length;
  await h.mention({ channel, user: 'U1', text, ts: threadTs });
  const outcome = await eventually(async () => {
    const stored = await h.stored(channel);
    const card = stored.filter((r) => r.message_type === 'agent_request' && r.platform_message_id)[before];
    if (card) return { card };
    return stored.some((r) => r.text === `re: ${text}`) ? { card: null } : undefined;
  }, 8000);
  if (!outcome?.card) return { threadTs, card: null };
  const posted = h.callsIn(channel, 'chat.postMessage').find((c) => c.params.ts === outcome.card!.platform_message_id || textOf(c).includes(outcome.card!.request_id!))!;
  return { threadTs, card: { row: outcome.card, buttons: buttonsOf(posted) } };
}

describe('policy on Slack', () => {
  test("an admin's Always allow here runs the request and stores the rule; the next call there runs without a card, another channel still asks, and Undo restores asking", async () => {
    const { threadTs, card } = await ask('CPOL1', 'countdown');
    const always = card!.buttons.find((b) => b.action_id === ALWAYS_ALLOW_ACTION)!;
    expect(always.value).toContain(card!.row.request_id!);

    await h.click({ channel: 'CPOL1', user: 'U_ADMIN', actionId: ALWAYS_ALLOW_ACTION, value: always.value, messageTs: card!.row.platform_message_id!, threadTs });

    await eventually(async () => ((await requestsIn('CPOL1'))[0]?.run_status === 'succeeded' ? true : undefined), 8000);
    expect((await requestsIn('CPOL1'))[0]!.text).toContain('Approved by user-u_admin');
    expect(await rulesIn('CPOL1')).toEqual([{ tool: 'countdown', run: 'auto', set_by_id: 'U_ADMIN' }]);
    const notice = await eventually(() => h.callsIn('CPOL1', 'chat.postMessage').find((c) => String(c.params.text).includes('run without asking')));
    expect(notice.params).toMatchObject({ thread_ts: threadTs, text: '@user-u_admin let `countdown` run without asking in this channel · Undo' });
    const undo = buttonsOf(notice).find((b) => b.action_id === UNDO_RULE_ACTION)!;

    expect((await ask('CPOL1', 'countdown')).card).toBeNull();
    expect((await ask('CPOL2', 'countdown')).card).not.toBeNull();

    await h.click({ channel: 'CPOL1', user: 'U_ADMIN', actionId: UNDO_RULE_ACTION, value: undo.value, messageTs: String(notice.answer!.ts), threadTs });
    await eventually(async () => ((await rulesIn('CPOL1')).length === 0 ? true : undefined));
    const undone = await eventually(() => h.callsIn('CPOL1', 'chat.update').find((c) => String(c.params.text).includes('undid')));
    expect(undone.params.ts).toBe(notice.answer!.ts);
    expect(buttonsOf(undone)).toEqual([]);
    expect((await ask('CPOL1', 'countdown')).card).not.toBeNull();
  });

  test('two Always allow clicks at once (a double click, or two admins) decide once and tell the thread once', async () => {
    const { threadTs, card } = await ask('CPOL7', 'countdown');
    const always = card!.buttons.find((b) => b.action_id === ALWAYS_ALLOW_ACTION)!;
    const click = (user: string) => h.click({ channel: 'CPOL7', user, actionId: ALWAYS_ALLOW_ACTION, value: always.value, messageTs: card!.row.platform_message_id!, threadTs });

    await Promise.all([click('U_ADMIN'), click('U_ADMIN'), click('U_ADMIN2')]);

    await eventually(async () => ((await requestsIn('CPOL7'))[0]?.run_status === 'succeeded' ? true : undefined), 8000);
    const notes = await eventually(() => {
      const sent = h.callsIn('CPOL7', 'chat.postEphemeral');
      return sent.length === 2 ? sent.map((c) => String(c.params.text)) : undefined;
    });
    // Whichever click won, the other two hear privately that it was approved already.
    expect(notes).toEqual([expect.stringMatching(/already approved/), expect.stringMatching(/already approved/)]);
    expect(h.callsIn('CPOL7', 'chat.postMessage').filter((c) => String(c.params.text).includes('run without asking'))).toHaveLength(1);
    expect(await rulesIn('CPOL7')).toHaveLength(1);
  });

  test('a forged Always allow from someone who may not set policy is refused privately: nothing approved, no rule', async () => {
    const { threadTs, card } = await ask('CPOL3', 'countdown');
    const always = card!.buttons.find((b) => b.action_id === ALWAYS_ALLOW_ACTION)!;

    await h.click({ channel: 'CPOL3', user: 'U3', actionId: ALWAYS_ALLOW_ACTION, value: always.value, messageTs: card!.row.platform_message_id!, threadTs });

    const refusal = await eventually(() => h.callsIn('CPOL3', 'chat.postEphemeral')[0]);
    expect(refusal.params).toMatchObject({ user: 'U3', text: expect.stringContaining('Only a workspace admin or someone in POLICY_ADMINS') });
    expect((await requestsIn('CPOL3'))[0]!.request_status).toBe('pending');
    expect(await rulesIn('CPOL3')).toEqual([]);
  });

  test('a destructive tool shows no Always allow, and policy allow on it is refused', async () => {
    const { card } = await ask('CPOL4', 'drop_table');
    expect(card!.buttons.map((b) => b.action_id)).not.toContain(ALWAYS_ALLOW_ACTION);

    expect(await policy('CPOL4', 'U_ADMIN', 'allow drop_table')).toContain('`drop_table` is destructive: it always asks');
    expect(await policy('CPOL4', 'U_ADMIN', 'allow no_such_tool')).toContain('is not a tool here');
    expect(await rulesIn('CPOL4')).toEqual([]);
  });

  test('policy approvers with a user group: a member of the group can approve, an approver from the environment cannot', async () => {
    const set = await policy('CPOL5', 'U_ADMIN', 'approvers drop_table <!subteam^SONCALL|@oncall>');
    expect(set).toContain('made SONCALL the approvers of `drop_table` in this channel');
    await eventually(() => h.callsIn('CPOL5', 'chat.postMessage').find((c) => String(c.params.text).includes('the approvers of `drop_table`')));
    const { threadTs, card } = await ask('CPOL5', 'drop_table');
    const approve = card!.buttons.find((b) => b.action_id === APPROVE_ACTION)!.value;
    const messageTs = card!.row.platform_message_id!;

    await h.click({ channel: 'CPOL5', user: 'U_ENV', actionId: APPROVE_ACTION, value: approve, messageTs, threadTs });
    const refusal = await eventually(() => h.callsIn('CPOL5', 'chat.postEphemeral').find((c) => c.params.user === 'U_ENV'));
    expect(String(refusal.params.text)).toContain('only an approver can approve it');
    expect((await requestsIn('CPOL5'))[0]!.request_status).toBe('pending');

    await h.click({ channel: 'CPOL5', user: 'U_ONCALL', actionId: APPROVE_ACTION, value: approve, messageTs, threadTs });
    await eventually(async () => ((await requestsIn('CPOL5'))[0]?.request_status === 'approved' ? true : undefined));
    expect((await requestsIn('CPOL5'))[0]!.text).toContain('Approved by user-u_oncall');
  });

  test('policy lists the rules in effect with their source, refuses a change from a non-admin privately, and hide keeps a tool from !run', async () => {
    expect(await policy('CPOL6', 'U3', 'allow countdown')).toContain('Only a workspace admin');
    expect(await rulesIn('CPOL6')).toEqual([]);
    await policy('CPOL6', 'U_ADMIN', 'hide countdown');
    await policy('CPOL6', 'U_ADMIN', 'ask drop_table workspace');

    const listed = await policy('CPOL6', 'U1', '');
    expect(listed).toMatch(/`countdown`: hidden \(channel, user-u_admin \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
    expect(listed).toMatch(/`drop_table`: asks first \(workspace, user-u_admin/);
    expect(listed).toContain('approvers U_ENV (environment)');
    const refused = await answer(h.command({ channel: 'CPOL6', user: 'U1', command: '/switchboard', text: '!run countdown {"steps":1}' }));
    expect(refused).toContain('not a tool available in this channel');
    const help = await answer(h.command({ channel: 'CPOL6', user: 'U1', command: '/switchboard', text: 'help' }));
    expect(help).toContain('drop_table');
    expect(help).not.toMatch(/• countdown/);
    // `policy budget` (policy-budget.ts) is dispatched by the same command.
    expect(await policy('CPOL6', 'U_ADMIN', 'budget 1000')).toContain("set this channel's daily budget to 1,000 tokens");
    await policy('CPOL6', 'U_ADMIN', 'budget default');
    await policy('CPOL6', 'U_ADMIN', 'reset drop_table workspace');
  });
});
