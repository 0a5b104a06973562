import { appMentionEvent, sendEvent } from '../test/fakes/fake-slack';
import type { ReplyTracker } from './reply-tracker';

export const BENCH_SECRET = 'bench-signing-secret';

/**
 * Where and how to send mentions; `tsBase` keeps every message ts unique across phases.
 * Each mention goes to a channel of its own (`<channel>-<i>`): Slack allows about one
 * message per second per channel, and the bot keeps to that, so load on one channel
 * would measure the pacing, not the bot.
 */
export interface LoadTarget {
  url: string;
  channel: string;
  tsBase: number;
  tracker: ReplyTracker;
}

export interface LoadResult {
  ackMs: number[];
  failures: number;
  firstSentAt: number;
}

/** Sends mention `i` and records its ack time and status. */
async function mention(target: LoadTarget, i: number, result: LoadResult): Promise<void> {
  const ts = `${target.tsBase + i}.000100`;
  const body = appMentionEvent({ channel: `${target.channel}-${i}`, user: 'U_BENCH', text: `<@U_BOT> hello number ${i}`, ts });
  target.tracker.expect(ts, Date.now());
  const response = await sendEvent(target.url, BENCH_SECRET, body).catch(() => ({ status: 0, ms: Number.NaN }));
  if (response.status !== 200) result.failures++;
  else result.ackMs.push(response.ms);
}

/** Open loop: one mention every 1000/rate ms regardless of how fast the subject answers. */
export async function paced(target: LoadTarget, count: number, ratePerSec: number): Promise<LoadResult> {
  const result: LoadResult = { ackMs: [], failures: 0, firstSentAt: Date.now() };
  const gap = 1000 / ratePerSec;
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = result.firstSentAt + i * gap;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(mention(target, i, result));
  }
  await Promise.all(inFlight);
  return result;
}

/** Closed loop: `concurrency` senders, each sending its next mention as soon as the last was acked. */
export async function saturating(target: LoadTarget, count: number, concurrency: number): Promise<LoadResult> {
  const result: LoadResult = { ackMs: [], failures: 0, firstSentAt: Date.now() };
  let next = 0;
  const worker = async () => {
    while (next < count) await mention(target, next++, result);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return result;
}
