import type { AgentRequest, DecideOutcome, Decision } from '../model/agent-request';
import type { AgentRun, RunKind, RunOutcome, RunStatus, TokenUsage } from '../model/agent-run';
import type { ConfirmationPurpose } from '../model/confirmation';
import type { ContextFact, ContextType, NewContextFact } from '../model/context-fact';
import type { FeedbackRating, FeedbackTally } from '../model/feedback';
import type { UserRef } from '../model/inbox';
import type { ConversationRef, Person, Platform, ThreadRef } from '../model/conversation';
import type { MessageMetadata, NewMessage, StoredMessage } from '../model/message';
import type { CallGate, CallStatus, ToolCallRecord } from '../model/tool-call';
import type { ViewedChannel } from '../model/viewed-channel';

/** A run as stored: what its steps are worked out from. */
export interface RunTranscript {
  readonly turns: ModelTurnRecord[];
  readonly calls: ToolCallRecord[];
  readonly planHashes: ReadonlyMap<string, string>;
}

/** A thread as the model is shown it. */
export interface ThreadReading {
  readonly history: StoredMessage[];
  readonly facts: ContextFact[];
  /** For an assistant thread, the channel its person last had open beside it; null otherwise. */
  readonly viewing: ViewedChannel | null;
}

/** Where messages live. Implemented over Postgres in `src/db`. */
export interface MessageStore {
  /**
   * Stores a person's message once and, in the same statement, reads the thread as readThread
   * would just before it: `before.history` holds the last `historyLimit - 1` messages, without
   * this one, so a turn started at once needs no second read. A second append with the same
   * platform message id in the same conversation stores nothing and returns `isNew: false` with
   * the existing row. The message starts a turn: pending, and claimed by this process, until answered.
   */
  appendTurn(message: NewMessage<'text'>, historyLimit: number): Promise<{ message: StoredMessage; isNew: boolean; before: ThreadReading }>;
  /**
   * What a prompt is built from, in one statement: the thread's last `limit` messages, oldest
   * first, its conversation's facts, newest first, and the channel viewed beside it (AssistantThreadStore).
   */
  readThread(thread: ThreadRef, limit: number): Promise<ThreadReading>;
  /** Whether any message of this thread is stored, i.e. the bot has taken part in it. */
  threadExists(thread: ThreadRef): Promise<boolean>;
  /** Fills in the author's name of a message stored before the name was known. */
  setAuthorName(messageId: string, name: string): Promise<void>;
  /** Records the platform id an outbound message got once posted. */
  setPlatformMessageId(messageId: string, platformMessageId: string): Promise<void>;
  /** Replaces a log message's text and metadata (a progress view, a card that changed), and records its platform id when given. */
  updateMessage<T extends 'agent_request' | 'agent_progress' | 'agent_result'>(messageId: string, type: T, text: string, metadata: MessageMetadata<T>, platformMessageId?: string): Promise<void>;
  /**
   * Stores the bot's reply to a person's message under `reply.id` (chosen before posting, so the
   * posted reply can name its row) and marks that turn answered, in one statement.
   */
  appendReply(turnMessageId: string, reply: NewMessage<'text'> & { readonly id: string }): Promise<StoredMessage>;
  /** Marks a turn answered without a stored reply (a command answered privately). */
  answerTurn(turnMessageId: string): Promise<void>;
  /**
   * Renews this process's claim on turns it still works on, so no other process takes them
   * over; returns the ids among them that a person stopped (stopTurn, from any process).
   */
  renewTurnClaims(messageIds: readonly string[]): Promise<string[]>;
  /** The thread's turns not answered yet (waiting for a slot or being answered), oldest first. */
  turnsInProgress(thread: ThreadRef): Promise<StoredMessage[]>;
  /**
   * Marks a turn not answered yet as stopped, in one conditional statement: true for exactly
   * one caller however many race or deliver again. Its process finds out at its next renewal.
   */
  stopTurn(messageId: string): Promise<boolean>;
  /**
   * Claims unanswered turns whose claim lapsed more than `leaseMs` ago and that are younger
   * than `windowMs`, one conditional UPDATE so that of several processes one gets each;
   * unanswered turns older than the window are marked skipped. Only turns on `platforms` (the
   * ones this process can answer on) are claimed.
   */
  claimStaleTurns(leaseMs: number, windowMs: number, limit: number, platforms: readonly Platform[]): Promise<{ claimed: StoredMessage[]; skipped: number }>;
}

/** A tool call as a model turn (or `!run`) asks for it, checked and sorted by policy. */
export interface NewToolCall {
  readonly callId: string;
  readonly tool: string;
  readonly args: Record<string, unknown> | null;
  readonly gate: CallGate;
  /** `ready` (auto-run), `pending` (gated) or `refused`. */
  readonly status: Extract<CallStatus, 'ready' | 'pending' | 'refused'>;
  readonly idempotent: boolean;
  /** For a refused call: what the model reads instead of a result. */
  readonly result: string | null;
}

/** One model turn to store: its words, its token usage and the calls it asked for. */
export interface NewModelTurn {
  readonly content: string | null;
  readonly usage: TokenUsage | null;
  readonly calls: readonly NewToolCall[];
}

/** A gate to store with the turn whose gated calls it shows. */
export interface NewRequest {
  readonly id: string;
  readonly summary: string;
  readonly destructive: boolean;
  readonly expiresAt: Date;
  readonly planHash: string;
  /** The card's token (AgentRequest.cardToken), carried by its buttons. */
  readonly cardToken: string;
}

/** A stored model turn. */
export interface ModelTurnRecord {
  readonly seq: number;
  readonly content: string | null;
}

/** A worker's hold on a run's current step; only the holder may change the run. */
export interface StepClaim {
  readonly run: AgentRun;
  readonly token: string;
}

/** How a call ended, as its worker stores it. */
export interface CallEnd {
  readonly status: Extract<CallStatus, 'succeeded' | 'failed' | 'interrupted' | 'cancelled' | 'skipped'>;
  readonly output: string | null;
  readonly error: string | null;
  /** What the model reads. */
  readonly result: string;
}

/** A run's progress and result messages: at most one of each per run. */
export type RunMessageType = 'agent_progress' | 'agent_result';

/**
 * Agent runs: their turns, calls and lease. Every change is one conditional statement (or one
 * transaction), so two workers, or a worker and a Cancel, never both win.
 */
export interface RunStore {
  /**
   * Starts a run with its first turn, that turn's calls and, when some are gated, their
   * request, and marks the triggering turn answered: all or nothing. Null when that message
   * already started a run (a recovered turn, a second replica).
   */
  createRun(input: {
    where: ThreadRef;
    kind: RunKind;
    /** `waiting` when every call that can run waits for a decision. */
    status: 'running' | 'waiting';
    requestedBy: Person;
    triggerMessageId: string | null;
    /** The trace id its steps and decisions log under. */
    traceId?: string;
    deadlineAt: Date;
    turn: NewModelTurn;
    request: NewRequest | null;
  }): Promise<{ run: AgentRun; request: AgentRequest | null } | null>;
  getRun(id: string): Promise<AgentRun | null>;
  /** The run's model turns and calls, oldest first, and the plan hash of each of its requests by request id. */
  transcript(runId: string): Promise<RunTranscript>;
  /**
   * Takes the run's next step for this worker: a lease, when the run is running (or cancelled
   * and not yet told) and nobody holds a live lease. A lapsed lease counts as a takeover.
   */
  claimStep(runId: string, leaseMs: number): Promise<StepClaim | null>;
  /** Extends the lease; the run's status, or null once another worker holds it. */
  renewLease(claim: StepClaim, leaseMs: number): Promise<RunStatus | null>;
  /** Gives the lease back, moving the run to `status`; false when it was not held any more. */
  releaseStep(claim: StepClaim, status: 'running' | 'waiting'): Promise<boolean>;
  /**
   * Moves a run left waiting for decisions already taken back to running: a decision that came
   * while a step still held the run left it running, and the step then released it to wait.
   * True when it moved. Called after releasing a step to wait.
   */
  wakeDecided(runId: string): Promise<boolean>;
  /** ready → running (or running again after a takeover), while the lease holds. */
  startCall(claim: StepClaim, callRecordId: string): Promise<boolean>;
  endCall(claim: StepClaim, callRecordId: string, end: CallEnd): Promise<boolean>;
  /** Appends a model turn with its calls, its token usage and, when some are gated, their request, while the lease holds. */
  appendTurn(claim: StepClaim, turn: NewModelTurn, request: NewRequest | null): Promise<AgentRequest | null>;
  /**
   * Ends a live run (or tells a cancelled one) and stores its one result message in the same
   * statement, while `claim` holds when given: the ended run and its stored result, or null
   * when this call did not end it. A run cancelled before this call ends `cancelled`, whatever
   * `status` says: the worker learns it from the run returned.
   */
  endRun(runId: string, end: { claim?: StepClaim; status: RunOutcome; errorCode: string | null; result: NewMessage<'agent_result'> }): Promise<{ run: AgentRun; result: StoredMessage } | null>;
  /** Marks a live run cancelled, with its pending requests and unstarted calls; the worker that holds it finds out at its next beat. */
  cancelRun(runId: string, by: Person): Promise<AgentRun | null>;
  /**
   * Runs with a step due and no live worker, oldest first: running (or cancelled, untold) with
   * a lapsed lease, or with none since a release more than 10 s ago (a job for a run released
   * just now may still be on its way).
   */
  stalledRuns(limit: number): Promise<string[]>;
  /** Stores the run's one message of this type unless it has one; returns whichever row holds it. */
  storeRunMessage<T extends RunMessageType>(runId: string, message: NewMessage<T>): Promise<{ message: StoredMessage; isNew: boolean }>;
  findRunMessage(runId: string, type: RunMessageType): Promise<StoredMessage | null>;
  /**
   * Final messages of ended runs stored but not posted (a worker died in between, or the
   * platform refused), older than `olderThanMs` and younger than ten minutes: retried a while, not forever.
   */
  unpostedResults(olderThanMs: number, limit: number): Promise<StoredMessage[]>;
  /** The most recent runs of a conversation, newest first. */
  recentRuns(conversation: ConversationRef, limit: number): Promise<AgentRun[]>;
  /** The runs of a thread not ended yet (running or waiting), oldest first. */
  liveRunsIn(thread: ThreadRef): Promise<AgentRun[]>;
}

/** Some of a list of requests, newest first, and how many the whole list holds. */
export interface RequestPage {
  readonly requests: AgentRequest[];
  readonly total: number;
}

/** Approval requests (gates) and their lifecycle; every transition is one conditional statement. */
export interface RequestStore {
  getRequest(id: string): Promise<AgentRequest | null>;
  /**
   * The pending, unexpired requests of `user`'s workspace that they may approve, in one
   * statement: an approver any (under four eyes not their own destructive ones), anyone else
   * their own non-destructive ones, as `mayDecide` rules (which still checks each decision).
   */
  awaitingDecisionBy(user: UserRef, as: { approver: boolean; fourEyes: boolean }, now: Date, limit: number): Promise<RequestPage>;
  /** The requests `user` made in their workspace, whatever their status. */
  requestedBy(user: UserRef, limit: number): Promise<RequestPage>;
  /** The requests of these runs, oldest first. */
  requestsOfRuns(runIds: readonly string[]): Promise<AgentRequest[]>;
  /**
   * Stores a request's posted card (its `agent_request` row, with the platform's id) and links
   * the request to it. Returns the request's status and plan as they stand once linked (a click
   * carrying the card's token may have decided or edited it before), or null when it is unknown.
   */
  recordCard(requestId: string, card: NewMessage<'agent_request'>): Promise<Pick<AgentRequest, 'status' | 'planHash'> | null>;
  /** Replaces the stored card's text with the card as it now reads (decided, expired, edited). */
  recordCardText(requestId: string, text: string): Promise<void>;
  /**
   * Decides a pending, unexpired request whose plan still hashes to `planHash`; `won` is true
   * for exactly one caller however many race. Approving readies its calls; denying ends them
   * with `deniedResult` as what the model reads. The run goes from waiting to running.
   */
  decideRequest(
    id: string,
    decision: Decision,
    by: Person,
    /** `cardText`: the card as the decision shows it, stored with the decision. */
    at: { now: Date; planHash: string; reason: string | null; deniedResult: string; cardText: string },
  ): Promise<DecideOutcome>;
  /** Replaces the arguments of a pending request's calls and its plan hash, while it is pending and still hashes to `expectedHash`. */
  editRequest(id: string, edits: readonly { callRecordId: string; args: Record<string, unknown> }[], expectedHash: string, planHash: string): Promise<AgentRequest | null>;
  /** Marks every pending request past its expiry expired (and its calls), returning them. */
  expireDueRequests(now: Date): Promise<AgentRequest[]>;
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

/** Who a confirmation was issued to, where, and for what. */
export interface ConfirmationHolder {
  readonly purpose: ConfirmationPurpose;
  readonly conversation: ConversationRef;
  readonly userId: string;
}

/**
 * One-time confirmations ("are you sure?" buttons): a token issued to one person in one
 * conversation, accepted once, from them, there, before it expires.
 */
export interface ConfirmationStore {
  /** Stores a new confirmation and returns its token (unguessable; safe to put in a button). */
  issue(holder: ConfirmationHolder, expiresAt: Date): Promise<string>;
  /**
   * Uses the token if it was issued to exactly this holder, is unused and has not expired
   * at `now`, in one conditional statement: true for exactly one caller however many race.
   */
  redeem(token: string, holder: ConfirmationHolder, now: Date): Promise<boolean>;
}

/** What happens once in an assistant thread's life. */
export type AssistantThreadFirst = 'greeting' | 'title';

/**
 * Private assistant threads (Slack's assistant panel): the channel each one's person views
 * beside it, and whether it was greeted and titled. In Postgres, so every replica answers alike.
 */
export interface AssistantThreadStore {
  /**
   * Records the channel viewed beside the thread (null: none) as the platform reported it at
   * `at` (to the millisecond); a report older than the one stored (a late redelivery) changes nothing.
   */
  noteViewedChannel(thread: ThreadRef, viewed: ViewedChannel | null, at: Date): Promise<void>;
  /**
   * True for exactly one caller per thread and `what` however many race (a redelivered event,
   * two replicas), in one statement: the one that greets the thread, or titles it.
   */
  claimOnce(thread: ThreadRef, what: AssistantThreadFirst): Promise<boolean>;
}

/** 👍/👎 on the bot's answers: one rating per person and answer. */
export interface FeedbackStore {
  /**
   * Stores `by`'s rating of the answer stored as `messageId`, replacing their earlier one, in
   * one upsert on (answer, person); only when that message is an answer that asked for
   * feedback and lives in `conversation`. False otherwise (another workspace's or channel's
   * message, not an answer, no such message): a forged value rates nothing.
   */
  rate(conversation: ConversationRef, messageId: string, by: Person, rating: FeedbackRating): Promise<boolean>;
  /** The ratings given on the conversation's last `answers` answers that asked for feedback. */
  tally(conversation: ConversationRef, answers: number): Promise<FeedbackTally>;
}
