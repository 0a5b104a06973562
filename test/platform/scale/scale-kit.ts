/** What the scale tests share: how the fake model answers, how load is sent, and how to read what came back. */
import { chatAnswer, type FakeAnswer, type RecordedCompletion } from '../../fakes/fake-openai';
import { sendEvent, type FakeSlackCall } from '../../fakes/fake-slack';
import { BOT_SIGNING_SECRET } from '../../support/bot-process';

/** Slack delivers an event again when its ack was an error, up to 3 times. */
const SLACK_RETRIES = 3;

/** How one event's delivery ended: the last ack's status and time, and how many times it was delivered again. */
export interface Delivery {
  readonly status: number;
  readonly ms: number;
  readonly retries: number;
}

/**
 * Delivers one event to a bot process as Slack does: again, marked as a retry, while the bot
 * answers an error. A loaded machine may make the bot miss its store deadline (under 3 s); it
 * then answers 503 so that Slack delivers again, and nothing may be lost that way.
 */
export async function deliverLikeSlack(eventsUrl: string, event: object): Promise<Delivery> {
  const send = (retryNum?: number) =>
    sendEvent(eventsUrl, BOT_SIGNING_SECRET, event, retryNum ? { retryNum, retryReason: 'http_error' } : {}).catch(() => ({ status: 0, body: '', ms: Number.NaN }));
  let ack = await send();
  let retries = 0;
  while (ack.status !== 200 && retries < SLACK_RETRIES) ack = await send(++retries);
  return { status: ack.status, ms: ack.ms, retries };
}

/**
 * The fake model's answer to every call: `reply`, after `delayMs` (default none), chosen per call.
 */
export function answerByPurpose(options: { reply: string; delayMs?: (request: RecordedCompletion) => number }) {
  return (request: RecordedCompletion): FakeAnswer => ({
    ...chatAnswer(options.reply),
    delayMs: options.delayMs?.(request) ?? 0,
  });
}

/**
 * The most calls the fake was answering at one moment. An answer is sent before the call it
 * frees can start the next, so at equal times the end counts before the start.
 */
export function peakInFlight(requests: readonly RecordedCompletion[]): number {
  const edges = requests.flatMap((r) => [
    { at: r.receivedAt, delta: 1 },
    { at: r.answeredAt ?? Number.POSITIVE_INFINITY, delta: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let current = 0;
  let peak = 0;
  for (const { delta } of edges) {
    current += delta;
    peak = Math.max(peak, current);
  }
  return peak;
}

/** Runs `send(0..count-1)` with at most `concurrency` at once, each starting as soon as a slot frees; results in index order. */
export async function sendAll<T>(count: number, concurrency: number, send: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const sender = async () => {
    for (let i = next++; i < count; i = next++) results[i] = await send(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, sender));
  return results;
}

/** The thread ts values among `expected` that have at least one chat.postMessage in `calls`. */
export function answeredThreads(calls: readonly FakeSlackCall[], expected: ReadonlySet<string>): Set<string> {
  const answered = new Set<string>();
  for (const call of calls) {
    const thread = call.params.thread_ts;
    if (call.method === 'chat.postMessage' && typeof thread === 'string' && expected.has(thread)) answered.add(thread);
  }
  return answered;
}
