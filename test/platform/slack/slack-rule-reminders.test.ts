/**
 * Reminders and approver notices follow a policy rule's approvers, through real Bolt against the
 * fake Slack (docs/policy.md, "Who is reminded"): with `policy approvers drop_table @oncall` in a
 * channel, the members of the user group get the NOTIFY_APPROVERS message and each reminder,
 * once, and the APPROVERS user, who cannot decide there, gets none.
 */
import { requestAnswer } from '../../fakes/fake-openai';
import type { FakeSlackCall } from '../../fakes/fake-slack';
import { TestClock } from '../../support/memory-stores';
import { eventually, startSlackHarness, type SlackHarness } from './slack-harness';

const MINUTE = 60_000;
const clock = new TestClock();
let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({
    clock,
    workspace: { admins: ['U_ADMIN'], usergroups: { SONCALL: ['U_ONCALL1', 'U_ONCALL2'] } },
    settings: { policy: { approvers: ['U_ENV'], fourEyes: false, policyAdmins: [] }, notifyApprovers: true, remindAfterMs: 10 * MINUTE, requestTtlMs: 15 * MINUTE },
  });
});
afterAll(() => h.close());

const dmTexts = (user: string): string[] => h.callsIn(`D${user}`, 'chat.postMessage').map((c: FakeSlackCall) => String(c.params.text));

test("with a rule naming a user group as a tool's approvers, the group's members are notified and reminded once per stage, and the APPROVERS user is not", async () => {
  const channel = 'CRULEREM';
  const command = h.command({ channel, user: 'U_ADMIN', command: '/switchboard', text: 'policy approvers drop_table <!subteam^SONCALL|@oncall>' });
  const set = await eventually(async () => (await command).responses()[0]);
  expect(String(set.params.text)).toContain('made SONCALL the approvers of `drop_table`');
  h.answer('drop the carts table', requestAnswer('Drop carts', [{ tool: 'drop_table', args: { table: 'carts' } }]));
  await h.mention({ channel, user: 'U1', text: 'drop the carts table' });
  await eventually(async () => (await h.stored(channel)).find((r) => r.message_type === 'agent_request' && r.platform_message_id));
  await eventually(() => (dmTexts('U_ONCALL1').length && dmTexts('U_ONCALL2').length ? true : undefined));
  await h.core.core.idle();

  clock.advance(10 * MINUTE + 1000);
  await h.core.core.remindDueRequests();
  await h.core.core.remindDueRequests();
  clock.advance(3 * MINUTE);
  await h.core.core.remindDueRequests();

  for (const member of ['U_ONCALL1', 'U_ONCALL2']) {
    const [notice, first, last, ...more] = dmTexts(member);
    expect(notice).toContain('A destructive request waits for approval: Drop carts');
    expect(first).toBe('⏰ Reminder: a request still waits for your decision: Drop carts');
    expect(last).toContain('Drop carts');
    expect(more).toEqual([]);
  }
  expect(dmTexts('U_ENV')).toEqual([]);
  expect(h.slack.callsOf('conversations.open').map((c) => c.params.users)).not.toContain('U_ENV');
});
