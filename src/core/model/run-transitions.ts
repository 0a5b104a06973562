/**
 * How a run, its calls and its requests move between statuses: one table each, by event.
 * The stores build their conditional UPDATEs from these lists (`where status in (...)`), so
 * a move that is not here cannot happen, and a renamed status fails the type check.
 */
import type { RequestStatus } from './agent-request';
import type { RunStatus } from './agent-run';
import type { CallStatus } from './tool-call';

/**
 * One event's move: each status in `from` may become any status in `to`. An empty `to` means
 * the status stays (the event changes something else: a lease, arguments, a plan hash).
 */
export interface Move<S extends string> {
  readonly from: readonly S[];
  readonly to: readonly S[];
}

/** The events of a run's life. */
export type RunEvent = 'create' | 'claim' | 'release' | 'decide' | 'end' | 'tell' | 'cancel';

/** A run's moves. A cancelled run is claimed once more and ended, to tell it; it stays cancelled. */
export const RUN_MOVES = {
  /** Its first model turn (`from` empty: the status a run starts in): running, or waiting when every call that can run waits for a decision. */
  create: { from: [], to: ['running', 'waiting'] },
  /** A worker takes its next step (a lease); a cancelled run's step is to tell it. */
  claim: { from: ['running', 'cancelled'], to: [] },
  /** The worker gives the step back: another is due, or a decision is awaited. */
  release: { from: ['running'], to: ['running', 'waiting'] },
  /** A decision on its gate lets it go on. */
  decide: { from: ['waiting'], to: ['running'] },
  /** Its result is stored with its outcome. */
  end: { from: ['running', 'waiting'], to: ['succeeded', 'failed', 'expired', 'denied', 'cancelled'] },
  /** A cancelled run's result is stored: a Cancel that came first beats whatever its worker found. */
  tell: { from: ['cancelled'], to: [] },
  /** A person stops it; the worker that holds it finds out at its next beat. */
  cancel: { from: ['running', 'waiting'], to: ['cancelled'] },
} as const satisfies Record<RunEvent, Move<RunStatus>>;

/** The events of a tool call's life. */
export type CallEvent = 'create' | 'decide' | 'expire' | 'edit' | 'start' | 'end' | 'cancel' | 'skip' | 'interrupt';

/** A call's moves: pending (gated) → ready → running → an end, or straight to an end. */
export const CALL_MOVES = {
  /** Policy sorts it: run at once, held for a decision, or refused before anything. */
  create: { from: [], to: ['ready', 'pending', 'refused'] },
  /** Approved (ready) or denied. */
  decide: { from: ['pending'], to: ['ready', 'denied'] },
  /** Its request waited past its expiry. */
  expire: { from: ['pending'], to: ['expired'] },
  /** Its arguments change while it waits; a decision is still needed. */
  edit: { from: ['pending'], to: [] },
  /** Its worker starts it; `running` again after a takeover. */
  start: { from: ['ready', 'running'], to: ['running'] },
  /** Its worker stores how it ended. */
  end: { from: ['ready', 'running'], to: ['succeeded', 'failed', 'interrupted', 'cancelled', 'skipped'] },
  /** The run was cancelled before it started. */
  cancel: { from: ['pending', 'ready'], to: ['cancelled'] },
  /** The run ended before it started. */
  skip: { from: ['pending', 'ready'], to: ['skipped'] },
  /** The run ended while it ran. */
  interrupt: { from: ['running'], to: ['interrupted'] },
} as const satisfies Record<CallEvent, Move<CallStatus>>;

/** The events of an approval request's life. */
export type RequestEvent = 'create' | 'decide' | 'edit' | 'expire' | 'cancel';

/** A request's moves: it waits (pending) until decided, expired, or cancelled with its run. */
export const REQUEST_MOVES = {
  create: { from: [], to: ['pending'] },
  decide: { from: ['pending'], to: ['approved', 'denied'] },
  /** A new plan hash; still pending. */
  edit: { from: ['pending'], to: [] },
  expire: { from: ['pending'], to: ['expired'] },
  /** Its run was cancelled or ended while it waited. */
  cancel: { from: ['pending'], to: ['cancelled'] },
} as const satisfies Record<RequestEvent, Move<RequestStatus>>;
