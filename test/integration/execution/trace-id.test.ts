/**
 * One trace id follows a request through the log: the turn that answered the message (its
 * model call and its card), the decision, and the run's steps in another process's worker.
 * Both processes log into streams the test reads back as pino's JSON lines.
 */
import { Writable } from 'node:stream';
import { APPROVE_ACTION } from '../../../src/core/model/action-ids';
import { createLogger } from '../../../src/logging/logger';
import { OpenAiModel } from '../../../src/llm/openai-model';
import { chatAnswer, requestAnswer, startFakeOpenAi, type FakeOpenAi } from '../../fakes/fake-openai';
import { rows } from '../../support/db-rows';
import { eventually } from '../../support/eventually';
import { RecordingPlatform } from '../../support/recording-platform';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { alice, buttonsOf, carol, newThread } from './execution-kit';
import { TOOL_RUN_TABLE } from './test-tools';
import { startWorkerApp, type WorkerApp } from './worker-app';

jest.setTimeout(30_000);

type LogLine = { msg: string; traceId?: string | null } & Record<string, unknown>;

/** A debug logger whose lines are parsed into `lines` as they are written. */
function capturedLog() {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { log: createLogger({ level: 'debug', destination: stream }), lines };
}

const settings = { policy: { approvers: [carol.id], fourEyes: false } };
const platform = new RecordingPlatform('slack');
const front = capturedLog();
const back = capturedLog();
let db: TestDatabase;
let llm: FakeOpenAi;
let deciding: WorkerApp;
let working: WorkerApp;

beforeAll(async () => {
  [db, llm] = await Promise.all([createTestDatabase(), startFakeOpenAi()]);
  await rows(db.orm, TOOL_RUN_TABLE);
  const model = () => new OpenAiModel({ apiKey: 'trace-test', baseUrl: llm.baseUrl, model: 'test-model', timeoutMs: 5000, maxRetries: 0 }, createLogger({ level: 'silent' }));
  // The process that takes the message and the click runs no steps: the other one does.
  [deciding, working] = await Promise.all([
    startWorkerApp({ url: db.url, platform, settings, log: front.log, model: model(), work: false }),
    startWorkerApp({ url: db.url, platform, settings, log: back.log, model: model() }),
  ]);
});

afterAll(async () => {
  await Promise.all([deciding?.stop(), working?.stop()]);
  await llm?.close();
  await db?.close();
});

test('the trace id of a message is on the log lines of its turn, its card, the decision and its run steps in another process', async () => {
  const where = newThread();
  llm.script('chat', requestAnswer('Stepping once.', [{ tool: 'safe_steps', args: { steps: 1, delayMs: 0 } }]), chatAnswer('Stepped once.'));
  await deciding.core.handleMessage({ where, messageId: 'trace-1', author: alice, text: 'step once please' });
  const card = platform.posts().find((p) => p.message.card);
  const approve = buttonsOf(card!.message).find((b) => b.actionId === APPROVE_ACTION)!;
  await deciding.core.handleAction({ where, messageId: card!.messageId, actionId: APPROVE_ACTION, value: approve.value, user: carol }, async (m) => {
    throw new Error(`decision refused: ${m.text}`);
  });
  await eventually(() => expect(platform.posts().map((p) => p.message.text)).toContain('Stepped once.'), 10_000);

  const [{ trace_id: traceId }] = (await rows<{ trace_id: string }>(db.orm, `select trace_id from message where platform_message_id = 'trace-1'`)) as [{ trace_id: string }];
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  const traced = (lines: LogLine[]) => lines.filter((l) => l.traceId === traceId).map((l) => l.msg);
  expect(traced(front.lines)).toEqual(expect.arrayContaining(['model call ended', 'run started', 'approval card posted', 'request decided']));
  expect(traced(back.lines)).toEqual(expect.arrayContaining(['run step taken', 'model call ended', 'run ended']));
  // Every step ran in the other process, under the same trace.
  expect(front.lines.filter((l) => l.msg === 'run step taken')).toEqual([]);
  expect(back.lines.filter((l) => l.msg === 'run step taken' && l.traceId !== traceId)).toEqual([]);
});
