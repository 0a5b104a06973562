/**
 * A running Switchboard in Slack for platform tests: the real SlackAdapter (Bolt HTTP
 * receiver on 127.0.0.1, port 0) over the real core and Postgres, talking to the fake Slack
 * and the fake OpenAI. Each test file starts one and uses its own channel ids.
 */
import { z } from 'zod';
import { SlackAdapter, type SlackMessaging } from '../../../src/adapters/slack/slack-adapter';
import type { CoreSettings } from '../../../src/core/core-deps';
import type { Clock } from '../../../src/core/ports/clock';
import type { Tool } from '../../../src/core/ports/tools';
import { defineTool } from '../../../src/tools/define-tool';
import { countdownTool } from '../../../src/tools/countdown';
import { chatAnswer, startFakeOpenAi, type FakeAnswer, type FakeOpenAi, type RecordedCompletion } from '../../fakes/fake-openai';
import {
  agentSessionStoppedEvent,
  appMentionEvent,
  sendCommand,
  sendEvent,
  sendInteraction,
  startFakeSlack,
  viewSubmissionPayload,
  type BlockActionInput,
  type FakeSlack,
  type FakeSlackCall,
  type FakeSlackOptions,
  type MessageEventInput,
  type ViewSubmissionInput,
  type SignedRequestOptions,
  type SignedResponse,
} from '../../fakes/fake-slack';
import { buildCore, memoryLogger, type Harness } from '../../support/core-harness';
import { rows } from '../../support/db-rows';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

export const SIGNING_SECRET = 'slack-test-signing-secret';
export const BOT_TOKEN = 'xoxb-slack-test';

/** The assistant panel every harness runs with, as main.ts always configures one. */
export const TEST_ASSISTANT_PANEL = {
  greeting: 'Hello from the test panel',
  prompts: [
    { title: 'Waiting on me', message: '!pending' },
    { title: 'Staging health', message: 'Is staging healthy?' },
  ],
};

/** A destructive tool, so tests can show who may approve what. */
export const dropTableTool = defineTool({
  name: 'drop_table',
  description: 'Drops a table',
  input: z.object({ table: z.string() }),
  destructive: true,
  execute: async ({ table }) => ({ text: `dropped ${table}` }),
});

export interface SlackHarness {
  readonly slack: FakeSlack;
  readonly llm: FakeOpenAi;
  readonly db: TestDatabase;
  readonly core: Harness;
  readonly eventsUrl: string;
  /**
   * How the fake model answers a user message with exactly this text, whatever order the
   * turns reach it in. Unlisted messages get the chat reply `re: <text>`.
   */
  answer(userText: string, answer: FakeAnswer): void;
  /**
   * Mentions the bot in `channel` and waits until its answer is stored: events sent before
   * it have been handled by then, so "nothing happened" can be asserted.
   */
  barrier(channel: string): Promise<void>;
  /** The adapter's and the core's pino lines, for assertions on what was logged. */
  readonly logLines: () => Record<string, unknown>[];
  /** Waits for a log line with message `msg` and these fields, e.g. `{ messageId: ts }`. */
  logged(msg: string, fields?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Sends a signed Events API envelope. */
  event(body: object, opts?: SignedRequestOptions): Promise<SignedResponse>;
  /** Sends a mention of the bot (`<@U_BOT> text`) as an app_mention event. */
  mention(input: MessageEventInput, opts?: SignedRequestOptions): Promise<SignedResponse>;
  /**
   * `user` clicks Stop on the thread's agent session: the fake ends the thread's open streams,
   * as Slack does, then sends `agent_session_stopped` naming them. Returns the streams' ts.
   */
  stop(input: { channel: string; threadTs: string; user: string; eventId?: string }): Promise<string[]>;
  /** Sends a signed button click; `edit` may reshape the payload first. */
  click(input: BlockActionInput, edit?: (payload: Record<string, unknown>) => void): Promise<Interaction>;
  /** Submits a modal the bot opened (a signed view_submission); answers with the bot's ack. */
  submit(input: ViewSubmissionInput): Promise<SignedResponse>;
  /** Sends a signed slash command. */
  command(input: { team?: string; channel: string; user: string; command: string; text: string }): Promise<Interaction>;
  /** The calls of `method` into `channel`. */
  callsIn(channel: string, method: string): FakeSlackCall[];
  /** The messages stored for a channel, oldest first. */
  stored(channel: string): Promise<StoredRow[]>;
  close(): Promise<void>;
}

/** A click or command sent, with what the bot then posted to its response URL. */
export interface Interaction {
  readonly ack: SignedResponse;
  /** The posts to this interaction's response URL so far. */
  responses(): FakeSlackCall[];
}

export interface StoredRow {
  id: string;
  role: string;
  message_type: string;
  text: string;
  thread_ref: string;
  platform_message_id: string | null;
  /** For an approval card: its request, the request's status and its run's. */
  request_id: string | null;
  request_status: string | null;
  /** The hash of the plan the card shows, which an Approve must carry. */
  plan_hash: string | null;
  /** The token the card's buttons carry. */
  card_token: string | null;
  run_status: string | null;
}

/**
 * Starts the fakes, a database and the adapter; `close()` stops everything. `messaging`
 * defaults to `assistant` (the app as it was before agent messaging: no sessions, runs show
 * an edited progress message); the agent tests ask for `agent`.
 */
export async function startSlackHarness(
  options: { workspace?: FakeSlackOptions; settings?: Partial<CoreSettings>; clock?: Clock; tools?: Tool[]; messaging?: SlackMessaging } = {},
): Promise<SlackHarness> {
  const [slack, llm, db] = await Promise.all([startFakeSlack(options.workspace), startFakeOpenAi(), createTestDatabase()]);
  const { log, lines } = memoryLogger();
  const adapter = new SlackAdapter({
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    apiUrl: slack.apiUrl,
    http: { port: 0, host: '127.0.0.1' },
    retryConfig: { retries: 0 },
    assistant: TEST_ASSISTANT_PANEL,
    messaging: options.messaging ?? 'assistant',
    log,
  });
  const core = buildCore({ db, platforms: [adapter], openAiBaseUrl: llm.baseUrl, tools: options.tools ?? [countdownTool, dropTableTool], settings: options.settings, clock: options.clock, log });
  const { port } = await adapter.start(core.core);
  const eventsUrl = `http://127.0.0.1:${port}/slack/events`;
  const answers = new Map<string, FakeAnswer>();
  llm.fallback((request) => {
    const text = lastUserText(request);
    // A scripted answer answers the turn; once a run's tools have answered, the model says it is done.
    const midRun = request.body.messages.some((m) => m.role === 'tool');
    return (!midRun && answers.get(text)) || chatAnswer(`re: ${text}`);
  });
  const stored = (channel: string) =>
    rows<StoredRow>(
      db.orm,
      `select m.id, m.role, m.message_type, m.text, m.thread_ref, m.platform_message_id, q.id as request_id, q.status as request_status, q.plan_hash, q.card_token, r.status as run_status
       from message m join conversation c on c.id = m.conversation_id
       left join agent_request q on q.id = m.request_id left join agent_run r on r.id = q.run_id
       where c.platform = 'slack' and c.channel_id = ? order by m.created_at, m.id`,
      [channel],
    );
  let barriers = 0;
  return {
    slack,
    llm,
    db,
    core,
    eventsUrl,
    answer: (userText, answer) => answers.set(userText, answer),
    barrier: async (channel) => {
      const text = `barrier-${++barriers}`;
      await sendEvent(eventsUrl, SIGNING_SECRET, appMentionEvent({ channel, user: 'U_BARRIER', text: `<@U_BOT> ${text}` }));
      await eventually(async () => ((await stored(channel)).some((r) => r.text === `re: ${text}`) ? true : undefined));
    },
    logLines: lines,
    logged: (msg, fields = {}) =>
      eventually(() => lines().find((line) => line.msg === msg && Object.entries(fields).every(([k, v]) => line[k] === v))),
    event: (body, opts) => sendEvent(eventsUrl, SIGNING_SECRET, body, opts),
    mention: (input, opts) => sendEvent(eventsUrl, SIGNING_SECRET, appMentionEvent({ ...input, text: `<@U_BOT> ${input.text}` }), opts),
    stop: async (input) => {
      const streamingTs = slack.stopStreamsIn(input.channel, input.threadTs);
      const sent = await sendEvent(eventsUrl, SIGNING_SECRET, agentSessionStoppedEvent({ ...input, streamingTs }));
      if (sent.status !== 200) throw new Error(`agent_session_stopped answered ${sent.status}`);
      return streamingTs;
    },
    click: async (input, edit) => {
      const payload = slack.blockActionPayload(input);
      edit?.(payload);
      const ack = await sendInteraction(eventsUrl, SIGNING_SECRET, payload);
      return { ack, responses: () => responsesTo(slack, String(payload.response_url)) };
    },
    submit: (input) => sendInteraction(eventsUrl, SIGNING_SECRET, viewSubmissionPayload(input)),
    command: async (input) => {
      const fields = slack.slashCommand(input);
      const ack = await sendCommand(eventsUrl, SIGNING_SECRET, fields);
      return { ack, responses: () => responsesTo(slack, fields.response_url!) };
    },
    callsIn: (channel, method) => slack.callsOf(method).filter((c) => c.params.channel === channel),
    stored,
    close: async () => {
      await adapter.stop();
      await core.queue.drain();
      await Promise.all([slack.close(), llm.close()]);
      await db.close();
    },
  };
}

function responsesTo(slack: FakeSlack, url: string): FakeSlackCall[] {
  return slack.callsOf('response_url').filter((call) => call.path === new URL(url).pathname);
}

/** The text of the last user turn in an intent request (the core sends `name: text`). */
function lastUserText(request: RecordedCompletion): string {
  const last = request.body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
  return last.slice(last.indexOf(': ') + 2);
}

/** Polls `check` until it returns a value other than undefined; fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
