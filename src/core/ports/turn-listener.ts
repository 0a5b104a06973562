import type { ContextFact } from '../model/context-fact';
import type { StoredMessage } from '../model/message';

/** What the model call read for a turn, so a listener need not read it again. */
export interface TurnSnapshot {
  /** The thread's recent messages, the user's own included. */
  readonly history: readonly StoredMessage[];
  readonly facts: readonly ContextFact[];
  /** Epoch milliseconds (from the core's clock) when they were read. */
  readonly readAt: number;
}

/** Called after each completed turn, off the reply's path (context extraction hooks in here). */
export type TurnListener = (turn: { user: StoredMessage; reply: StoredMessage | null; seen?: TurnSnapshot }) => void;
