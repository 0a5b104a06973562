import type { AgentRequest, DecideOutcome, Decision } from '../model/agent-request';
import type { ContextFact, ContextType, NewContextFact } from '../model/context-fact';
import type { ConversationRef, Person, ThreadRef } from '../model/conversation';
import type { MessageMetadata, NewMessage, RequestStatus, StoredMessage } from '../model/message';

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
  /** Moves a request from one of `from` to `to`; returns the request if this call made the move. */
  transitionRequest(id: string, from: readonly RequestStatus[], to: RequestStatus): Promise<AgentRequest | null>;
  /** Marks every pending request past its expiry as expired and returns them. */
  expireDueRequests(now: Date): Promise<AgentRequest[]>;
  /** The most recent requests of a conversation, newest first. */
  recentRequests(conversation: ConversationRef, limit: number): Promise<AgentRequest[]>;
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
