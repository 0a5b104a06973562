/**
 * NOTIFY_APPROVERS in Slack: a destructive request sends each approver (a user group's members
 * among them, once each) a direct message with a summary and a link to its card; a read-only one sends none.
 */
import { requestAnswer } from '../../fakes/fake-openai';
import type { FakeSlackCall } from '../../fakes/fake-slack';
import { eventually, startSlackHarness, type SlackHarness } from './slack-harness';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({
    workspace: { usergroups: { SOPS: ['U_APP1'] } },
    settings: { policy: { approvers: ['U_APP1', 'U_APP2', 'SOPS'], fourEyes: false }, notifyApprovers: true },
  });
});
afterAll(() => h.close());

/** Asks for `ask` in `channel` and waits until its card is stored. */
async function propose(channel: string, ask: string, answer: ReturnType<typeof requestAnswer>) {
  h.answer(ask, answer);
  await h.mention({ channel, user: 'U1', text: ask });
  return eventually(async () => (await h.stored(channel)).find((r) => r.message_type === 'agent_request' && r.platform_message_id));
}

const dmsTo = (user: string): FakeSlackCall[] => h.callsIn(`D${user}`, 'chat.postMessage');

describe('NOTIFY_APPROVERS', () => {
  test('a destructive request sends each approver one direct message with its summary and a link to its card; a member of an approver group named by id too gets one', async () => {
    const card = await propose('CNOTE1', 'drop the users table', requestAnswer('Drop users', [{ tool: 'drop_table', args: { table: 'users' } }]));
    await eventually(() => (dmsTo('U_APP1').length && dmsTo('U_APP2').length ? true : undefined));
    await h.core.core.idle();

    const opened = h.slack.callsOf('conversations.open').map((c) => c.params.users);
    expect(opened.sort()).toEqual(['U_APP1', 'U_APP2']);
    for (const approver of ['U_APP1', 'U_APP2']) {
      const [dm, ...more] = dmsTo(approver);
      expect(more).toEqual([]);
      expect(dm!.error).toBeUndefined();
      expect(String(dm!.params.text)).toContain('Drop users');
      expect(String(dm!.params.text)).toContain(`https://fake-team.slack.com/archives/CNOTE1/p${card.platform_message_id!.replace('.', '')}`);
    }
  });

  test('a read-only request sends no direct message', async () => {
    h.slack.reset();

    await propose('CNOTE2', 'count down from 2', requestAnswer('Count down', [{ tool: 'countdown', args: { steps: 2, delayMs: 0 } }]));
    // A destructive request after it: once its messages are out, any for the read-only one would be too.
    await propose('CNOTE3', 'drop the orders table', requestAnswer('Drop orders', [{ tool: 'drop_table', args: { table: 'orders' } }]));
    await eventually(() => (dmsTo('U_APP1').length && dmsTo('U_APP2').length ? true : undefined));
    await h.core.core.idle();

    const dms = h.slack.callsOf('chat.postMessage').filter((c) => String(c.params.channel).startsWith('D'));
    expect(dms.map((c) => String(c.params.text).includes('Drop orders'))).toEqual([true, true]);
  });
});
