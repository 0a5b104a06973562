import type { Person, ThreadRef } from './conversation';
import type { ToolCallRecord } from './tool-call';

export const REQUEST_STATUSES = ['pending', 'approved', 'denied', 'expired', 'cancelled'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** The reminders a pending request sends its approvers: after REMIND_AFTER, and 2 minutes before it expires. */
export const REMINDER_STAGES = ['first', 'final'] as const;
export type ReminderStage = (typeof REMINDER_STAGES)[number];

/**
 * A gate: the calls of one model turn that a person must decide, shown on one approval card.
 * Stored in its own table; its card is an `agent_request` message.
 */
export interface AgentRequest {
  readonly id: string;
  readonly runId: string;
  readonly where: ThreadRef;
  readonly summary: string;
  readonly destructive: boolean;
  readonly status: RequestStatus;
  readonly requestedBy: Person;
  readonly decidedBy: Person | null;
  readonly decidedAt: Date | null;
  /** A denier's reason, as they gave it. */
  readonly reason: string | null;
  readonly expiresAt: Date;
  readonly createdAt: Date;
  /** The platform id of the posted card, once posted: clicks must come from it. */
  readonly cardMessageId: string | null;
  /**
   * The secret the card's buttons carry, made before the card is posted: a click that arrives
   * before the card's id is stored proves with it that it came from this card. Null for
   * requests older than card tokens.
   */
  readonly cardToken: string | null;
  /** Hash of exactly what the card shows; an edit changes it, and a decision must match it. */
  readonly planHash: string;
  /** Its run's trace id. */
  readonly traceId: string | null;
  /** The gated calls, in order. */
  readonly calls: readonly ToolCallRecord[];
}

export type Decision = 'approved' | 'denied';

/** What a conditional decide returned: whether this call won, and the request as it now stands. */
export type DecideOutcome =
  | { readonly won: true; readonly request: AgentRequest }
  | { readonly won: false; readonly reason: 'not_found' | 'already_decided' | 'expired' | 'plan_changed'; readonly request: AgentRequest | null };
