import { PrometheusMetrics } from '../../../src/metrics/prometheus-metrics';
import { parseExposition, seriesOf, valueOf } from '../../support/prometheus-text';

const scrape = async (metrics: PrometheusMetrics) => parseExposition(await metrics.exposition());

describe('the Prometheus metrics', () => {
  it('exports every event of the port under its own name, in text a Prometheus parser reads', async () => {
    const metrics = new PrometheusMetrics({ defaultMetrics: false });
    metrics.ackObserved({ platform: 'slack', kind: 'event', ms: 12 });
    metrics.turnEnded({ platform: 'discord', outcome: 'chat', ms: 900 });
    metrics.modelCallEnded({ purpose: 'turn', outcome: 'timeout', ms: 30_000 });
    metrics.modelCallEnded({ purpose: 'turn', outcome: 'ok', ms: 700, promptTokens: 120, completionTokens: 30 });
    metrics.tokensUsed({ platform: 'slack', workspace: 'T1', tokens: 600 });
    metrics.tokensUsed({ platform: 'slack', workspace: 'T1', tokens: 150 });
    metrics.requestEnded({ platform: 'slack', outcome: 'approved' });
    metrics.approvalWaited({ platform: 'slack', decision: 'approved', ms: 45_000 });
    metrics.runStarted({ platform: 'slack' });
    metrics.runStepStarted({ platform: 'slack' });
    metrics.runStepStarted({ platform: 'slack' });
    metrics.runStepEnded({ platform: 'slack' });
    metrics.runEnded({ platform: 'slack', outcome: 'succeeded', ms: 4_000 });
    metrics.outboundCallEnded({ platform: 'slack', kind: 'post', outcome: 'rate_limited', ms: 80, retryAfterMs: 2_000 });
    metrics.factsLearned({ platform: 'console', count: 3 });
    metrics.factRefused({ platform: 'console', reason: 'secret' });
    metrics.sampleQueueDepth(async () => ({ waiting: 7, active: 2 }));

    const families = await scrape(metrics);

    expect(valueOf(families, 'switchboard_ack_duration_seconds_count', { platform: 'slack', kind: 'event' })).toBe(1);
    expect(valueOf(families, 'switchboard_turn_duration_seconds_count', { platform: 'discord', outcome: 'chat' })).toBe(1);
    expect(valueOf(families, 'switchboard_model_call_duration_seconds_count', { purpose: 'turn', outcome: 'timeout' })).toBe(1);
    expect(valueOf(families, 'switchboard_model_tokens_total', { purpose: 'turn', type: 'prompt' })).toBe(120);
    expect(valueOf(families, 'switchboard_model_tokens_total', { purpose: 'turn', type: 'completion' })).toBe(30);
    expect(valueOf(families, 'switchboard_tokens_total', { platform: 'slack', workspace: 'T1' })).toBe(750);
    expect(valueOf(families, 'switchboard_requests_total', { platform: 'slack', outcome: 'approved' })).toBe(1);
    expect(valueOf(families, 'switchboard_approval_wait_seconds_count', { platform: 'slack', decision: 'approved' })).toBe(1);
    expect(valueOf(families, 'switchboard_runs_started_total', { platform: 'slack' })).toBe(1);
    expect(valueOf(families, 'switchboard_runs_in_progress', { platform: 'slack' })).toBe(1);
    expect(valueOf(families, 'switchboard_run_duration_seconds_count', { platform: 'slack', outcome: 'succeeded' })).toBe(1);
    expect(valueOf(families, 'switchboard_outbound_calls_total', { platform: 'slack', kind: 'post', outcome: 'rate_limited' })).toBe(1);
    expect(valueOf(families, 'switchboard_outbound_retry_after_seconds_count', { platform: 'slack' })).toBe(1);
    expect(valueOf(families, 'switchboard_context_facts_learned_total', { platform: 'console' })).toBe(3);
    expect(valueOf(families, 'switchboard_context_facts_refused_total', { platform: 'console', reason: 'secret' })).toBe(1);
    expect(valueOf(families, 'switchboard_job_queue_depth', { state: 'waiting' })).toBe(7);
    expect(valueOf(families, 'switchboard_job_queue_depth', { state: 'active' })).toBe(2);
  });

  it("exports Node's own metrics unless asked not to", async () => {
    const names = (samples: { name: string }[]) => [...new Set(samples.map((s) => s.name))];
    expect(names(await scrape(new PrometheusMetrics()))).toEqual(expect.arrayContaining(['process_cpu_seconds_total', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_p99_seconds']));
    expect(names(await scrape(new PrometheusMetrics({ defaultMetrics: false }))).filter((n) => n.startsWith('nodejs_'))).toEqual([]);
  });

  it('counts a thousand label values from outside their lists as one series, other', async () => {
    const metrics = new PrometheusMetrics({ defaultMetrics: false });
    for (let i = 0; i < 1000; i++) {
      // What a careless caller might pass: a channel id where an outcome belongs.
      metrics.turnEnded({ platform: `C${i}` as never, outcome: `C${i}` as never, ms: 5 });
      metrics.factRefused({ platform: 'slack', reason: `user U${i}` as never });
    }

    const families = await scrape(metrics);

    expect(seriesOf(families, 'switchboard_turn_duration_seconds_count')).toEqual(['switchboard_turn_duration_seconds_count{outcome="other",platform="other"}']);
    expect(valueOf(families, 'switchboard_turn_duration_seconds_count', { platform: 'other', outcome: 'other' })).toBe(1000);
    expect(valueOf(families, 'switchboard_context_facts_refused_total', { platform: 'slack', reason: 'other' })).toBe(1000);
  });

  it('leaves the queue depth out of a scrape when reading it fails, and still answers the rest', async () => {
    const failures: unknown[] = [];
    const metrics = new PrometheusMetrics({ defaultMetrics: false, onSampleError: (err) => failures.push(err) });
    metrics.sampleQueueDepth(async () => ({ waiting: 1, active: 0 }));
    expect(valueOf(await scrape(metrics), 'switchboard_job_queue_depth', { state: 'waiting' })).toBe(1);

    metrics.sampleQueueDepth(() => Promise.reject(new Error('connection refused')));
    metrics.requestEnded({ platform: 'slack', outcome: 'denied' });
    const families = await scrape(metrics);

    expect(valueOf(families, 'switchboard_job_queue_depth', { state: 'waiting' })).toBeUndefined();
    expect(valueOf(families, 'switchboard_requests_total', { platform: 'slack', outcome: 'denied' })).toBe(1);
    expect(failures).toEqual([new Error('connection refused')]);
  });

  it('gives up on a queue-depth read that does not answer within its timeout', async () => {
    const failures: unknown[] = [];
    const metrics = new PrometheusMetrics({ defaultMetrics: false, sampleTimeoutMs: 50, onSampleError: (err) => failures.push(err) });
    metrics.sampleQueueDepth(() => new Promise(() => undefined));

    const families = await scrape(metrics);

    expect(valueOf(families, 'switchboard_job_queue_depth', { state: 'waiting' })).toBeUndefined();
    expect(failures).toHaveLength(1);
  });
});
