import type { Person, ThreadRef } from './conversation';

/**
 * Where a run stands. `running`: a step is due or under way; `waiting`: a gate waits for a
 * decision and nothing else can happen; the rest are how it ended.
 */
export const RUN_STATUSES = ['running', 'waiting', 'succeeded', 'failed', 'cancelled', 'expired', 'denied'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** How a run ends; the statuses after `waiting`. */
export type RunOutcome = Exclude<RunStatus, 'running' | 'waiting'>;

/** `agent`: the model asked for tools and reads their results; `manual`: `!run <tool> <args>`, one step, no model. */
export const RUN_KINDS = ['agent', 'manual'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

/** Tokens a run has spent, summed over its model turns. */
export interface TokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly totalTokens: number;
}

export const NO_USAGE: TokenUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };

/**
 * One agent run: the model's turns and the tool calls they asked for, from the message that
 * started it to the answer that ends it. Each step is claimed by one worker at a time.
 */
export interface AgentRun {
  readonly id: string;
  readonly where: ThreadRef;
  readonly kind: RunKind;
  readonly status: RunStatus;
  readonly requestedBy: Person;
  /** The stored message that started the run; null for a slash command. */
  readonly triggerMessageId: string | null;
  /** Model turns taken so far (the latest turn's seq). */
  readonly turns: number;
  /** Tool calls asked for so far. */
  readonly toolCalls: number;
  readonly usage: TokenUsage;
  /** Past this, the model gets one last turn without tools. */
  readonly deadlineAt: Date;
  /** How many workers have held the run's steps; a takeover after a crash bumps it. */
  readonly attempt: number;
  readonly createdAt: Date;
  readonly endedAt: Date | null;
  /** Why it ended as it did, when not plainly: `interrupted`, `budget_turns`, `card_too_large`... */
  readonly errorCode: string | null;
  readonly cancelledBy: Person | null;
  /** The trace id of the turn that started it; null for runs older than trace ids. */
  readonly traceId: string | null;
}

/** Which limit ended a run's tool use early; the last answer names it. */
export type BudgetLimit = 'turns' | 'tool_calls' | 'time' | 'repeated_call';
