/**
 * An agent run's tool calls as task cards in Slack (task_update chunks in a stream), through
 * the real Bolt app and the fake Slack's chunk checks: each card follows its call, http_get's
 * card names the URL it read, a call waiting at a card points at it, the model's answer ends
 * the stream, and a refused chat.startStream leaves the edited progress message of before.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APPROVE_ACTION } from '../../../src/core/model/action-ids';
import { httpGetTool } from '../../../src/tools/http-get';
import { rows } from '../../support/db-rows';
import { toolAnswer } from '../../fakes/fake-openai';
import type { FakeStream } from '../../fakes/fake-slack';
import { ASK, FINAL_ANSWER, dropTableTool, readHealthTool, twoGateModel } from '../agent/two-gate-run';
import { AUTO_RUN_READ_ONLY } from './agent-kit';
import { eventually, startSlackHarness, type SlackHarness } from './slack-harness';

let h: SlackHarness;
let site: Server;
let siteUrl: string;
/** Resolved by a test that holds the site's answer; the site answers at once otherwise. */
let siteHeld: Promise<void> = Promise.resolve();
beforeAll(async () => {
  site = createServer((_req, res) => void siteHeld.then(() => res.end('all good\nsecond line')));
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const { port } = site.address() as AddressInfo;
  siteUrl = `http://127.0.0.1:${port}/status`;
  h = await startSlackHarness({ messaging: 'agent', settings: AUTO_RUN_READ_ONLY, tools: [httpGetTool({ allowedHosts: [`127.0.0.1:${port}`] }), readHealthTool, dropTableTool], workspace: { admins: ['U_ADMIN'] } });
});
afterAll(async () => {
  await h.close();
  await new Promise<void>((resolve) => site.close(() => resolve()));
});

/** The streams started in `channel`, in order. */
const streamsIn = (channel: string): FakeStream[] => h.callsIn(channel, 'chat.startStream').map((c) => h.slack.streams.get(String(c.answer!.ts))!);

/** Each task card's statuses, in the order they were sent, by the card's id. */
function statusesById(streams: readonly FakeStream[]): Map<string, string[]> {
  const byId = new Map<string, string[]>();
  for (const task of streams.flatMap((s) => s.tasks)) byId.set(String(task.id), [...(byId.get(String(task.id)) ?? []), String(task.status)]);
  return byId;
}

const ORDER = ['pending', 'in_progress', 'complete'];

test('a run with two tool calls streams a task card per call that follows it to complete, then the model\'s answer in the same stream', async () => {
  const channel = 'CTASK1';
  const ts = '1600400001.000100';
  // The site answers only once the second card was shown waiting behind the first: what a
  // person sees of a slow call, on any machine. A state overtaken before it could be shown is
  // not sent at all, so without the hold a slow machine may show a card first as in progress.
  let release!: () => void;
  siteHeld = new Promise<void>((resolve) => (release = resolve));
  h.answer('check the site and the cache', toolAnswer([{ name: 'http_get', args: { url: siteUrl } }, { name: 'read_status', args: { service: 'cache' } }]));
  await h.mention({ channel, user: 'U1', text: 'check the site and the cache', ts });
  await eventually(() => streamsIn(channel)[0]?.tasks.find((t) => String(t.title).startsWith('read_status') && t.status === 'pending'), 20_000);
  release();

  const result = await eventually(async () => (await h.stored(channel)).find((r) => r.message_type === 'agent_result' && r.platform_message_id));

  const [stream, ...more] = streamsIn(channel);
  expect(more).toEqual([]);
  expect(stream).toMatchObject({ threadTs: ts, taskDisplayMode: 'timeline', open: false, text: 're: check the site and the cache' });
  const statuses = statusesById([stream!]);
  expect(statuses.size).toBe(2);
  const statusesOf = (tool: string) => statuses.get(String(stream!.tasks.find((t) => String(t.title).startsWith(tool))!.id))!;
  // The first call may be running before the stream opens; the second waited behind it.
  expect(statusesOf('http_get')[0]).toMatch(/^(pending|in_progress)$/);
  expect(statusesOf('read_status')[0]).toBe('pending');
  for (const sent of statuses.values()) {
    expect(sent.at(-1)).toBe('complete');
    expect(sent.map((s) => ORDER.indexOf(s))).toEqual([...sent.map((s) => ORDER.indexOf(s))].sort());
  }
  const cards = stream!.tasks;
  const fetched = cards.filter((t) => String(t.title).startsWith('http_get')).at(-1)!;
  expect(fetched).toMatchObject({ status: 'complete', output: 'HTTP 200', sources: [{ type: 'url', url: siteUrl, text: siteUrl }] });
  expect(cards.filter((t) => String(t.title).startsWith('read_status')).at(-1)).toMatchObject({ status: 'complete', output: 'cache: down since 09:14 (token 7f3a)' });
  // The answer is the run's result, in the stream's message, with 👍/👎 naming it.
  expect(result).toMatchObject({ text: 're: check the site and the cache', platform_message_id: h.callsIn(channel, 'chat.startStream')[0]!.answer!.ts });
  expect(JSON.stringify(stream!.blocks)).toContain(result.id);
  const [progress] = await rows<{ platform_message_id: string | null; metadata: unknown }>(h.db.orm, `select m.platform_message_id, m.metadata from message m join conversation c on c.id = m.conversation_id where c.channel_id = ? and m.message_type = 'agent_progress'`, [channel]);
  expect(progress).toMatchObject({ platform_message_id: null, metadata: expect.objectContaining({ stream: true }) });
  expect(h.callsIn(channel, 'chat.update')).toEqual([]);
  expect(h.slack.calls.filter((c) => c.error !== undefined)).toEqual([]);
});

test('a call waiting at a card shows waiting for approval and links the card; after Approve a new stream follows it to the answer', async () => {
  h.llm.fallback(twoGateModel);
  const channel = 'CTASK2';
  const ts = '1600400002.000100';
  await h.mention({ channel, user: 'U_ADMIN', text: ASK, ts });
  const card = await eventually(async () => (await h.stored(channel)).find((r) => r.message_type === 'agent_request' && r.platform_message_id));
  // The stream ends where the run waits for a person.
  const parked = await eventually(() => streamsIn(channel).find((s) => !s.open && s.tasks.some((t) => t.status === 'pending')));

  const waiting = parked.tasks.filter((t) => String(t.title).startsWith('drop_table')).at(-1)!;
  const link = await eventually(() => h.slack.callsOf('chat.getPermalink').find((c) => c.params.message_ts === card.platform_message_id)?.answer?.permalink);
  expect(waiting).toMatchObject({ status: 'pending', details: 'waiting for approval on its card', sources: [{ type: 'url', url: link, text: 'Approval card' }] });

  await h.click({ channel, user: 'U_ADMIN', actionId: APPROVE_ACTION, value: `${card.request_id}.${card.plan_hash}`, messageTs: card.platform_message_id!, threadTs: ts });
  const result = await eventually(async () => (await h.stored(channel)).find((r) => r.message_type === 'agent_result' && r.platform_message_id));

  const after = streamsIn(channel).at(-1)!;
  expect(after).not.toBe(parked);
  expect(after.text).toBe(FINAL_ANSWER);
  expect(after.tasks.filter((t) => String(t.title).startsWith('drop_table')).at(-1)).toMatchObject({ status: 'complete', output: 'dropped cache' });
  expect(result.text).toBe(FINAL_ANSWER);
});

test('with chat.startStream refused, the run\'s progress is the message edited in place, as before', async () => {
  h.slack.failNext('chat.startStream', { error: 'not_allowed_token_type' });
  const channel = 'CTASK3';
  const ts = '1600400003.000100';
  await h.mention({ channel, user: 'U_ADMIN', text: ASK, ts });
  const card = await eventually(async () => (await h.stored(channel)).find((r) => r.message_type === 'agent_request' && r.platform_message_id));
  await h.click({ channel, user: 'U_ADMIN', actionId: APPROVE_ACTION, value: `${card.request_id}.${card.plan_hash}`, messageTs: card.platform_message_id!, threadTs: ts });
  await eventually(async () => (await h.stored(channel)).find((r) => r.message_type === 'agent_result' && r.platform_message_id));

  const progress = (await h.stored(channel)).find((r) => r.message_type === 'agent_progress')!;
  expect(progress.platform_message_id).not.toBeNull();
  await eventually(() => h.callsIn(channel, 'chat.update').find((c) => c.params.ts === progress.platform_message_id && String(c.params.text).startsWith('Run finished')));
  expect(h.callsIn(channel, 'chat.startStream').filter((c) => c.params.chunks !== undefined && c.error === undefined)).toEqual([]);
  expect(h.callsIn(channel, 'chat.postMessage').find((c) => c.params.text === FINAL_ANSWER) ?? streamsIn(channel).find((s) => s.text === FINAL_ANSWER)).toBeDefined();
});
