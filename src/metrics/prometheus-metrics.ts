import { collectDefaultMetrics, Registry, type Gauge } from 'prom-client';
import { PLATFORMS, type Platform } from '../core/model/conversation';
import {
  ACK_KINDS,
  APPROVAL_DECISIONS,
  FACT_REFUSALS,
  MODEL_OUTCOMES,
  MODEL_PURPOSES,
  OUTBOUND_KINDS,
  OUTBOUND_OUTCOMES,
  REQUEST_OUTCOMES,
  RUN_OUTCOMES,
  SCHEDULE_OUTCOMES,
  TURN_OUTCOMES,
  type Metrics,
  type QueueDepth,
} from '../core/ports/metrics';
import { createInstruments, type Instruments } from './instruments';

/** Options of {@link PrometheusMetrics}. */
export interface PrometheusMetricsOptions {
  /** Also export Node's own metrics (CPU, memory, event-loop lag, GC, handles). Default true. */
  readonly defaultMetrics?: boolean;
  /** The longest a queue-depth read may hold up a scrape; default 2000 ms. */
  readonly sampleTimeoutMs?: number;
  /** Told when a queue-depth read fails (the gauge is then left out of that scrape). */
  readonly onSampleError?: (err: unknown) => void;
}

/**
 * The metrics port over prom-client, in a registry of its own (so that several apps in one
 * process, as in tests, never share or collide). Every label value is checked against its
 * fixed list and anything else is counted as `other`: whatever a caller passes, the number
 * of series stays bounded.
 */
export class PrometheusMetrics implements Metrics {
  private readonly registry = new Registry();
  private readonly m: Instruments;
  private sampler: (() => Promise<QueueDepth>) | null = null;

  constructor(private readonly options: PrometheusMetricsOptions = {}) {
    this.m = createInstruments(this.registry, (gauge) => this.collectQueueDepth(gauge));
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** The Content-Type of {@link exposition}'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric in Prometheus' text exposition format, as `GET /metrics` answers. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  ackObserved({ platform, kind, ms }: Parameters<Metrics['ackObserved']>[0]): void {
    this.m.ackSeconds.observe({ platform: platformLabel(platform), kind: oneOf(kind, ACK_KINDS) }, seconds(ms));
  }

  turnEnded({ platform, outcome, ms }: Parameters<Metrics['turnEnded']>[0]): void {
    this.m.turnSeconds.observe({ platform: platformLabel(platform), outcome: oneOf(outcome, TURN_OUTCOMES) }, seconds(ms));
  }

  modelCallEnded({ purpose, outcome, ms, promptTokens, completionTokens }: Parameters<Metrics['modelCallEnded']>[0]): void {
    const why = oneOf(purpose, MODEL_PURPOSES);
    this.m.modelCallSeconds.observe({ purpose: why, outcome: oneOf(outcome, MODEL_OUTCOMES) }, seconds(ms));
    if (isCount(promptTokens)) this.m.modelTokens.inc({ purpose: why, type: 'prompt' }, promptTokens);
    if (isCount(completionTokens)) this.m.modelTokens.inc({ purpose: why, type: 'completion' }, completionTokens);
  }

  tokensUsed({ platform, workspace, tokens }: Parameters<Metrics['tokensUsed']>[0]): void {
    // A workspace id is the platform's (Slack team, Discord guild); cut to a sane label length all the same.
    if (isCount(tokens)) this.m.workspaceTokens.inc({ platform: platformLabel(platform), workspace: workspace.slice(0, 64) }, tokens);
  }

  requestEnded({ platform, outcome }: Parameters<Metrics['requestEnded']>[0]): void {
    this.m.requests.inc({ platform: platformLabel(platform), outcome: oneOf(outcome, REQUEST_OUTCOMES) });
  }

  approvalWaited({ platform, decision, ms }: Parameters<Metrics['approvalWaited']>[0]): void {
    this.m.approvalWaitSeconds.observe({ platform: platformLabel(platform), decision: oneOf(decision, APPROVAL_DECISIONS) }, seconds(ms));
  }

  runStarted({ platform }: Parameters<Metrics['runStarted']>[0]): void {
    this.m.runsStarted.inc({ platform: platformLabel(platform) });
  }

  runStepStarted({ platform }: Parameters<Metrics['runStepStarted']>[0]): void {
    this.m.runsInProgress.inc({ platform: platformLabel(platform) });
  }

  runStepEnded({ platform }: Parameters<Metrics['runStepEnded']>[0]): void {
    this.m.runsInProgress.dec({ platform: platformLabel(platform) });
  }

  runEnded({ platform, outcome, ms }: Parameters<Metrics['runEnded']>[0]): void {
    this.m.runSeconds.observe({ platform: platformLabel(platform), outcome: oneOf(outcome, RUN_OUTCOMES) }, seconds(ms));
  }

  outboundCallEnded({ platform, kind, outcome, ms, retryAfterMs }: Parameters<Metrics['outboundCallEnded']>[0]): void {
    const where = platformLabel(platform);
    const what = oneOf(kind, OUTBOUND_KINDS);
    this.m.outboundCalls.inc({ platform: where, kind: what, outcome: oneOf(outcome, OUTBOUND_OUTCOMES) });
    this.m.outboundSeconds.observe({ platform: where, kind: what }, seconds(ms));
    if (isCount(retryAfterMs)) this.m.retryAfterSeconds.observe({ platform: where }, seconds(retryAfterMs));
  }

  factsLearned({ platform, count }: Parameters<Metrics['factsLearned']>[0]): void {
    if (isCount(count)) this.m.factsLearned.inc({ platform: platformLabel(platform) }, count);
  }

  factRefused({ platform, reason }: Parameters<Metrics['factRefused']>[0]): void {
    this.m.factsRefused.inc({ platform: platformLabel(platform), reason: oneOf(reason, FACT_REFUSALS) });
  }

  scheduleFiring({ platform, outcome }: Parameters<Metrics['scheduleFiring']>[0]): void {
    this.m.scheduleFirings.inc({ platform: platformLabel(platform), outcome: oneOf(outcome, SCHEDULE_OUTCOMES) });
  }

  sampleQueueDepth(sample: () => Promise<QueueDepth>): void {
    this.sampler = sample;
  }

  /** A failed or slow read leaves the gauge out of this scrape: no number is better than a stale one. */
  private async collectQueueDepth(gauge: Gauge<'state'>): Promise<void> {
    gauge.reset();
    if (!this.sampler) return;
    try {
      const depth = await withTimeout(this.sampler(), this.options.sampleTimeoutMs ?? 2000);
      gauge.set({ state: 'waiting' }, depth.waiting);
      gauge.set({ state: 'active' }, depth.active);
    } catch (err) {
      this.options.onSampleError?.(err);
    }
  }
}

/** `value` when it is one of `allowed`, otherwise `other`: a label never takes a value from outside its list. */
function oneOf<T extends string>(value: string, allowed: readonly T[]): T | 'other' {
  return (allowed as readonly string[]).includes(value) ? (value as T) : 'other';
}

const platformLabel = (platform: Platform): Platform | 'other' => oneOf(platform, PLATFORMS);

/** prom-client throws on a value that is not a number; a broken duration counts as 0 instead. */
const seconds = (ms: number): number => (Number.isFinite(ms) ? Math.max(0, ms) / 1000 : 0);

const isCount = (n: number | undefined): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
