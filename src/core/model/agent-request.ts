import type { Person, ThreadRef } from './conversation';
import type { PlannedAction, RequestStatus } from './message';

/** A request the agent made and a person must decide. Stored as an `agent_request` message. */
export interface AgentRequest {
  readonly id: string;
  readonly where: ThreadRef;
  readonly summary: string;
  readonly actions: readonly PlannedAction[];
  readonly destructive: boolean;
  readonly status: RequestStatus;
  readonly requestedBy: Person;
  readonly decidedBy: Person | null;
  readonly decidedAt: Date | null;
  readonly expiresAt: Date;
  readonly createdAt: Date;
  /** The platform id of the posted card, once posted. */
  readonly cardMessageId: string | null;
  /** Hash of the approved plan, fixed at approval; the worker refuses a plan that no longer matches. */
  readonly planHash: string | null;
  /** Who pressed Cancel, once someone has. */
  readonly cancelledBy?: Person | null;
}

export type Decision = 'approved' | 'denied';

/** What a conditional decide returned: whether this call won, and the request as it now stands. */
export type DecideOutcome =
  | { readonly won: true; readonly request: AgentRequest }
  | { readonly won: false; readonly reason: 'not_found' | 'already_decided' | 'expired'; readonly request: AgentRequest | null };
