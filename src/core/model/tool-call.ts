/**
 * One call of a tool the model asked for, from its model turn to its result. Its status
 * moves one way: pending (waits for a decision) → ready (auto-run or approved) → running →
 * an end; or straight to an end when refused, denied, expired or cancelled.
 */
export const CALL_STATUSES = [
  'pending',
  'ready',
  'running',
  'succeeded',
  'failed',
  'refused',
  'denied',
  'expired',
  'cancelled',
  'interrupted',
  'skipped',
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/** The statuses a call ends in: its result is final and the model may read it. */
export const CALL_ENDS: ReadonlySet<CallStatus> = new Set(['succeeded', 'failed', 'refused', 'denied', 'expired', 'cancelled', 'interrupted', 'skipped']);

/** How policy treated a call: run at once, held for a decision, or refused before anything (unknown tool, bad arguments). */
export const CALL_GATES = ['auto', 'gated', 'refused'] as const;
export type CallGate = (typeof CALL_GATES)[number];

export interface ToolCallRecord {
  readonly id: string;
  readonly runId: string;
  /** The model turn that asked for it. */
  readonly turnSeq: number;
  /** Its place among that turn's calls. */
  readonly position: number;
  /** The model's id for the call; its result goes back under this id. */
  readonly callId: string;
  readonly tool: string;
  /** Checked arguments; null when the model's were unreadable. */
  readonly args: Record<string, unknown> | null;
  readonly gate: CallGate;
  /** The request (approval card) it waits on, when gated. */
  readonly requestId: string | null;
  readonly status: CallStatus;
  /** Safe to run again after a crash mid-call. */
  readonly idempotent: boolean;
  /** The tool's whole output, kept for the audit. */
  readonly output: string | null;
  readonly error: string | null;
  /** What the model reads as the call's result. */
  readonly result: string | null;
  readonly startedAt: Date | null;
  readonly endedAt: Date | null;
}
