import { PlatformError, PlatformLimitError } from '../../../../src/core/errors';
import { text } from '../../../../src/core/model/card';
import type { ThreadRef } from '../../../../src/core/model/conversation';
import { OutboundPlatform } from '../../../../src/core/outbound/outbound-platform';
import type { OutboundSettings } from '../../../../src/core/outbound/retry-advice';
import { createLogger } from '../../../../src/logging/logger';
import { RecordingPlatform } from '../../../support/recording-platform';

const here: ThreadRef = { platform: 'slack', workspace: 'T1', channel: 'C1', thread: '1.0' };
const elsewhere: ThreadRef = { ...here, channel: 'C2' };
const fast: OutboundSettings = { perSecond: 1000, burst: 1000, editIntervalMs: 0, maxRetries: 2, retryBaseMs: 10, maxRateLimitWaits: 5 };

function outbound(settings: Partial<OutboundSettings>) {
  const inner = new RecordingPlatform('slack');
  return { inner, platform: new OutboundPlatform(inner, { ...fast, ...settings }, createLogger({ level: 'silent' }), { now: () => new Date() }) };
}

const texts = (inner: RecordingPlatform) => inner.calls.map((c) => c.message.text);

describe('the outbound queue of a channel', () => {
  it('sends cards and replies before queued progress edits, and drops a progress state a newer one replaced', async () => {
    // One call per 100 ms: while the first post goes out, the rest queue up.
    const { inner, platform } = outbound({ perSecond: 10, burst: 1 });
    const progress = { where: here, messageId: 'p1' };
    const sent = [
      platform.post(here, text('first')),
      platform.update(progress, text('progress 1'), { priority: 'low' }),
      platform.update(progress, text('progress 2'), { priority: 'low' }),
      platform.post(here, text('approval card')),
      platform.update(progress, text('progress 3'), { priority: 'low' }),
    ];
    await Promise.all(sent);
    expect(texts(inner)).toEqual(['first', 'approval card', 'progress 3']);
  });

  it('edits one message at most once per interval, always ending on its latest state', async () => {
    const { inner, platform } = outbound({ editIntervalMs: 150 });
    const card = { where: here, messageId: 'c1' };
    const sent: Promise<void>[] = [];
    for (let i = 1; i <= 6; i++) {
      sent.push(platform.update(card, text(`state ${i}`), { priority: 'low' }));
      await new Promise((r) => setTimeout(r, 40));
    }
    sent.push(platform.update(card, text('final'), { priority: 'high' }));
    await Promise.all(sent);
    const edits = inner.updates();
    expect(edits.at(-1)!.message.text).toBe('final');
    expect(edits.length).toBeLessThanOrEqual(4);
    for (let i = 1; i < edits.length; i++) expect(edits[i]!.at - edits[i - 1]!.at).toBeGreaterThanOrEqual(145);
  });

  it("pauses the whole channel for a 429's retry-after while other channels go on", async () => {
    const { inner, platform } = outbound({});
    inner.failNext('post', new PlatformError('rate_limited', 'slow down', { retryAfterMs: 300 }));
    const start = Date.now();
    const limited = platform.post(here, text('limited'));
    await new Promise((r) => setTimeout(r, 20));
    await Promise.all([limited, platform.post(here, text('queued behind it')), platform.post(elsewhere, text('other channel'))]);
    const at = Object.fromEntries(inner.calls.map((c) => [c.message.text, c.at - start]));
    expect(inner.calls.map((c) => c.message.text)).toEqual(['other channel', 'limited', 'queued behind it']);
    expect(at.limited).toBeGreaterThanOrEqual(295);
    expect(at['queued behind it']).toBeGreaterThanOrEqual(295);
  });

  it('retries a failing call a bounded number of times, then rejects with the platform error', async () => {
    const { inner, platform } = outbound({ maxRetries: 2 });
    const failure = new PlatformError('slack_error', 'ok:false (internal_error)');
    for (let i = 0; i < 3; i++) inner.failNext('post', failure);
    await expect(platform.post(here, text('never'))).rejects.toBe(failure);
    expect(inner.failed).toHaveLength(3);
    expect(inner.posts()).toEqual([]);
  });

  it("fails a message that breaks a platform's limit at once, whichever platform's renderer found it", async () => {
    const { inner, platform } = outbound({});
    inner.failNext('post', new PlatformLimitError('slack', 'button_value_length', 'a button value of 2001 characters exceeds 2000'));
    inner.failNext('post', new PlatformLimitError('discord', 'custom_id', 'a custom_id of 101 characters'));
    await expect(platform.post(here, text('a'))).rejects.toMatchObject({ code: 'platform_limit', context: { platform: 'slack' } });
    await expect(platform.post(here, text('b'))).rejects.toMatchObject({ code: 'platform_limit', context: { platform: 'discord' } });
    expect(inner.failed).toHaveLength(2);
  });

  it('does not retry what cannot succeed: a retryable:false platform error or a bug', async () => {
    const { inner, platform } = outbound({});
    inner.failNext('post', new PlatformError('channel_not_found', 'gone', { retryable: false }));
    inner.failNext('post', new TypeError('adapter bug'));
    await expect(platform.post(here, text('a'))).rejects.toMatchObject({ code: 'channel_not_found' });
    await expect(platform.post(here, text('b'))).rejects.toBeInstanceOf(TypeError);
    expect(inner.failed).toHaveLength(2);
    await platform.post(here, text('c'));
    expect(texts(inner)).toEqual(['c']);
  });
});
