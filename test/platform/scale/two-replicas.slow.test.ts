/**
 * Two bot processes on one database, each in Slack HTTP mode on its own port, as behind a
 * load balancer that retries: every event and every click reaches both. Each message must
 * still be stored once and answered once, and each approved request run once.
 */
import { APPROVE_ACTION } from '../../../src/core/model/action-ids';
import { startFakeOpenAi, type FakeOpenAi } from '../../fakes/fake-openai';
import { appMentionEvent, sendEvent, sendInteraction, startFakeSlack, type FakeSlack, type SignedResponse } from '../../fakes/fake-slack';
import { BOT_SIGNING_SECRET, BotProcesses, type BotProcess } from '../../support/bot-process';
import { rows } from '../../support/db-rows';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { eventually } from '../slack/slack-harness';
import { answerByPurpose } from './scale-kit';

jest.setTimeout(45_000);

const MENTIONS = 20;
const APPROVALS = 3;
/** One bot token per replica, so the fake Slack's call log tells which replica made a call. */
const TOKENS = ['xoxb-replica-a', 'xoxb-replica-b'];

let db: TestDatabase;
let slack: FakeSlack;
let llm: FakeOpenAi;
let replicas: BotProcess[] = [];
const bots = new BotProcesses();

beforeAll(async () => {
  [db, slack, llm] = await Promise.all([createTestDatabase(), startFakeSlack(), startFakeOpenAi()]);
  llm.fallback(answerByPurpose({ reply: 'ok' }));
  const options = (token: string) => ({
    databaseUrl: db.url,
    slackApiUrl: slack.apiUrl,
    openAiBaseUrl: llm.baseUrl,
    env: { DATABASE_POOL_MAX: '4', WORKER_CONCURRENCY: '2', SLACK_BOT_TOKEN: token },
  });
  // Started together, as a deployment's replicas are: both create pg-boss's queues on the same fresh database.
  replicas = await Promise.all(TOKENS.map((token) => bots.start(options(token))));
}, 60_000);

afterAll(async () => {
  await bots.stopAll();
  await Promise.all([slack?.close(), llm?.close()]);
  await db?.close();
});

/** Sends the same signed body to every replica at once. */
const toBoth = (send: (url: string) => Promise<SignedResponse>) => Promise.all(replicas.map((bot) => send(bot.eventsUrl)));

const mentionBoth = (channel: string, text: string) => {
  const event = appMentionEvent({ channel, user: 'U1', text: `<@U_BOT> ${text}` });
  const ts = (event.event as { ts: string }).ts;
  return toBoth((url) => sendEvent(url, BOT_SIGNING_SECRET, event)).then((acks) => ({ ts, acks }));
};

const postsIn = (channel: string) => slack.callsOf('chat.postMessage').filter((c) => c.params.channel === channel);
const resultsIn = (channel: string) => postsIn(channel).filter((c) => String(c.params.text).includes('Lift-off'));

describe('two replicas behind a retrying load balancer', () => {
  test('every mention delivered to both replicas is stored once, sent to the model once and answered once', async () => {
    const channels = Array.from({ length: MENTIONS }, (_, i) => `CREPLICA${i}`);
    const sent = await Promise.all(channels.map((channel) => mentionBoth(channel, `hello from ${channel}`)));

    // Both took part: a replica acks an event only once its message is stored, by it or by the other.
    expect(sent.flatMap((s) => s.acks.map((a) => a.status))).toEqual(Array(MENTIONS * 2).fill(200));
    await eventually(() => (channels.every((c) => postsIn(c).length > 0) ? true : undefined), 20_000);
    // Both replicas got each event at the same moment: a second answer would follow the first within milliseconds.
    await new Promise((resolve) => setTimeout(resolve, 1000));

    for (const [i, channel] of channels.entries()) {
      expect(postsIn(channel).map((c) => c.params.thread_ts)).toEqual([sent[i]!.ts]);
    }
    expect(llm.requestsFor('chat')).toHaveLength(MENTIONS);
    const stored = await rows<{ role: string; n: string }>(
      db.orm,
      `select m.role, count(*) as n from message m join conversation c on c.id = m.conversation_id
       where c.channel_id like 'CREPLICA%' group by m.role order by m.role`,
    );
    expect(stored.map((r) => [r.role, Number(r.n)])).toEqual([
      ['assistant', MENTIONS],
      ['user', MENTIONS],
    ]);
    await expectBothHealthy();
  });

  test('each request approved by a click delivered to both replicas runs once and reports once', async () => {
    const channels = Array.from({ length: APPROVALS }, (_, i) => `CAPPROVE${i}`);
    const proposals = await Promise.all(channels.map((channel) => mentionBoth(channel, '!run countdown {"steps":2,"delayMs":50}')));
    const requests = await Promise.all(channels.map((channel) => cardIn(channel)));

    const clicks = await Promise.all(
      requests.map(({ approve, cardTs }, i) => {
        const payload = slack.blockActionPayload({ channel: channels[i]!, user: 'U1', actionId: APPROVE_ACTION, value: approve, messageTs: cardTs, threadTs: proposals[i]!.ts });
        return toBoth((url) => sendInteraction(url, BOT_SIGNING_SECRET, payload));
      }),
    );

    expect(clicks.flat().map((a) => a.status)).toEqual(Array(APPROVALS * 2).fill(200));
    await eventually(() => (channels.every((c) => resultsIn(c).length > 0) ? true : undefined), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const [i, { id }] of requests.entries()) {
      expect(await requestRow(id)).toMatchObject({ request_status: 'approved', run_status: 'succeeded', attempt: 0 });
      expect(await runRowsOf(id)).toEqual(['agent_progress', 'agent_result']);
      expect(postsIn(channels[i]!).filter((c) => String(c.params.text).startsWith('Approval needed'))).toHaveLength(1);
      expect(resultsIn(channels[i]!)).toHaveLength(1);
      // The replica that lost the decision tells the clicker privately, as it would a double click.
      const notes = slack.callsOf('chat.postEphemeral').filter((c) => c.params.channel === channels[i]);
      expect(notes.map((c) => c.params.text)).toEqual([expect.stringMatching(/already/)]);
    }
    await expectBothHealthy();
  });
});

/** Losing a race is normal work: neither replica logs an error or leaves a rejection unhandled. */
async function expectBothHealthy(): Promise<void> {
  for (const replica of replicas) {
    expect(replica.errorLogs()).toEqual([]);
    expect((await replica.stats()).unhandledRejections).toEqual([]);
  }
}

/** Waits for the request card posted in `channel` and returns the request id, the card's ts and its Approve button's value. */
async function cardIn(channel: string): Promise<{ id: string; cardTs: string; approve: string }> {
  return eventually(async () => {
    const found = await rows<{ id: string; card_platform_id: string | null; plan_hash: string }>(
      db.orm,
      `select q.id, q.card_platform_id, q.plan_hash from agent_request q join agent_run r on r.id = q.run_id
       join conversation c on c.id = r.conversation_id where c.channel_id = ?`,
      [channel],
    );
    if (found.length > 1) throw new Error(`${found.length} requests in ${channel}: the command was handled more than once`);
    const [row] = found;
    return row?.card_platform_id ? { id: row.id, cardTs: row.card_platform_id, approve: `${row.id}.${row.plan_hash}` } : undefined;
  }, 15_000);
}

const requestRow = async (id: string) =>
  (
    await rows<{ request_status: string; run_status: string; attempt: number }>(
      db.orm,
      'select q.status as request_status, r.status as run_status, r.attempt from agent_request q join agent_run r on r.id = q.run_id where q.id = ?',
      [id],
    )
  )[0];

/** The message types stored for a request's run (progress, result), one entry per row. */
const runRowsOf = async (requestId: string) =>
  (
    await rows<{ message_type: string }>(
      db.orm,
      'select m.message_type from message m join agent_request q on q.run_id = m.run_id where q.id = ? order by m.message_type',
      [requestId],
    )
  ).map((r) => r.message_type);
