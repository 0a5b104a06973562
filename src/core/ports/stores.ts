import type { AgentRequest, DecideOutcome, Decision } from '../model/agent-request';
import type { ContextFact, ContextType, NewContextFact } from '../model/context-fact';
import type { ConversationRef, Person, ThreadRef } from '../model/conversation';
import type { MessageMetadata, NewMessage, Outcome, RequestStatus, StoredMessage } from '../model/message';

/** Where messages live. Implemented over Postgres in `src/db`. */
export interface MessageStore {
  /**
   * Stores a message once. A second append with the same platform message id in the
   * same conversation stores nothing and returns `isNew: false` with the existing row.
   */
  appendMessage(message: NewMessage): Promise<{ message: StoredMessage; isNew: boolean }>;
  /** The last `limit` messages of a thread, oldest first. */
  recentMessages(thread: ThreadRef, limit: number): Promise<StoredMessage[]>;
  /** Whether any message of this thread is stored, i.e. the bot has taken part in it. */
  threadExists(thread: ThreadRef): Promise<boolean>;
  /** Fills in the author's name of a message stored before the name was known. */
  setAuthorName(messageId: string, name: string): Promise<void>;
  /** Records the platform id an outbound message got once posted. */
  setPlatformMessageId(messageId: string, platformMessageId: string): Promise<void>;
  /** Replaces a message's text and metadata (progress views change as a run goes). */
  updateMessage<T extends 'agent_progress' | 'agent_result'>(
    messageId: string,
    type: T,
    text: string,
    metadata: MessageMetadata<T>,
  ): Promise<void>;
}

/** Agent requests and their lifecycle; every transition is one conditional statement. */
export interface RequestStore {
  /** Stores a new pending request (an `agent_request` message) and returns it. */
  createRequest(input: {
    where: ThreadRef;
    summary: string;
    actions: AgentRequest['actions'];
    destructive: boolean;
    requestedBy: Person;
    expiresAt: Date;
  }): Promise<AgentRequest>;
  getRequest(id: string): Promise<AgentRequest | null>;
  /**
   * Moves a pending, unexpired request to `decision` only if it is still pending.
   * `won` is true for exactly one caller however many race.
   */
  decideRequest(id: string, decision: Decision, by: Person, now: Date, planHash: string | null): Promise<DecideOutcome>;
  /**
   * Moves a request from one of `from` to `to`, merging `note` into its metadata (e.g.
   * who cancelled); returns the request if this call made the move.
   */
  transitionRequest(id: string, from: readonly RequestStatus[], to: RequestStatus, note?: RequestNote): Promise<AgentRequest | null>;
  /** Marks every pending request past its expiry as expired and returns them. */
  expireDueRequests(now: Date): Promise<AgentRequest[]>;
  /** The most recent requests of a conversation, newest first. */
  recentRequests(conversation: ConversationRef, limit: number): Promise<AgentRequest[]>;
}

/** Audit facts merged into a request's metadata on a transition. */
export interface RequestNote {
  readonly cancelledBy?: Person;
  readonly cancelledAt?: string;
}

/** A run as the worker that owns it sees it: the request and which attempt this worker is. */
export interface RunClaim {
  readonly request: AgentRequest;
  readonly attempt: number;
}

/** A request's progress and result messages: at most one of each per request. */
export type RequestMessageType = 'agent_progress' | 'agent_result';

/**
 * The execution side of a request: which worker attempt owns its run, whether that worker
 * is alive, and how the run ended. Every change is one conditional statement, so two
 * workers (or a worker and a Cancel) never both win.
 */
export interface RunStore {
  /** approved → running as attempt 1 with a fresh heartbeat; null when the request is not approved. */
  startRun(id: string): Promise<RunClaim | null>;
  /** Takes over a running request whose worker has been silent for `silentForMs`, as the next attempt. */
  reclaimRun(id: string, silentForMs: number): Promise<RunClaim | null>;
  /** The owner's sign of life: the request's status now, or null once another attempt owns the run. */
  heartbeat(id: string, attempt: number): Promise<RequestStatus | null>;
  /**
   * Ends a request and stores its one result message in the same statement: moves it from
   * one of `from` to `outcome` (only while `attempt` owns it, when given) unless it already
   * has a result. Returns the ended request, or null when this call did not end it.
   */
  endRequest(
    id: string,
    end: { from: readonly RequestStatus[]; attempt?: number; outcome: Outcome; result: NewMessage<'agent_result'>; note?: RequestNote },
  ): Promise<AgentRequest | null>;
  /** Stores the request's one message of this type unless it has one; returns whichever row holds it. */
  storeRequestMessage<T extends RequestMessageType>(requestId: string, message: NewMessage<T>): Promise<{ message: StoredMessage; isNew: boolean }>;
  findRequestMessage(requestId: string, type: RequestMessageType): Promise<StoredMessage | null>;
  /** Approved requests, and running ones whose worker has been silent for `silentForMs`: runs that may need a job. */
  stalledRuns(silentForMs: number, limit: number): Promise<AgentRequest[]>;
}

/** Durable facts per conversation. */
export interface ContextStore {
  /** Upserts on (conversation, key): one row per key; updatedAt moves, createdAt stays. */
  storeContext(conversation: ConversationRef, fact: NewContextFact): Promise<ContextFact>;
  /** All facts of a conversation, newest first. */
  retrieveContext(conversation: ConversationRef): Promise<ContextFact[]>;
  retrieveContextByType(conversation: ConversationRef, type: ContextType): Promise<ContextFact[]>;
  /** Returns whether a fact with that key existed. */
  forgetContext(conversation: ConversationRef, key: string): Promise<boolean>;
  /** Returns how many facts were removed. */
  clearContext(conversation: ConversationRef): Promise<number>;
  /** Deletes the least recently updated facts beyond `keep`; returns how many went. */
  evictOldest(conversation: ConversationRef, keep: number): Promise<number>;
}
