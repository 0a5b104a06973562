/**
 * Schedules through real Bolt against the fake Slack: `/switchboard schedule` answered
 * privately (a bad cron refused, someone else's schedule not theirs to delete), a firing that
 * starts a new thread at the channel's top level, and `schedule_task` approved on its card.
 */
import { APPROVE_ACTION } from '../../../src/core/model/action-ids';
import { scheduleTaskTool } from '../../../src/tools/schedule-task';
import { chatAnswer, toolAnswer } from '../../fakes/fake-openai';
import type { FakeSlackCall } from '../../fakes/fake-slack';
import { rows } from '../../support/db-rows';
import { TestClock } from '../../support/memory-stores';
import { SCHEDULE_SETTINGS, toNextMinute } from '../../support/schedule-processes';
import { eventually, startSlackHarness, type Interaction, type SlackHarness } from './slack-harness';

const clock = new TestClock();
let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({ settings: SCHEDULE_SETTINGS, clock });
  h.core.tools.addSource({ tools: () => [scheduleTaskTool({ schedules: h.core.deps.schedules, clock, timeZone: 'UTC' })] });
});
afterAll(() => h.close());

const answer = async (interaction: Promise<Interaction>) => String((await eventually(async () => (await interaction).responses()[0])).params.text);
const schedule = (channel: string, user: string, text: string) => answer(h.command({ channel, user, command: '/switchboard', text: `schedule ${text}` }));
const schedulesIn = (channel: string) =>
  rows<{ short_id: string; cron: string; prompt: string; owner_id: string; state: string }>(
    h.db.orm,
    `select s.short_id, s.cron, s.prompt, s.owner_id, s.state from schedule s join conversation c on c.id = s.conversation_id where c.channel_id = ? order by s.created_at`,
    [channel],
  );
const textOf = (call: FakeSlackCall) => JSON.stringify(call.params.blocks ?? '') + String(call.params.text);

describe('/switchboard schedule on Slack', () => {
  test('a bad cron is refused privately with the expression shown, and nothing is stored', async () => {
    const refused = await schedule('CSCHEDS1', 'U1', 'add "0 25 * * *" summarise #incidents');
    expect(refused).toContain('"0 25 * * *" is not a cron expression I can use');
    expect(await schedulesIn('CSCHEDS1')).toEqual([]);
    expect(h.callsIn('CSCHEDS1', 'chat.postMessage')).toEqual([]);
  });

  test("someone else's delete is refused privately; the owner's works", async () => {
    const added = await schedule('CSCHEDS2', 'U1', 'add "0 9 * * 1-5" summarise #incidents');
    const id = (await schedulesIn('CSCHEDS2'))[0]!.short_id;
    expect(added).toContain(`Scheduled \`${id}\``);

    expect(await schedule('CSCHEDS2', 'U2', `delete ${id}`)).toContain(`can delete it`);
    expect(await schedulesIn('CSCHEDS2')).toMatchObject([{ short_id: id, state: 'active' }]);
    expect(h.callsIn('CSCHEDS2', 'chat.postMessage')).toEqual([]);

    expect(await schedule('CSCHEDS2', 'U1', `delete ${id}`)).toContain('Deleted');
    expect(await schedulesIn('CSCHEDS2')).toEqual([]);
  });

  test('a firing posts a new message at the channel top level naming the schedule, and answers in its thread', async () => {
    await schedule('CSCHEDS3', 'U1', 'add "* * * * *" summarise #incidents');
    const id = (await schedulesIn('CSCHEDS3'))[0]!.short_id;
    h.answer('summarise #incidents', chatAnswer('Quiet night: no incidents.'));

    toNextMinute(clock);
    expect(await h.core.core.fireDueSchedules()).toBe(1);
    await h.core.core.idle();

    const [root, reply] = h.callsIn('CSCHEDS3', 'chat.postMessage');
    expect(root!.params).not.toHaveProperty('thread_ts');
    expect(String(root!.params.text).split('\n')[0]).toContain(`Scheduled task \`${id}\``);
    expect(reply!.params).toMatchObject({ thread_ts: root!.answer!.ts, text: expect.stringContaining('Quiet night: no incidents.') });
  });
});

test('schedule_task proposed by the model shows the cron and the prompt on its card; approved, the schedule exists', async () => {
  const channel = 'CSCHEDS4';
  const ask = 'every weekday at 9, summarise #incidents';
  h.answer(ask, toolAnswer([{ name: 'schedule_task', args: { cron: '0 9 * * 1-5', prompt: 'Summarise the new messages in #incidents' } }], 'Shall I?'));
  await h.mention({ channel, user: 'U1', text: ask, ts: '1600009000.000100' });
  const stored = await eventually(async () => (await h.stored(channel)).find((r) => r.message_type === 'agent_request' && r.platform_message_id));
  const card = h.callsIn(channel, 'chat.postMessage').find((c) => textOf(c).includes(APPROVE_ACTION))!;
  expect(textOf(card)).toContain('0 9 * * 1-5');
  expect(textOf(card)).toContain('Summarise the new messages in #incidents');
  expect(await schedulesIn(channel)).toEqual([]);

  const approve = String((card.params.blocks as { type: string; elements?: { value: string }[] }[]).find((b) => b.type === 'actions')!.elements![0]!.value);
  await h.click({ channel, user: 'U1', actionId: APPROVE_ACTION, value: approve, messageTs: stored.platform_message_id!, threadTs: '1600009000.000100' });

  expect(await eventually(async () => (await schedulesIn(channel))[0])).toMatchObject({ cron: '0 9 * * 1-5', prompt: 'Summarise the new messages in #incidents', owner_id: 'U1', state: 'active' });
});
