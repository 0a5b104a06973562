/**
 * A database outage loses nothing that was acknowledged. Postgres (this file's own) is
 * stopped while people keep writing: Slack events are answered with an error, so Slack
 * delivers them again (played here, with its retry headers), Socket Mode envelopes stay
 * unacknowledged, Discord messages wait in the adapter's retry queue, and a click is told
 * it could not be recorded. Once Postgres is back, every message is stored once and
 * answered once.
 */
import type { RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { DiscordAdapter, NOT_TAKEN_NOTICE, startDiscordAdapter } from '../../../src/adapters/discord/discord-adapter';
import { SlackAdapter } from '../../../src/adapters/slack/slack-adapter';
import { STORE_UNAVAILABLE_MESSAGE } from '../../../src/core/user-facing-error';
import { APPROVE_ACTION } from '../../../src/core/model/action-ids';
import { FAKE_DISCORD_IDS, FakeRoute, startFakeDiscord, type FakeDiscord } from '../../fakes/fake-discord';
import { startFakeOpenAi, type FakeOpenAi } from '../../fakes/fake-openai';
import { appMentionEvent, sendEvent, sendInteraction, startFakeSlack, type FakeSlack, type SignedResponse } from '../../fakes/fake-slack';
import { buildCore, memoryLogger } from '../../support/core-harness';
import { rows } from '../../support/db-rows';
import { startFakeSocketMode, type FakeSocketMode } from '../slack/fake-socket-mode';
import { BOT_TOKEN, eventually, SIGNING_SECRET } from '../slack/slack-harness';
import { startRestartablePostgres, type RestartablePostgres } from './restartable-postgres';
import { answerByPurpose } from './scale-kit';

jest.setTimeout(120_000);

const OUTAGE_MS = 10_000;
const MENTIONS = 20;
const DISCORD_MESSAGES = 4;

let pg: RestartablePostgres;
let slack: FakeSlack;
let llm: FakeOpenAi;
let discordFake: FakeDiscord;
let socket: FakeSocketMode;
let http: SlackAdapter;
let socketAdapter: SlackAdapter;
let discord: DiscordAdapter;
let eventsUrl: string;
const httpLog = memoryLogger();
const socketLog = memoryLogger();

beforeAll(async () => {
  [pg, slack, llm, discordFake] = await Promise.all([startRestartablePostgres(), startFakeSlack({ admins: ['U_ADMIN'] }), startFakeOpenAi(), startFakeDiscord()]);
  llm.fallback(answerByPurpose({ reply: 'ok' }));
  // Slack over HTTP and Discord on one core; Socket Mode on a second core over the same database.
  const common = { botToken: BOT_TOKEN, apiUrl: slack.apiUrl, http: { port: 0, host: '127.0.0.1' }, retryConfig: { retries: 0 } };
  http = new SlackAdapter({ ...common, signingSecret: SIGNING_SECRET, log: httpLog.log });
  const core = buildCore({ db: pg, platforms: [http], openAiBaseUrl: llm.baseUrl, log: httpLog.log });
  discord = await startDiscordAdapter({
    config: {
      token: 'fake-token',
      appId: discordFake.applicationId,
      guildId: FAKE_DISCORD_IDS.guild,
      apiUrl: discordFake.apiUrl,
      registerCommands: false,
      // Tries well past the outage, so that every message is taken in the end.
      storeRetry: { firstDelayMs: 250, maxDelayMs: 1000, giveUpAfterMs: 60_000 },
    },
    core: core.core,
    platforms: core.deps.platforms,
    log: httpLog.log,
  });
  eventsUrl = `http://127.0.0.1:${(await http.start(core.core)).port}/slack/events`;
  socket = await startFakeSocketMode(slack.apiUrl);
  socketAdapter = new SlackAdapter({ ...common, appToken: 'xapp-outage', apiUrl: socket.apiUrl, log: socketLog.log });
  await socketAdapter.start(buildCore({ db: pg, platforms: [socketAdapter], openAiBaseUrl: llm.baseUrl, log: socketLog.log }).core);
  await socket.connected();
}, 90_000);

afterAll(async () => {
  await Promise.all([http?.stop(), socketAdapter?.stop(), discord?.stop()]);
  await Promise.all([slack?.close(), llm?.close(), discordFake?.close(), socket?.close()]);
  await pg?.close();
});

const logged = (lines: () => Record<string, unknown>[], msg: string, fields: Record<string, unknown>) =>
  eventually(() => lines().find((line) => line.msg === msg && Object.entries(fields).every(([k, v]) => line[k] === v)));

/** How many user messages are stored per platform message id. */
async function storedCounts(ids: readonly string[]): Promise<Map<string, number>> {
  const found = await rows<{ id: string; n: string }>(
    pg.orm,
    `select platform_message_id as id, count(*) as n from message
     where role = 'user' and platform_message_id in (${ids.map(() => '?').join(', ')}) group by platform_message_id`,
    [...ids],
  );
  return new Map(found.map((r) => [r.id, Number(r.n)]));
}

const postsInThread = (ts: string) => slack.callsOf('chat.postMessage').filter((c) => c.params.thread_ts === ts);

describe('while Postgres is down', () => {
  test('a click gets a private "could not record that, please try again", and nothing of the decision is done', async () => {
    await sendEvent(eventsUrl, SIGNING_SECRET, appMentionEvent({ channel: 'CCLICK', user: 'U_ADMIN', text: '<@U_BOT> !run countdown {"steps":1,"delayMs":0}', ts: '1600007000.000100' }));
    const request = await eventually(async () => {
      const [card] = await rows<{ id: string; hash: string; ts: string | null }>(
        pg.orm,
        `select q.id, q.plan_hash as hash, m.platform_message_id as ts from message m join agent_request q on q.id = m.request_id
         where m.message_type = 'agent_request' and m.thread_ref = '1600007000.000100'`,
      );
      return card?.ts ? { id: card.id, hash: card.hash, ts: card.ts } : undefined;
    });
    const click = slack.blockActionPayload({ channel: 'CCLICK', user: 'U_ADMIN', actionId: APPROVE_ACTION, value: `${request.id}.${request.hash}`, messageTs: request.ts, threadTs: '1600007000.000100' });

    await pg.stop();
    const ack = await sendInteraction(eventsUrl, SIGNING_SECRET, click);
    const note = await eventually(() => slack.callsOf('chat.postEphemeral').find((c) => c.params.channel === 'CCLICK'));
    await pg.start();

    expect(ack.status).toBe(200);
    expect(note.params).toMatchObject({ user: 'U_ADMIN', text: STORE_UNAVAILABLE_MESSAGE });
    const [after] = await rows<{ status: string }>(pg.orm, `select status from agent_request where id = ?`, [request.id]);
    expect(after!.status).toBe('pending');
    expect(slack.callsOf('chat.update')).toEqual([]);
  });

  test('Socket Mode leaves an event unacknowledged; Slack sending it again once Postgres is back gets it acked, stored once and answered once', async () => {
    const ts = '1600007100.000100';
    const event = appMentionEvent({ channel: 'CSOCKDOWN', user: 'U1', text: '<@U_BOT> over the socket', ts });

    await pg.stop();
    const first = socket.deliver('events_api', event);
    await logged(socketLog.lines, 'message not stored; answered with an error so that Slack delivers it again', { ts });
    await pg.start();
    await socket.deliver('events_api', event, 1).ack;

    // One WebSocket carries both acks in order: an ack of the first, sent when its store
    // failed, would have arrived before this one, sent after a store that succeeded.
    expect(first.acked()).toBe(false);
    expect(await storedCounts([ts])).toEqual(new Map([[ts, 1]]));
    await eventually(() => postsInThread(ts)[0]);
  });

  test(`${MENTIONS} Slack mentions and ${DISCORD_MESSAGES} Discord messages during a ${OUTAGE_MS / 1000} s outage are each stored once and answered once after it`, async () => {
    const mentions = Array.from({ length: MENTIONS }, (_, i) => appMentionEvent({ channel: `COUTAGE${i}`, user: 'U1', text: `<@U_BOT> during the outage ${i}` }));
    const slackTs = mentions.map((m) => (m.event as { ts: string }).ts);
    const redelivery = new SlackRedelivery(eventsUrl);

    await pg.stop();
    const stoppedAt = Date.now();
    const discordIds: string[] = [];
    for (const [i, mention] of mentions.entries()) {
      await redelivery.deliver(i, mention);
      if (i % (MENTIONS / DISCORD_MESSAGES) === 0) discordIds.push(discordFake.messageCreate({ content: `discord during the outage ${i}`, mentionsBot: true }).id);
      await redelivery.redeliverPending();
      await sleepUntil(stoppedAt + ((i + 1) * OUTAGE_MS) / MENTIONS);
    }
    const answersWhileDown = redelivery.statuses();
    await pg.start();
    await eventually(async () => ((await redelivery.redeliverPending()) === 0 ? true : undefined), 30_000);

    // While down, every delivery was refused, so Slack would send it again.
    expect(answersWhileDown.flat().filter((status) => status < 500)).toEqual([]);
    expect(redelivery.statuses().map((s) => s.at(-1))).toEqual(Array(MENTIONS).fill(200));
    await eventually(() => (slackTs.every((ts) => postsInThread(ts).length > 0) ? true : undefined), 30_000);
    const discordPosts = () => discordFake.callsTo<RESTPostAPIChannelMessageJSONBody>('POST', FakeRoute.channelMessages);
    const postsAbout = (id: string) => discordPosts().filter((c) => c.body.message_reference?.message_id === id);
    await eventually(() => (discordIds.every((id) => postsAbout(id).length > 0) ? true : undefined), 30_000);
    // Stopping waits for the turns under way: nothing can be answered twice after this.
    await Promise.all([http.stop(), discord.stop()]);

    expect(await storedCounts(slackTs)).toEqual(new Map(slackTs.map((ts) => [ts, 1])));
    expect(slackTs.map((ts) => postsInThread(ts).map((c) => c.params.text))).toEqual(Array(MENTIONS).fill(['ok']));
    expect(await storedCounts(discordIds)).toEqual(new Map(discordIds.map((id) => [id, 1])));
    // Answered, or (had the retries run out) told it was not taken: one post each either way.
    for (const id of discordIds) expect(postsAbout(id).map((c) => c.body.content)).toEqual([expect.stringMatching(new RegExp(`^(ok|<@\\d+> ${escape(NOT_TAKEN_NOTICE)})$`))]);
    console.log(`outage: first deliveries answered ${summarise(answersWhileDown.map((s) => s[0]!))}; ${redelivery.deliveries()} deliveries in all for ${MENTIONS} mentions`);
  });
});

/**
 * Slack's side of a delivery that failed: the event is sent again, with X-Slack-Retry-Num
 * and X-Slack-Retry-Reason, until it is answered 2xx. (Slack itself stops after 3 retries
 * over about 5 minutes; this test sends them sooner and until Postgres is back.)
 */
class SlackRedelivery {
  private readonly answers: number[][] = [];
  private readonly pending = new Map<number, object>();

  constructor(private readonly url: string) {}

  /** First delivery of event `i`. */
  async deliver(i: number, body: object): Promise<void> {
    this.answers[i] = [];
    await this.send(i, body);
  }

  /** Sends every event not yet answered 2xx again; resolves with how many are still not. */
  async redeliverPending(): Promise<number> {
    await Promise.all([...this.pending].map(([i, body]) => this.send(i, body)));
    return this.pending.size;
  }

  /** Every status each event got, in order. */
  statuses(): number[][] {
    return this.answers.map((a) => [...a]);
  }

  deliveries(): number {
    return this.answers.reduce((sum, a) => sum + a.length, 0);
  }

  private async send(i: number, body: object): Promise<void> {
    const tries = this.answers[i]!.length;
    const retry = tries === 0 ? {} : { retryNum: tries, retryReason: 'http_error' };
    const answer: SignedResponse | { status: number } = await sendEvent(this.url, SIGNING_SECRET, body, retry).catch(() => ({ status: 0 }));
    this.answers[i]!.push(answer.status);
    if (answer.status >= 200 && answer.status < 300) this.pending.delete(i);
    else this.pending.set(i, body);
  }
}

async function sleepUntil(at: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
}

function summarise(statuses: number[]): string {
  const counts = new Map<number, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n}× ${status}`).join(', ');
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
