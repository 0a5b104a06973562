/**
 * Slack's native Stop (agent_session_stopped) through the real Bolt app and the fake Slack:
 * it stops an answer being streamed (also when it reaches another replica) and a run mid
 * tool call, as Cancel does: within one claim renewal or lease beat (set short here), one
 * final note, no further model request, the session closed. Someone who may not cancel is
 * told so and the work goes on; a Stop delivered twice does nothing twice.
 */
import { rows } from '../../support/db-rows';
import { buildCore } from '../../support/core-harness';
import { RecordingPlatform } from '../../support/recording-platform';
import { toolAnswer } from '../../fakes/fake-openai';
import { AUTO_RUN_READ_ONLY, heldTool, sessionShows } from './agent-kit';
import { eventually, startSlackHarness, type SlackHarness } from './slack-harness';

/** Claims renewed every 100 ms, leases beaten every 100 ms (TEST_SETTINGS): a stop is noticed within one of each. */
const SETTINGS = { ...AUTO_RUN_READ_ONLY, turnRecovery: { leaseMs: 300, windowMs: 10 * 60_000 } };
const held = heldTool();
let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({ messaging: 'agent', settings: SETTINGS, tools: [held.tool], workspace: { admins: ['U_ADMIN'] } });
});
afterAll(() => h.close());

let n = 0;
const nextThread = () => ({ channel: `CSTOP${++n}`, ts: `1600300${String(n).padStart(3, '0')}.000100` });

/** An answer of 60 pieces written 20 ms apart: still streaming when stopped. */
const LONG = Array.from({ length: 60 }, (_, i) => `${`Piece ${i}`.padEnd(9, '.')} `);

async function streamingAnswer(question: string) {
  const thread = nextThread();
  h.answer(question, { content: LONG.join(''), chunks: LONG, chunkDelayMs: 20 });
  await h.mention({ channel: thread.channel, user: 'U1', text: question, ts: thread.ts });
  await eventually(() => h.callsIn(thread.channel, 'chat.appendStream')[0]);
  return thread;
}

/** A run whose auto-run call is in flight, its task card shown. */
async function runHolding(question: string) {
  const thread = nextThread();
  h.answer(question, toolAnswer([{ name: 'hold', args: {} }]));
  const started = held.nextStart();
  await h.mention({ channel: thread.channel, user: 'U1', text: question, ts: thread.ts });
  await started;
  // Its task card shows: the Stop ends that stream, as Slack does.
  await eventually(() => h.callsIn(thread.channel, 'chat.startStream').find((c) => c.error === undefined));
  return thread;
}

const storedRows = async (channel: string, type: string) => (await h.stored(channel)).filter((r) => r.message_type === type && r.role === 'assistant');
const metadataOf = async (id: string) => (await rows<{ metadata: unknown }>(h.db.orm, 'select metadata from message where id = ?', [id]))[0]!.metadata;

test('a Stop mid-stream ends the answer where it got to, with one note, stored marked stopped, and the model is not asked again', async () => {
  const { channel, ts } = await streamingAnswer('tell me everything');
  const asked = h.llm.requests.length;

  const stopped = await h.stop({ channel, threadTs: ts, user: 'U1' });

  expect(stopped).toHaveLength(1);
  const [answer] = await eventually(async () => ((await storedRows(channel, 'text')).length ? storedRows(channel, 'text') : undefined));
  expect(await metadataOf(answer!.id)).toEqual({ stopped: true });
  const whole = LONG.join('').trim();
  expect(whole.startsWith(answer!.text)).toBe(true);
  expect(answer!.text.length).toBeLessThan(whole.length);
  // Slack stopped the stream; the note goes on in a new one, once.
  const streams = h.callsIn(channel, 'chat.startStream').map((c) => h.slack.streams.get(String(c.answer!.ts))!);
  expect(streams[0]).toMatchObject({ stoppedByPerson: true, open: false });
  const shown = streams.map((s) => s.text).join('');
  expect(shown.endsWith('⏹️ Stopped.')).toBe(true);
  expect(shown.match(/Stopped/g)).toHaveLength(1);
  expect(h.llm.requests.length).toBe(asked);
  expect(await sessionShows(h, channel, ts, ['processing', 'closed'])).toEqual(['processing', 'closed']);
});

test('a Stop that reaches another replica stops the answer at the answering replica\'s next claim renewal', async () => {
  const { channel, ts } = await streamingAnswer('tell me everything again');
  const other = buildCore({ db: h.db, platforms: [new RecordingPlatform('slack')], settings: SETTINGS });

  await other.core.stopThread({ platform: 'slack', workspace: 'T1', channel, thread: ts }, { id: 'U1', name: 'user-u1' });

  const [answer] = await eventually(async () => ((await storedRows(channel, 'text')).length ? storedRows(channel, 'text') : undefined));
  expect(await metadataOf(answer!.id)).toEqual({ stopped: true });
  expect(answer!.text.length).toBeLessThan(LONG.join('').trim().length);
  const [turn] = await rows<{ turn_state: string }>(h.db.orm, `select m.turn_state from message m join conversation c on c.id = m.conversation_id where c.channel_id = ? and m.role = 'user'`, [channel]);
  expect(turn!.turn_state).toBe('stopped');
});

test('a Stop mid tool call cancels the call, posts one final note, and never asks the model again', async () => {
  const { channel, ts } = await runHolding('hold on, then tell me');
  const asked = h.llm.requests.length;

  await h.stop({ channel, threadTs: ts, user: 'U1' });

  const results = await eventually(async () => ((await storedRows(channel, 'agent_result')).some((r) => r.platform_message_id) ? storedRows(channel, 'agent_result') : undefined));
  expect(results.map((r) => r.text)).toEqual(['⏹️ Cancelled by user-u1; the run stopped.']);
  expect(held.ends.at(-1)).toBe('aborted');
  const calls = await rows<{ status: string }>(h.db.orm, `select k.status from tool_call k join agent_run r on r.id = k.run_id join conversation c on c.id = r.conversation_id where c.channel_id = ?`, [channel]);
  expect(calls).toEqual([{ status: 'cancelled' }]);
  await h.barrier(channel.replace('CSTOP', 'CSTOPB'));
  expect(h.llm.requests.filter((r) => r.prompt.includes('hold on, then tell me')).length).toBe(1);
  expect(h.llm.requests.length).toBe(asked + 1); // the barrier's own question
  expect(await sessionShows(h, channel, ts, ['processing', 'closed'])).toEqual(['processing', 'closed']);
  // The task card of the call ends in error, as cancelled.
  const cards = h.callsIn(channel, 'chat.startStream').flatMap((c) => h.slack.streams.get(String(c.answer!.ts))!.tasks);
  expect(cards.at(-1)).toMatchObject({ status: 'error', details: 'cancelled' });
});

test('a Stop while a run\'s answer streams cancels the run: the words shown stand, followed by one note, stored so', async () => {
  const thread = nextThread();
  const started = held.nextStart();
  h.llm.script('*', toolAnswer([{ name: 'hold', args: {} }]), { content: LONG.join(''), chunks: LONG, chunkDelayMs: 20 });
  await h.mention({ channel: thread.channel, user: 'U1', text: 'hold, then tell me all', ts: thread.ts });
  await started;
  held.release();
  await eventually(() => h.slack.calls.find((c) => c.method === 'chat.appendStream' && c.params.channel === thread.channel && typeof c.params.markdown_text === 'string'));
  const asked = h.llm.requests.length;

  await h.stop({ channel: thread.channel, threadTs: thread.ts, user: 'U1' });

  const [result] = await eventually(async () => ((await storedRows(thread.channel, 'agent_result')).some((r) => r.platform_message_id) ? storedRows(thread.channel, 'agent_result') : undefined));
  const note = '⏹️ Cancelled by user-u1; the run stopped.';
  expect(result!.text.endsWith(`\n\n${note}`)).toBe(true);
  const partial = result!.text.slice(0, -`\n\n${note}`.length);
  expect(LONG.join('').startsWith(partial)).toBe(true);
  expect(partial.length).toBeLessThan(LONG.join('').trim().length);
  const shown = h.callsIn(thread.channel, 'chat.startStream').map((c) => h.slack.streams.get(String(c.answer!.ts))!.text).join('');
  expect(shown.match(/Cancelled/g)).toHaveLength(1);
  expect(h.llm.requests.length).toBe(asked);
  expect(await sessionShows(h, thread.channel, thread.ts, ['processing', 'closed'])).toEqual(['processing', 'closed']);
});

test('a Stop from someone who may not cancel is refused privately, the thread shows processing again, and the run goes on', async () => {
  const { channel, ts } = await runHolding('hold on for me');

  await h.stop({ channel, threadTs: ts, user: 'U_OTHER' });

  const note = await eventually(() => h.callsIn(channel, 'chat.postEphemeral')[0]);
  expect(note.params).toMatchObject({ user: 'U_OTHER', thread_ts: ts });
  expect(String(note.params.text)).toContain('Only the requester');
  expect(await sessionShows(h, channel, ts, ['processing', 'processing'])).toEqual(['processing', 'processing']);
  held.release();
  const result = await eventually(async () => (await storedRows(channel, 'agent_result')).find((r) => r.platform_message_id));
  expect(result.text).toBe('re: hold on for me');
  expect(held.ends.at(-1)).toBe('released');
  expect(await sessionShows(h, channel, ts, ['processing', 'processing', 'active'])).toEqual(['processing', 'processing', 'active']);
  // Slack had stopped the run's stream: the cards and the answer went on in a new one.
  const streamed = h.callsIn(channel, 'chat.startStream').map((c) => h.slack.streams.get(String(c.answer!.ts))!);
  expect(streamed.length).toBeGreaterThanOrEqual(2);
  expect(streamed.map((s) => s.text).join('')).toBe('re: hold on for me');
});

test('a Stop delivered twice cancels once: one note, one cancel, nothing said to the person twice', async () => {
  const { channel, ts } = await runHolding('hold on twice');

  await Promise.all([h.stop({ channel, threadTs: ts, user: 'U1', eventId: 'EvSTOPTWICE' }), h.stop({ channel, threadTs: ts, user: 'U1', eventId: 'EvSTOPTWICE' })]);

  await eventually(async () => (await storedRows(channel, 'agent_result')).find((r) => r.platform_message_id));
  await h.barrier(channel.replace('CSTOP', 'CSTOPB'));
  expect((await storedRows(channel, 'agent_result')).map((r) => r.text)).toEqual(['⏹️ Cancelled by user-u1; the run stopped.']);
  const [run] = await rows<{ id: string; status: string }>(h.db.orm, 'select r.id, r.status from agent_run r join conversation c on c.id = r.conversation_id where c.channel_id = ?', [channel]);
  expect(run!.status).toBe('cancelled');
  expect(h.logLines().filter((l) => l.msg === 'run cancelled' && l.runId === run!.id)).toHaveLength(1);
  expect(h.callsIn(channel, 'chat.postEphemeral')).toEqual([]);
  expect(await sessionShows(h, channel, ts, ['processing', 'closed'])).toEqual(['processing', 'closed']);
});
