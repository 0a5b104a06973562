/** What the scale tests share: how the fake model answers, how load is sent, and how to read what came back. */
import { chatAnswer, type FakeAnswer, type RecordedCompletion } from '../../fakes/fake-openai';
import type { FakeSlackCall } from '../../fakes/fake-slack';

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
