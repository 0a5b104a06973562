/**
 * GET /metrics of a whole Switchboard in Slack HTTP mode (on Slack's own server, beside
 * /slack/events), scraped as Prometheus would while a test drives a turn, an approval card, a
 * click and a run through the fake Slack.
 */
import { loadConfig } from '../../../src/config/config';
import { APPROVE_ACTION } from '../../../src/core/model/action-ids';
import { createLogger } from '../../../src/logging/logger';
import { startSwitchboard, type RunningSwitchboard } from '../../../src/app';
import { chatAnswer, requestAnswer, startFakeOpenAi, toolAnswer, type FakeOpenAi } from '../../fakes/fake-openai';
import { appMentionEvent, sendEvent, sendInteraction, startFakeSlack, type FakeSlack } from '../../fakes/fake-slack';
import { rows } from '../../support/db-rows';
import { parseExposition, valueOf, type Sample } from '../../support/prometheus-text';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { eventually } from '../slack/slack-harness';

const SECRET = 'metrics-test-signing-secret';
const CHANNEL = 'CMETRICS';

let db: TestDatabase;
let slack: FakeSlack;
let llm: FakeOpenAi;
let app: RunningSwitchboard;
let base: string;

beforeAll(async () => {
  [db, slack, llm] = await Promise.all([createTestDatabase(), startFakeSlack(), startFakeOpenAi()]);
  llm.fallback(() => chatAnswer('Hello from the bot.'));
  const config = loadConfig({
    DATABASE_URL: db.url,
    MIGRATE_ON_START: 'false',
    SLACK_BOT_TOKEN: 'xoxb-metrics',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    // Runs show an edited progress message and a posted result, whose posts and edits the counters below follow.
    SLACK_MESSAGING: 'assistant',
    OPENAI_API_KEY: 'metrics-test',
    OPENAI_BASE_URL: llm.baseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
  });
  app = await startSwitchboard(config, createLogger({ level: 'silent' }));
  base = `http://127.0.0.1:${app.opsPort}`;
});
afterAll(async () => {
  await app?.stop();
  await Promise.all([slack?.close(), llm?.close()]);
  await db?.close();
});

async function scrape(): Promise<Sample[]> {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  return parseExposition(await res.text());
}

const outbound = (samples: Sample[], kind: string) => valueOf(samples, 'switchboard_outbound_calls_total', { platform: 'slack', kind, outcome: 'ok' }) ?? 0;
const postsIn = () => slack.callsOf('chat.postMessage').filter((c) => c.params.channel === CHANNEL);
/** The pending request once its card is posted. */
const postedRequest = async () =>
  (
    await rows<{ id: string; hash: string; platform_message_id: string }>(
      db.orm,
      `select q.id, q.plan_hash as hash, m.platform_message_id from message m join agent_request q on q.id = m.request_id
       where m.message_type = 'agent_request' and m.platform_message_id is not null and q.status = 'pending'`,
    )
  )[0];
/** Scrapes until `settled` holds: counters move a moment after what a user sees. */
const scrapeUntil = (settled: (samples: Sample[]) => boolean) =>
  eventually(async () => {
    const samples = await scrape();
    return settled(samples) ? samples : undefined;
  });
/** How far the series `name{labels}` moved from `before` to `after`. */
const moved = (before: Sample[], after: Sample[], name: string, labels: Record<string, string>) => (valueOf(after, name, labels) ?? 0) - (valueOf(before, name, labels) ?? 0);
const mention = (text: string, ts: string) => sendEvent(`${base}/slack/events`, SECRET, appMentionEvent({ channel: CHANNEL, user: 'U1', text: `<@U_BOT> ${text}`, ts }));

describe('/metrics on the Slack server', () => {
  test('serves health and readiness beside Slack’s endpoint', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { startup: 'ok', database: 'ok', migrations: 'ok', slack: 'ok', jobs: 'ok' } });
  });

  test('counters move as a turn, a card, a click and a run go through the fake Slack', async () => {
    const before = await scrape();

    await mention('hello', '1700005000.000100');
    await eventually(() => postsIn().find((c) => c.params.text === 'Hello from the bot.'));
    const afterTurn = await scrape();
    expect(outbound(afterTurn, 'post')).toBe(outbound(before, 'post') + 1);

    await mention('!run countdown {"steps":2,"delayMs":50}', '1700005001.000100');
    const request = await eventually(postedRequest);
    const afterCard = await scrape();
    expect(outbound(afterCard, 'post')).toBe(outbound(afterTurn, 'post') + 1);

    const click = slack.blockActionPayload({ channel: CHANNEL, user: 'U1', actionId: APPROVE_ACTION, value: `${request.id}.${request.hash}`, messageTs: request.platform_message_id, threadTs: '1700005001.000100' });
    expect((await sendInteraction(`${base}/slack/events`, SECRET, click)).status).toBe(200);
    await eventually(() => postsIn().find((c) => String(c.params.text).includes('Lift-off')), 10_000);
    const afterRun = await eventually(async () => {
      const samples = await scrape();
      // The result is posted first; the progress message's last edit follows it.
      const settled = valueOf(samples, 'switchboard_job_queue_depth', { state: 'active' }) === 0 && outbound(samples, 'update') >= outbound(afterCard, 'update') + 2;
      return settled ? samples : undefined;
    });

    // The card edited on approval, the progress message posted and edited, the result posted.
    expect(outbound(afterRun, 'update')).toBeGreaterThanOrEqual(outbound(afterCard, 'update') + 2);
    expect(outbound(afterRun, 'post')).toBeGreaterThanOrEqual(outbound(afterCard, 'post') + 2);
    expect(valueOf(afterRun, 'switchboard_outbound_call_duration_seconds_count', { platform: 'slack', kind: 'update' })).toBeGreaterThanOrEqual(2);
    expect(valueOf(afterRun, 'switchboard_job_queue_depth', { state: 'waiting' })).toBe(0);
    expect(valueOf(afterRun, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(afterRun.some((s) => s.name === 'nodejs_heap_size_used_bytes')).toBe(true);
  });

  test('acks, turns, model calls and tokens, requests, approval waits, runs and learned facts move as a learning turn, a card, a click and a run go through', async () => {
    const before = await scrape();
    const facts = [
      { contextType: 'technology', key: 'uses_kubernetes', value: 'The team deploys on Kubernetes.', confidence: 0.9 },
      { contextType: 'technology', key: 'maybe_rust', value: 'They might try Rust.', confidence: 0.1 },
    ];
    llm.script('chat', toolAnswer([{ name: 'remember', args: { facts } }], 'Noted.'));
    await mention('we deploy on kubernetes', '1700005100.000100');
    await eventually(() => postsIn().find((c) => c.params.text === 'Noted.'));

    llm.script('chat', requestAnswer('Counting down.', [{ tool: 'countdown', args: { steps: 1, delayMs: 10 } }]), chatAnswer('Counted down.'));
    await mention('count down once', '1700005101.000100');
    const request = await eventually(postedRequest);
    const click = slack.blockActionPayload({ channel: CHANNEL, user: 'U1', actionId: APPROVE_ACTION, value: `${request.id}.${request.hash}`, messageTs: request.platform_message_id, threadTs: '1700005101.000100' });
    expect((await sendInteraction(`${base}/slack/events`, SECRET, click)).status).toBe(200);
    await eventually(() => postsIn().find((c) => c.params.text === 'Counted down.'), 10_000);
    const after = await scrapeUntil((s) => moved(before, s, 'switchboard_run_duration_seconds_count', { platform: 'slack', outcome: 'succeeded' }) === 1);

    const slackMoved = (name: string, labels: Record<string, string>) => moved(before, after, name, { platform: 'slack', ...labels });
    expect(slackMoved('switchboard_ack_duration_seconds_count', { kind: 'event' })).toBe(2);
    expect(slackMoved('switchboard_ack_duration_seconds_count', { kind: 'action' })).toBe(1);
    expect(slackMoved('switchboard_turn_duration_seconds_count', { outcome: 'chat' })).toBe(1);
    expect(slackMoved('switchboard_turn_duration_seconds_count', { outcome: 'request' })).toBe(1);
    expect(moved(before, after, 'switchboard_model_call_duration_seconds_count', { purpose: 'turn', outcome: 'ok' })).toBe(2);
    expect(moved(before, after, 'switchboard_model_call_duration_seconds_count', { purpose: 'step', outcome: 'ok' })).toBe(1);
    // The fake OpenAI reports 10 prompt and 5 completion tokens per answer.
    expect(moved(before, after, 'switchboard_model_tokens_total', { purpose: 'turn', type: 'prompt' })).toBe(20);
    expect(moved(before, after, 'switchboard_model_tokens_total', { purpose: 'step', type: 'completion' })).toBe(5);
    expect(slackMoved('switchboard_context_facts_learned_total', {})).toBe(1);
    expect(slackMoved('switchboard_context_facts_refused_total', { reason: 'low_confidence' })).toBe(1);
    expect(slackMoved('switchboard_runs_started_total', {})).toBe(1);
    expect(slackMoved('switchboard_requests_total', { outcome: 'approved' })).toBe(1);
    expect(slackMoved('switchboard_approval_wait_seconds_count', { decision: 'approved' })).toBe(1);
    expect(valueOf(after, 'switchboard_runs_in_progress', { platform: 'slack' })).toBe(0);
  });
});
