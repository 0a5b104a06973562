/**
 * Slack's agent sessions through the real Bolt app and the fake Slack: each turn the model
 * answers shows its thread processing (titled after the question), a card suspends it, a
 * decision resumes it, the answer leaves it active, and an ending with nothing to say closes it.
 * The Messages tab greets each DM once. A workspace that refuses sessions gets today's
 * behaviour, with one warning per process.
 */
import { APPROVE_ACTION, DENY_ACTION } from '../../../src/core/model/action-ids';
import { toolAnswer } from '../../fakes/fake-openai';
import { appHomeOpenedEvent } from '../../fakes/fake-slack';
import { sessionShows } from './agent-kit';
import { eventually, startSlackHarness, TEST_ASSISTANT_PANEL, type SlackHarness } from './slack-harness';

let h: SlackHarness;
/** How far ahead of the wall clock the core's clock runs: requests expire when a test moves it. */
let ahead = 0;
beforeAll(async () => {
  h = await startSlackHarness({ messaging: 'agent', clock: { now: () => new Date(Date.now() + ahead) } });
});
afterAll(() => h.close());

let n = 0;
const nextThread = () => ({ channel: `CSESS${++n}`, ts: `1600100${String(n).padStart(3, '0')}.000100` });

/** Asks for a countdown, which waits at a card; resolves with the stored card. */
async function gatedRun(question: string) {
  const thread = nextThread();
  h.answer(question, toolAnswer([{ name: 'countdown', args: { steps: 1, delayMs: 0 } }], 'Counting down.'));
  await h.mention({ channel: thread.channel, user: 'U1', text: question, ts: thread.ts });
  const card = await eventually(async () => (await h.stored(thread.channel)).find((r) => r.message_type === 'agent_request' && r.platform_message_id));
  return { ...thread, card };
}

const click = (thread: { channel: string; ts: string; card: { request_id: string | null; plan_hash: string | null; platform_message_id: string | null } }, actionId: string, user = 'U1') =>
  h.click({ channel: thread.channel, user, actionId, value: actionId === APPROVE_ACTION ? `${thread.card.request_id}.${thread.card.plan_hash}` : thread.card.request_id!, messageTs: thread.card.platform_message_id!, threadTs: thread.ts });

test('a chat answer shows its thread processing, titled after the question and started by its author, then active', async () => {
  const { channel, ts } = nextThread();
  await h.mention({ channel, user: 'U1', text: 'What is our deploy window?\nAsking for the release.', ts });

  expect(await sessionShows(h, channel, ts, ['processing', 'active'])).toEqual(['processing', 'active']);
  const session = h.slack.sessions.get(`${channel}/${ts}`)!;
  expect(session).toMatchObject({ title: 'What is our deploy window?', initiator: 'U1' });
  // The status went out before the answer, and the answer before "active".
  const order = h.slack.calls.filter((c) => c.params.channel === channel || c.params.channel_id === channel).map((c) => c.method);
  expect(order).toEqual(['agents.sessions.setStatus', 'chat.postMessage', 'agents.sessions.setStatus']);
});

test('a follow-up in the thread shows processing then active again, and keeps the first title', async () => {
  const { channel, ts } = nextThread();
  await h.mention({ channel, user: 'U1', text: 'first question', ts });
  await sessionShows(h, channel, ts, ['processing', 'active']);
  await h.mention({ channel, user: 'U1', text: 'second question', ts: `${ts.slice(0, -3)}200`, threadTs: ts });

  expect(await sessionShows(h, channel, ts, ['processing', 'active', 'processing', 'active'])).toEqual(['processing', 'active', 'processing', 'active']);
  expect(h.slack.sessions.get(`${channel}/${ts}`)!.title).toBe('first question');
});

test('a gated run: processing, suspended at the card, processing after Approve, active once answered', async () => {
  const run = await gatedRun('count down once');
  expect(await sessionShows(h, run.channel, run.ts, ['processing', 'suspended'])).toEqual(['processing', 'suspended']);

  await click(run, APPROVE_ACTION);

  await eventually(async () => (await h.stored(run.channel)).find((r) => r.message_type === 'agent_result' && r.platform_message_id));
  expect(await sessionShows(h, run.channel, run.ts, ['processing', 'suspended', 'processing', 'active'])).toEqual(['processing', 'suspended', 'processing', 'active']);
});

test('Deny of an agent run lets the model answer, so the session ends active; a denied !run has nothing to say and closes', async () => {
  const run = await gatedRun('count down, or not');
  await sessionShows(h, run.channel, run.ts, ['processing', 'suspended']);
  await click(run, DENY_ACTION);
  await eventually(async () => (await h.stored(run.channel)).find((r) => r.message_type === 'agent_result' && r.platform_message_id));
  expect(await sessionShows(h, run.channel, run.ts, ['processing', 'suspended', 'processing', 'active'])).toEqual(['processing', 'suspended', 'processing', 'active']);

  const manual = nextThread();
  await h.mention({ channel: manual.channel, user: 'U1', text: '!run countdown {"steps":1,"delayMs":0}', ts: manual.ts });
  const card = await eventually(async () => (await h.stored(manual.channel)).find((r) => r.message_type === 'agent_request' && r.platform_message_id));
  await click({ ...manual, card }, DENY_ACTION);
  await eventually(async () => (await h.stored(manual.channel)).find((r) => r.message_type === 'agent_result' && r.platform_message_id));
  // A command is not a turn for the model: its run shows the card and the end.
  expect(await sessionShows(h, manual.channel, manual.ts, ['suspended', 'processing', 'closed'])).toEqual(['suspended', 'processing', 'closed']);
});

test('a card that expires closes the session', async () => {
  const run = await gatedRun('count down later');
  await sessionShows(h, run.channel, run.ts, ['processing', 'suspended']);

  ahead += 16 * 60_000;
  expect(await h.core.core.expireDueRequests()).toBeGreaterThanOrEqual(1);

  expect(await sessionShows(h, run.channel, run.ts, ['processing', 'suspended', 'closed'])).toEqual(['processing', 'suspended', 'closed']);
});

test('opening the Messages tab greets each DM once, however often it is opened or delivered, and sets its prompts', async () => {
  const user = 'UGREET1';
  const dm = `D${user}`;
  const opened = () => h.event(appHomeOpenedEvent({ user, tab: 'messages' }));
  const acks = await Promise.all([opened(), opened(), opened()]);
  expect(acks.map((a) => a.status)).toEqual([200, 200, 200]);
  await h.event(appHomeOpenedEvent({ user, tab: 'home' }));

  const greeting = await eventually(() => h.callsIn(dm, 'chat.postMessage')[0]);
  expect(greeting.params).toMatchObject({ channel: dm, text: TEST_ASSISTANT_PANEL.greeting });
  expect(greeting.params.thread_ts).toBeUndefined();
  const prompts = await eventually(() => h.slack.callsOf('assistant.threads.setSuggestedPrompts').find((c) => c.params.channel_id === dm));
  expect(prompts.params).toEqual(expect.objectContaining({ prompts: TEST_ASSISTANT_PANEL.prompts }));
  expect(prompts.params.thread_ts).toBeUndefined();
  expect(prompts.error).toBeUndefined();
  await h.barrier('CSESSBARRIER');
  expect(h.callsIn(dm, 'chat.postMessage')).toHaveLength(1);
  // The panel's own event is not listened to with agent messaging.
  expect(h.slack.callsOf('assistant.threads.setStatus')).toEqual([]);
});

describe.each([
  ['an app not declared an agent', 'not_an_agent' as const],
  ['an app not subscribed to agent_session_stopped (no working Stop)', 'no_stop_subscription' as const],
])('with %s', (_what, sessions) => {
  let refused: SlackHarness;
  beforeAll(async () => {
    refused = await startSlackHarness({ messaging: 'agent', workspace: { sessions } });
  });
  afterAll(() => refused.close());

  test('sessions are tried once and given up with one warning; answers and runs show as before sessions', async () => {
    for (const i of [1, 2, 3]) {
      await refused.mention({ channel: `CNOSESS${i}`, user: 'U1', text: `question ${i}`, ts: `1600200000.00010${i}` });
      await eventually(async () => (await refused.stored(`CNOSESS${i}`)).find((r) => r.role === 'assistant'));
    }
    refused.answer('count down here', toolAnswer([{ name: 'countdown', args: { steps: 1, delayMs: 0 } }]));
    await refused.mention({ channel: 'CNOSESS9', user: 'U1', text: 'count down here', ts: '1600200000.000900' });
    const card = await eventually(async () => (await refused.stored('CNOSESS9')).find((r) => r.message_type === 'agent_request' && r.platform_message_id));
    await refused.click({ channel: 'CNOSESS9', user: 'U1', actionId: APPROVE_ACTION, value: `${card.request_id}.${card.plan_hash}`, messageTs: card.platform_message_id!, threadTs: '1600200000.000900' });
    await eventually(async () => (await refused.stored('CNOSESS9')).find((r) => r.message_type === 'agent_result' && r.platform_message_id));

    expect(refused.slack.callsOf('agents.sessions.setStatus')).toHaveLength(1);
    expect(refused.logLines().filter((l) => String(l.msg).startsWith('Slack refused agent sessions'))).toHaveLength(1);
    // The run's progress is the message edited in place, with its Cancel button, as before sessions.
    const progress = (await refused.stored('CNOSESS9')).find((r) => r.message_type === 'agent_progress')!;
    expect(progress.platform_message_id).not.toBeNull();
    await eventually(() => refused.callsIn('CNOSESS9', 'chat.update').find((c) => c.params.ts === progress.platform_message_id && String(c.params.text).startsWith('Run finished')));
    expect(refused.callsIn('CNOSESS9', 'chat.startStream').filter((c) => c.params.chunks !== undefined)).toEqual([]);
  });
});
