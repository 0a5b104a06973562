import type { FakeSlack, FakeSlackCall } from '../test/fakes/fake-slack';

/** The first call the fake Slack received, from index `from` on, that `match`es; polls every 5 ms. */
export async function waitForCall(slack: FakeSlack, match: (c: FakeSlackCall) => boolean, timeoutMs: number, from = 0): Promise<FakeSlackCall> {
  const deadline = Date.now() + timeoutMs;
  let cursor = from;
  while (Date.now() < deadline) {
    for (; cursor < slack.calls.length; cursor++) if (match(slack.calls[cursor]!)) return slack.calls[cursor]!;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('timed out waiting for a Slack call');
}
