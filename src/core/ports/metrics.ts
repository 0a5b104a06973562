import type { Platform } from '../model/conversation';

/*
 * Every label a metric may carry comes from one of the fixed lists below: a platform, a
 * kind, an outcome. Never a user, channel, request id or message text: each distinct value
 * is a time series of its own, kept in memory by this process and by Prometheus.
 */

/** What an ack acknowledged: an Events API event or gateway message, a button click, a slash command. */
export const ACK_KINDS = ['event', 'action', 'command'] as const;
export type AckKind = (typeof ACK_KINDS)[number];

/** How a message turn ended; `stopped`: a person stopped its answer while it was written. */
export const TURN_OUTCOMES = ['chat', 'request', 'command', 'ignored', 'failed', 'stopped'] as const;
export type TurnOutcome = (typeof TURN_OUTCOMES)[number];

/**
 * Why the model was called: `turn`, a person's message answered (it may remember facts or ask
 * for tools); `step`, an agent run's next model turn after its calls.
 */
export const MODEL_PURPOSES = ['turn', 'step'] as const;
export type ModelPurpose = (typeof MODEL_PURPOSES)[number];

/** How a model call ended: `ok`, or the code of the ModelError it threw (see ports/language-model.ts). */
export const MODEL_OUTCOMES = ['ok', 'timeout', 'rate_limited', 'unavailable', 'refused', 'malformed_output', 'other'] as const;
export type ModelOutcome = (typeof MODEL_OUTCOMES)[number];

/** A request's (an approval gate's) final state; how its run then went is the run's outcome. */
export const REQUEST_OUTCOMES = ['approved', 'denied', 'expired', 'cancelled'] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

/** How a wait for a decision ended; `auto` is an approval by policy (AUTO_RUN_READONLY). */
export const APPROVAL_DECISIONS = ['approved', 'denied', 'expired', 'auto'] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

/**
 * How a run ended: its final status (see model/agent-run.ts), except `interrupted`, a run
 * that failed because its workers died and it could not be run again.
 */
export const RUN_OUTCOMES = ['succeeded', 'failed', 'cancelled', 'expired', 'denied', 'interrupted'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

/**
 * What an outbound call did to the platform: `stream` shows an answer as it is written (or a
 * run's task cards), `working` says the bot is at it, `session` shows where a thread's work stands.
 */
export const OUTBOUND_KINDS = ['post', 'update', 'ephemeral', 'stream', 'working', 'session'] as const;
export type OutboundKind = (typeof OUTBOUND_KINDS)[number];

/**
 * How one attempt of an outbound call ended: `ok`; `rate_limited` (a 429: the channel
 * waits, then tries again); `retrying` (another failure, tried again after a backoff);
 * `superseded` (failed, but a newer edit of the same message replaces it); `failed` (given
 * up: the caller gets the error).
 */
export const OUTBOUND_OUTCOMES = ['ok', 'rate_limited', 'retrying', 'superseded', 'failed'] as const;
export type OutboundOutcome = (typeof OUTBOUND_OUTCOMES)[number];

/** Why a learned fact was not stored (see core/context/learned-facts.ts). */
export const FACT_REFUSALS = ['low_confidence', 'empty', 'secret', 'set_manually'] as const;
export type FactRefusal = (typeof FACT_REFUSALS)[number];

/**
 * What became of a schedule's due time: `fired` (this process claimed it and started its turn),
 * `skipped` (missed by longer than SCHEDULE_CATCH_UP), `failed` (its thread or its model turn
 * failed), `paused` (failures in a row, or a channel gone for the bot, paused the schedule).
 */
export const SCHEDULE_OUTCOMES = ['fired', 'skipped', 'failed', 'paused'] as const;
export type ScheduleOutcome = (typeof SCHEDULE_OUTCOMES)[number];

/** The run queue's jobs at one moment: waiting for a worker, and being worked on. */
export interface QueueDepth {
  readonly waiting: number;
  readonly active: number;
}

/**
 * What the bot counts and times for its operators (issue #17): one method per event, each
 * taking only labels from the bounded lists above. Durations are milliseconds on the
 * caller's clock. Implementations must be cheap and must never throw: a metric is never a
 * reason for a turn to fail. src/metrics implements it over prom-client; {@link NO_METRICS}
 * ignores everything.
 */
export interface Metrics {
  /** An inbound event, click or slash command was acknowledged `ms` after it arrived. */
  ackObserved(event: { platform: Platform; kind: AckKind; ms: number }): void;
  /** A message turn ended, `ms` after the message arrived. */
  turnEnded(event: { platform: Platform; outcome: TurnOutcome; ms: number }): void;
  /** One model call ended, with the tokens it used when the server reported them. */
  modelCallEnded(event: { purpose: ModelPurpose; outcome: ModelOutcome; ms: number; promptTokens?: number; completionTokens?: number }): void;
  /** A model call reported using `tokens` in all, for a turn in `workspace`. */
  tokensUsed(event: { platform: Platform; workspace: string; tokens: number }): void;
  /** A request reached its final state. */
  requestEnded(event: { platform: Platform; outcome: RequestOutcome }): void;
  /** A request waited `ms` between being created and its decision or expiry; `auto` (0 ms) for a model turn's calls run by policy. */
  approvalWaited(event: { platform: Platform; decision: ApprovalDecision; ms: number }): void;
  /** A turn's tool calls became a run. */
  runStarted(event: { platform: Platform }): void;
  /** A worker of this process took one of a run's steps. Pair with {@link runStepEnded}: a run's steps may go to any process. */
  runStepStarted(event: { platform: Platform }): void;
  /** This process's worker let go of the step (done, waiting, taken over or failed). */
  runStepEnded(event: { platform: Platform }): void;
  /** A run ended, `ms` after it started. */
  runEnded(event: { platform: Platform; outcome: RunOutcome; ms: number }): void;
  /** One attempt of a post, edit or ephemeral note ended; `retryAfterMs` is a 429's requested wait. */
  outboundCallEnded(event: { platform: Platform; kind: OutboundKind; outcome: OutboundOutcome; ms: number; retryAfterMs?: number }): void;
  /** Context learning stored `count` facts on a turn. */
  factsLearned(event: { platform: Platform; count: number }): void;
  /** Context learning refused one proposed fact. */
  factRefused(event: { platform: Platform; reason: FactRefusal }): void;
  /** A schedule fired, was skipped, failed or paused itself. */
  scheduleFiring(event: { platform: Platform; outcome: ScheduleOutcome }): void;
  /** Reads the run queue's depth whenever metrics are collected (a scrape); replaces any earlier sampler. */
  sampleQueueDepth(sample: () => Promise<QueueDepth>): void;
}

const ignore = (): void => undefined;

/** Metrics that record nothing: the default when none are given (tests, tools). */
export const NO_METRICS: Metrics = {
  ackObserved: ignore,
  turnEnded: ignore,
  modelCallEnded: ignore,
  tokensUsed: ignore,
  requestEnded: ignore,
  approvalWaited: ignore,
  runStarted: ignore,
  runStepStarted: ignore,
  runStepEnded: ignore,
  runEnded: ignore,
  outboundCallEnded: ignore,
  factsLearned: ignore,
  factRefused: ignore,
  scheduleFiring: ignore,
  sampleQueueDepth: ignore,
};
