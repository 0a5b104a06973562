/**
 * Backpressure: a burst of mentions at once, with a model that takes 40-100 ms per
 * answer and room for only a few turns at a time. Slack still gets its acks at once,
 * the model never sees more calls at once than the limit, and the replies flow out in
 * order of arrival from the start instead of all arriving late together. Nothing here is
 * timed: the checks count calls and compare orders, so a slow machine cannot fail them.
 */
import { appMentionEvent } from '../../fakes/fake-slack';
import { eventually, startSlackHarness, type SlackHarness } from '../slack/slack-harness';
import { answerByPurpose, answeredThreads, peakInFlight } from './scale-kit';

jest.setTimeout(30_000);

const MENTIONS = 60;
const MAX_TURNS = 3;

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({ settings: { maxConcurrentTurns: MAX_TURNS } });
  // 40-100 ms, varied by message but the same on every run.
  h.llm.fallback(answerByPurpose({ reply: 'ok', delayMs: (request) => 40 + ((Number(/number (\d+)/.exec(request.prompt)?.[1] ?? 0) * 37) % 61) }));
});
afterAll(() => h?.close());

describe('a burst larger than the turns the bot runs at once', () => {
  test('is acked at once, never runs more model calls than the limit, and is answered steadily in order of arrival', async () => {
    // One channel per mention: the bot paces each channel at Slack's rate, which is not what this measures.
    const events = Array.from({ length: MENTIONS }, (_, i) => appMentionEvent({ channel: `CPRESSURE${i}`, user: 'U1', text: `<@U_BOT> hello number ${i}` }));
    const threads = events.map((e) => (e.event as { ts: string }).ts);
    // The model is held until every ack is in: acks that waited for turns would never come.
    const release = h.llm.hold();
    const acks = await Promise.all(events.map((event) => h.event(event)));
    release();
    await eventually(() => (answeredThreads(h.slack.calls, new Set(threads)).size === MENTIONS ? true : undefined), 20_000);

    const slowestAck = Math.max(...acks.map((a) => a.ms));
    const replyAt = threads.map((ts) => h.slack.callsOf('chat.postMessage').find((c) => c.params.thread_ts === ts)!.at);
    const asked = h.llm.requestsFor('chat').map((r) => r.receivedAt);
    const aheadOfReplies = askedAheadOfReplies(replyAt, asked);
    console.log(`backpressure: slowest ack ${Math.round(slowestAck)} ms; the model was asked at most ${aheadOfReplies} turns ahead of the replies out`);

    expect(acks.map((a) => a.status)).toEqual(Array(MENTIONS).fill(200));
    // Never above the limit, and the limit is used: turns run side by side, not one by one.
    const peak = peakInFlight(h.llm.requestsFor('chat'));
    expect(peak).toBeLessThanOrEqual(MAX_TURNS);
    expect(peak).toBeGreaterThanOrEqual(2);
    // First come, first served: the first ten sent are all answered before any of the last ten.
    expect(Math.max(...replyAt.slice(0, 10))).toBeLessThan(Math.min(...replyAt.slice(-10)));
    // Steady, not bunched, counted rather than timed: each reply goes out while the model is
    // at most a few turns ahead of it. Replies held back and sent together would let it run
    // all 60 before the first one.
    expect(aheadOfReplies).toBeLessThanOrEqual(2 * MAX_TURNS);
  });
});

/**
 * The most model calls that had been made, when a reply went out, beyond the replies already
 * out before it. Times that tie are read in the replies' favour: only calls strictly earlier count.
 */
function askedAheadOfReplies(replyAt: readonly number[], askedAt: readonly number[]): number {
  const replies = [...replyAt].sort((a, b) => a - b);
  return Math.max(...replies.map((at, before) => askedAt.filter((asked) => asked < at).length - before));
}
