/**
 * The agent loop through the real Bolt app and the fake Slack: a read the policy runs at once,
 * a destructive call at a card, Approve, and the model's answer built on what the read returned.
 */
import { APPROVE_ACTION } from '../../../src/core/model/action-ids';
import { rows } from '../../support/db-rows';
import { ASK, AUTO_RUN_READ_ONLY, FINAL_ANSWER, HEALTH, dropTableTool, executed, readHealthTool, twoGateModel } from '../agent/two-gate-run';
import { eventually, startSlackHarness, type SlackHarness } from './slack-harness';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({ workspace: { admins: ['U_ADMIN'] }, settings: AUTO_RUN_READ_ONLY, tools: [readHealthTool, dropTableTool] });
  h.llm.fallback(twoGateModel);
});
afterAll(() => h.close());

const blocksText = (params: Record<string, unknown>) => JSON.stringify(params.blocks ?? '') + String(params.text);

test('a two-gate run: the read runs at once, the drop waits at a card, and after Approve the answer uses what the read returned', async () => {
  const channel = 'CAGENT1';
  const threadTs = '1600007000.000100';
  await h.mention({ channel, user: 'U1', text: ASK, ts: threadTs });

  const request = await eventually(async () => (await h.stored(channel)).find((r) => r.message_type === 'agent_request' && r.platform_message_id));
  expect(executed).toEqual([]);
  // The second model call read the first call's output as a tool message under its call id.
  const afterRead = h.llm.requests.find((r) => r.body.messages.at(-1)?.role === 'tool')!;
  expect(afterRead.body.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_read', content: `cache: ${HEALTH}` });
  const card = h.callsIn(channel, 'chat.postMessage').find((c) => c.params.ts === undefined && blocksText(c.params).includes(request.request_id!))!;
  expect(card.params.thread_ts).toBe(threadTs);
  expect(blocksText(card.params)).toContain('drop_table');
  expect(blocksText(card.params)).toMatch(/destructive/i);

  const approve = `${request.request_id}.${request.plan_hash}`;
  const click = await h.click({ channel, user: 'U_ADMIN', actionId: APPROVE_ACTION, value: approve, messageTs: request.platform_message_id!, threadTs });
  expect(click.ack.status).toBe(200);

  const answer = await eventually(() => h.callsIn(channel, 'chat.postMessage').find((c) => c.params.text === FINAL_ANSWER), 10_000);
  expect(answer.params.thread_ts).toBe(threadTs);
  expect(executed).toEqual([{ tool: 'drop_table', args: { table: 'cache' } }]);
  const progress = (await h.stored(channel)).find((r) => r.message_type === 'agent_progress')!;
  const progressEdits = () => h.callsIn(channel, 'chat.update').filter((c) => c.params.ts === progress.platform_message_id);
  await eventually(() => progressEdits().find((c) => blocksText(c.params).includes('Run finished')));
  expect(progressEdits().length).toBeGreaterThanOrEqual(2);

  const stored = await h.stored(channel);
  expect(stored.filter((r) => r.message_type === 'agent_request')).toHaveLength(1);
  expect(stored.filter((r) => r.message_type === 'agent_result').map((r) => r.text)).toEqual([FINAL_ANSWER]);
  const calls = await rows(h.db.orm, `select k.tool, k.gate, k.status from tool_call k join agent_request q on q.run_id = k.run_id where q.id = ? order by k.turn_seq, k.position`, [request.request_id]);
  expect(calls).toEqual([
    { tool: 'read_status', gate: 'auto', status: 'succeeded' },
    { tool: 'drop_table', gate: 'gated', status: 'succeeded' },
  ]);
  expect(h.slack.calls.filter((c) => c.error !== undefined)).toEqual([]);
});
