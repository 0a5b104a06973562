/**
 * Metrics stay bounded however many channels the bot speaks in: the outbound queue over the
 * real Slack adapter posts into a thousand channels of the fake Slack, and the series that
 * /metrics would show are the same as after ten.
 */
import { SlackAdapter } from '../../../src/adapters/slack/slack-adapter';
import { text } from '../../../src/core/model/card';
import type { ThreadRef } from '../../../src/core/model/conversation';
import { OutboundPlatform } from '../../../src/core/outbound/outbound-platform';
import { createLogger } from '../../../src/logging/logger';
import { PrometheusMetrics } from '../../../src/metrics/prometheus-metrics';
import { startFakeSlack, type FakeSlack } from '../../fakes/fake-slack';
import { parseExposition, seriesOf, valueOf } from '../../support/prometheus-text';

let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack();
});
afterAll(() => slack.close());

const log = createLogger({ level: 'silent' });
const clock = { now: () => new Date() };

test('a thousand distinct channels add no series: outbound calls are counted by platform, kind and outcome only', async () => {
  const metrics = new PrometheusMetrics({ defaultMetrics: false });
  const adapter = new SlackAdapter({ botToken: 'xoxb-series', signingSecret: 's', apiUrl: slack.apiUrl, http: { port: 0, host: '127.0.0.1' }, retryConfig: { retries: 0 }, log });
  const outbound = new OutboundPlatform(adapter, { retryBaseMs: 1 }, log, clock, metrics);
  const where = (channel: string): ThreadRef => ({ platform: 'slack', workspace: 'T1', channel, thread: '1700000000.000100' });
  const postInto = async (channels: string[]) => {
    // One transient failure (tried again) and one final one (given up) among the posts.
    slack.failNext('chat.postMessage', { error: 'internal_error' });
    slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    const results: PromiseSettledResult<unknown>[] = [];
    // A hundred channels at a time, as a busy bot would meet them, not a thousand requests in one instant.
    for (let i = 0; i < channels.length; i += 100) {
      results.push(...(await Promise.allSettled(channels.slice(i, i + 100).map((channel) => outbound.post(where(channel), text(`hello ${channel}`))))));
    }
    return results;
  };
  const channels = (from: number, count: number) => Array.from({ length: count }, (_, i) => `CSERIES${from + i}`);
  const scrape = async () => parseExposition(await metrics.exposition());

  const few = await postInto(channels(0, 10));
  const afterFew = await scrape();
  const many = await postInto(channels(10, 1000));
  const afterMany = await scrape();

  expect([...few, ...many].filter((p) => p.status === 'rejected')).toHaveLength(2);
  expect(new Set(slack.callsOf('chat.postMessage').map((c) => c.params.channel)).size).toBe(1010);
  expect(seriesOf(afterMany, 'switchboard_')).toEqual(seriesOf(afterFew, 'switchboard_'));
  expect(seriesOf(afterMany, 'switchboard_outbound_calls_total')).toEqual([
    'switchboard_outbound_calls_total{kind="post",outcome="failed",platform="slack"}',
    'switchboard_outbound_calls_total{kind="post",outcome="ok",platform="slack"}',
    'switchboard_outbound_calls_total{kind="post",outcome="retrying",platform="slack"}',
  ]);
  expect(valueOf(afterMany, 'switchboard_outbound_calls_total', { platform: 'slack', kind: 'post', outcome: 'ok' })).toBe(1008);
  // Every attempt is timed, whatever its outcome: at least the 1,008 posts, the one tried again and the one given up.
  expect(valueOf(afterMany, 'switchboard_outbound_call_duration_seconds_count', { platform: 'slack', kind: 'post' })).toBeGreaterThanOrEqual(1010);
});
