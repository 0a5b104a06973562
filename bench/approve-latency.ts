import { APPROVE_ACTION } from '../src/core/model/action-ids';
import { appMentionEvent, sendEvent, sendInteraction, type FakeSlack, type FakeSlackCall } from '../test/fakes/fake-slack';
import { BENCH_SECRET } from './load';

/**
 * Click → first visible progress, for `count` requests one after another: a mention
 * asks to `!run countdown`, the card's Approve button is clicked, and the time to the
 * first "Running" message or edit the fake Slack receives is recorded.
 */
export async function approveToProgress(slack: FakeSlack, url: string, channelPrefix: string, tsBase: number, count: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const ts = `${tsBase + i}.000200`;
    const channel = `${channelPrefix}-${i}`;
    const text = '<@U_BOT> !run countdown {"steps":1,"delayMs":0}';
    await sendEvent(url, BENCH_SECRET, appMentionEvent({ channel, user: 'U_BENCH', text, ts }));
    const card = await waitForCall(slack, (c) => c.method === 'chat.postMessage' && c.params.thread_ts === ts && Boolean(c.params.blocks), 10_000);
    const requestId = approveValue(card);
    const clickedAt = Date.now();
    const payload = slack.blockActionPayload({ channel, user: 'U_BENCH', actionId: APPROVE_ACTION, value: requestId, messageTs: `${tsBase + i}.000300`, threadTs: ts });
    await sendInteraction(url, BENCH_SECRET, payload);
    const progress = await waitForCall(
      slack,
      (c) => c.at >= clickedAt && c.params.thread_ts === ts && String(c.params.text ?? '').startsWith('Running'),
      10_000,
    );
    latencies.push(progress.at - clickedAt);
  }
  return latencies;
}

function approveValue(card: FakeSlackCall): string {
  for (const block of card.params.blocks as { type: string; elements?: { action_id?: string; value?: string }[] }[]) {
    const button = block.elements?.find((e) => e.action_id === APPROVE_ACTION);
    if (button?.value) return button.value;
  }
  throw new Error('the card has no Approve button');
}

async function waitForCall(slack: FakeSlack, match: (c: FakeSlackCall) => boolean, timeoutMs: number): Promise<FakeSlackCall> {
  const deadline = Date.now() + timeoutMs;
  let cursor = 0;
  while (Date.now() < deadline) {
    for (; cursor < slack.calls.length; cursor++) if (match(slack.calls[cursor]!)) return slack.calls[cursor]!;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('timed out waiting for a Slack call');
}
