import type { FakeSlack } from '../test/fakes/fake-slack';

/**
 * Matches the replies the fake Slack received to the mentions that caused them, by
 * thread ts, using the time the fake recorded each call's arrival.
 */
export class ReplyTracker {
  private readonly sentAt = new Map<string, number>();
  private readonly replies = new Map<string, number[]>();
  private cursor = 0;

  constructor(private readonly slack: FakeSlack) {}

  expect(ts: string, sentAt: number): void {
    this.sentAt.set(ts, sentAt);
  }

  /** Waits until every expected mention has a reply or `timeoutMs` passes. */
  async settle(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      this.scan();
      if (this.replies.size >= this.sentAt.size) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    this.scan();
  }

  /** Reply latencies in ms (first reply per mention), plus counts of missing and duplicated replies. */
  summary(): { latencies: number[]; missing: number; duplicated: number; lastReplyAt: number } {
    const latencies: number[] = [];
    let duplicated = 0;
    let lastReplyAt = 0;
    for (const [ts, sent] of this.sentAt) {
      const got = this.replies.get(ts) ?? [];
      if (got.length) latencies.push(got[0]! - sent);
      if (got.length > 1) duplicated += got.length - 1;
      lastReplyAt = Math.max(lastReplyAt, ...got);
    }
    return { latencies, missing: this.sentAt.size - latencies.length, duplicated, lastReplyAt };
  }

  private scan(): void {
    const calls = this.slack.calls;
    for (; this.cursor < calls.length; this.cursor++) {
      const call = calls[this.cursor]!;
      const thread = call.params.thread_ts as string | undefined;
      if (call.method !== 'chat.postMessage' || !thread || !this.sentAt.has(thread)) continue;
      this.replies.set(thread, [...(this.replies.get(thread) ?? []), call.at]);
    }
  }
}
