import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Seconds. Acks must land within Slack's and Discord's 3 s: the buckets are finest below that. */
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];
/** Seconds, for work that waits on a model or a platform. */
const WORK_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** Seconds a request waits for a person; REQUEST_TTL defaults to 15 minutes. */
const DECISION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
/** Seconds a run takes; ACTION_TIMEOUT defaults to 5 minutes. */
const RUN_BUCKETS = [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800];
/** Seconds of one Slack or Discord API call, and of the waits a 429 asks for. */
const CALL_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * Every Switchboard metric, registered in `registry`. Names follow Prometheus' conventions
 * (a `switchboard_` prefix, base units, `_total` on counters); docs/operations.md explains
 * each one and docs/grafana-dashboard.json draws them. The queue depth is read at each
 * scrape through `collectQueueDepth`.
 */
export function createInstruments(registry: Registry, collectQueueDepth: (gauge: Gauge<'state'>) => Promise<void>) {
  const registers = [registry];
  return {
    ackSeconds: new Histogram({
      name: 'switchboard_ack_duration_seconds',
      help: 'Time from an inbound event, click or slash command arriving to its acknowledgement.',
      labelNames: ['platform', 'kind'] as const,
      buckets: ACK_BUCKETS,
      registers,
    }),
    turnSeconds: new Histogram({
      name: 'switchboard_turn_duration_seconds',
      help: 'Time from a message arriving to its turn ending (the answer, card or command reply sent).',
      labelNames: ['platform', 'outcome'] as const,
      buckets: WORK_BUCKETS,
      registers,
    }),
    modelCallSeconds: new Histogram({
      name: 'switchboard_model_call_duration_seconds',
      help: 'Time of one language-model call, by purpose and outcome (ok, or the error kind).',
      labelNames: ['purpose', 'outcome'] as const,
      buckets: WORK_BUCKETS,
      registers,
    }),
    modelTokens: new Counter({
      name: 'switchboard_model_tokens_total',
      help: 'Tokens the model server reported using, by purpose and type (prompt, completion).',
      labelNames: ['purpose', 'type'] as const,
      registers,
    }),
    workspaceTokens: new Counter({
      name: 'switchboard_tokens_total',
      help: 'Tokens the model server reported using (prompt and completion together), by platform and workspace.',
      labelNames: ['platform', 'workspace'] as const,
      registers,
    }),
    requests: new Counter({
      name: 'switchboard_requests_total',
      help: 'Approval requests that reached a final state, by outcome.',
      labelNames: ['platform', 'outcome'] as const,
      registers,
    }),
    approvalWaitSeconds: new Histogram({
      name: 'switchboard_approval_wait_seconds',
      help: 'Time a request waited between being created and its decision or expiry; auto for calls run by policy.',
      labelNames: ['platform', 'decision'] as const,
      buckets: DECISION_BUCKETS,
      registers,
    }),
    runsStarted: new Counter({
      name: 'switchboard_runs_started_total',
      help: 'Runs started: turns (or !run commands) whose tool calls became a run.',
      labelNames: ['platform'] as const,
      registers,
    }),
    runsInProgress: new Gauge({
      name: 'switchboard_runs_in_progress',
      help: 'Runs whose step a worker of this process is working on now (a run waiting for a decision is on no worker).',
      labelNames: ['platform'] as const,
      registers,
    }),
    runSeconds: new Histogram({
      name: 'switchboard_run_duration_seconds',
      help: 'Time from a run starting to its end, waits for decisions included, by outcome.',
      labelNames: ['platform', 'outcome'] as const,
      buckets: RUN_BUCKETS,
      registers,
    }),
    outboundCalls: new Counter({
      name: 'switchboard_outbound_calls_total',
      help: 'Attempts of posts, edits and ephemeral notes sent to a platform, by outcome (rate_limited counts 429 answers).',
      labelNames: ['platform', 'kind', 'outcome'] as const,
      registers,
    }),
    outboundSeconds: new Histogram({
      name: 'switchboard_outbound_call_duration_seconds',
      help: 'Time of one attempt of a platform call, whatever its outcome.',
      labelNames: ['platform', 'kind'] as const,
      buckets: CALL_BUCKETS,
      registers,
    }),
    retryAfterSeconds: new Histogram({
      name: 'switchboard_outbound_retry_after_seconds',
      help: 'How long a platform asked this process to wait in its 429 answers.',
      labelNames: ['platform'] as const,
      buckets: CALL_BUCKETS,
      registers,
    }),
    factsLearned: new Counter({
      name: 'switchboard_context_facts_learned_total',
      help: 'Facts about a conversation learned and stored on a turn.',
      labelNames: ['platform'] as const,
      registers,
    }),
    factsRefused: new Counter({
      name: 'switchboard_context_facts_refused_total',
      help: 'Facts the model proposed that were not stored, by reason.',
      labelNames: ['platform', 'reason'] as const,
      registers,
    }),
    scheduleFirings: new Counter({
      name: 'switchboard_schedule_firings_total',
      help: "Schedules' due times, by what became of them: fired, skipped (missed beyond the catch-up), failed, paused.",
      labelNames: ['platform', 'outcome'] as const,
      registers,
    }),
    queueDepth: new Gauge({
      name: 'switchboard_job_queue_depth',
      help: 'Run jobs in the shared queue (all processes), waiting for a worker or being worked on; read at each scrape.',
      labelNames: ['state'] as const,
      registers,
      async collect() {
        await collectQueueDepth(this);
      },
    }),
  };
}

export type Instruments = ReturnType<typeof createInstruments>;
