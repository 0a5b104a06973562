/**
 * The one in-memory "database" the memory stores share, as the repositories share Postgres:
 * a Map per table, keyed the way the table's unique keys are, and a clock for `now()`.
 * Every store method reads and writes it synchronously between two awaits, so each call is
 * atomic the way one SQL statement is, and racing callers see each other's writes.
 */
import { SystemError } from '../../../src/core/errors';
import type { AgentRequest } from '../../../src/core/model/agent-request';
import type { AgentRun, TokenUsage } from '../../../src/core/model/agent-run';
import type { ContextFact } from '../../../src/core/model/context-fact';
import type { ConversationRef, ThreadRef } from '../../../src/core/model/conversation';
import type { FeedbackRating } from '../../../src/core/model/feedback';
import type { Schedule } from '../../../src/core/model/schedule';
import type { BudgetOverride } from '../../../src/core/model/token-budget';
import type { PolicyRule } from '../../../src/core/model/policy-rule';
import type { WorkspaceRef } from '../../../src/core/ports/schedule-store';
import { metadataSchemas, type MessageType, type StoredMessage, type TurnState } from '../../../src/core/model/message';
import type { ToolCallRecord } from '../../../src/core/model/tool-call';
import type { ViewedChannel } from '../../../src/core/model/viewed-channel';
import type { Clock } from '../../../src/core/ports/clock';
import type { ConfirmationHolder } from '../../../src/core/ports/stores';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A stored message with the columns the port does not show: what it belongs to, its turn. */
export interface MessageRow extends Mutable<StoredMessage> {
  seq: number;
  runId: string | null;
  requestId: string | null;
  turnState: TurnState | null;
  turnClaimedAt: Date | null;
}

/** A run with its lease: a token while a worker holds a step, and until when. */
export interface RunRow extends Mutable<AgentRun> {
  seq: number;
  leaseToken: string | null;
  leaseUntil: Date | null;
}

export interface TurnRow {
  readonly runId: string;
  readonly seq: number;
  readonly content: string | null;
  readonly usage: TokenUsage | null;
}

export type CallRow = Mutable<ToolCallRecord>;

/** A request without what is read from its run and calls. */
export interface RequestRow extends Mutable<Omit<AgentRequest, 'where' | 'traceId' | 'calls'>> {
  seq: number;
}

export interface FactRow extends Mutable<ContextFact> {
  seq: number;
  readonly conversation: string;
}

export interface ConfirmationRow {
  readonly holder: ConfirmationHolder;
  readonly expiresAt: Date;
  usedAt: Date | null;
}

export interface AssistantThreadRow {
  viewed: ViewedChannel | null;
  viewedAt: Date | null;
  greeting: boolean;
  title: boolean;
}

export interface FeedbackRow {
  readonly messageId: string;
  readonly userId: string;
  userName: string;
  rating: FeedbackRating;
}

export type ScheduleRow = Mutable<Schedule>;

/** The tables, and what every store needs to write them: the time, fresh ids, keys. */
export class MemoryDatabase {
  readonly messages = new Map<string, MessageRow>();
  readonly runs = new Map<string, RunRow>();
  readonly turns: TurnRow[] = [];
  readonly calls = new Map<string, CallRow>();
  readonly requests = new Map<string, RequestRow>();
  /** By factKey: one fact per key per conversation. */
  readonly facts = new Map<string, FactRow>();
  /** By token. */
  readonly confirmations = new Map<string, ConfirmationRow>();
  /** By threadKey. */
  readonly assistantThreads = new Map<string, AssistantThreadRow>();
  /** By message id + user id: one rating per person and answer. */
  readonly feedback = new Map<string, FeedbackRow>();
  /** By id; short ids are unique across them. */
  readonly schedules = new Map<string, ScheduleRow>();
  /** Keys of recorded firings: schedule id + the time it fired for (as its epoch ms). */
  readonly firings = new Set<string>();
  /** Token counters by usageKey; a counter's 80 % warning was shown. */
  readonly tokenUsage = new Map<string, { used: number; reserved: number; warned: boolean }>();
  /** Channels' own limits, by conversation key and scope. */
  readonly budgetOverrides = new Map<string, BudgetOverride>();
  /** What each store over this database does when any of them changes an override: as a NOTIFY reaches every process. */
  readonly overrideListeners = new Set<() => void>();
  /** Reminders sent: request id + stage. */
  readonly reminders = new Set<string>();
  /** Policy rules by their scope's key (platform, workspace, channel or '', tool). */
  readonly policyRules = new Map<string, PolicyRule>();
  /** Every process's watch on the rules: told of each change, as Postgres NOTIFY tells each listener. */
  readonly policyWatchers = new Set<(workspace: WorkspaceRef) => void>();
  private counter = 0;

  constructor(readonly clock: Clock) {}

  now(): Date {
    return this.clock.now();
  }

  /** A fresh row id, in uuid form (metadata schemas check that), counting up: readable in a failing test. */
  newId(): string {
    return `00000000-0000-4000-8000-${(++this.counter).toString(16).padStart(12, '0')}`;
  }

  /** An insertion order, for ties between equal timestamps. */
  nextSeq(): number {
    return ++this.counter;
  }

  messagesWhere(predicate: (row: MessageRow) => boolean): MessageRow[] {
    return [...this.messages.values()].filter(predicate);
  }

  /** The one message of this type a run has (`agent_progress`, `agent_result`), if any. */
  runMessage(runId: string, type: MessageType): MessageRow | undefined {
    return this.messagesWhere((m) => m.runId === runId && m.type === type)[0];
  }

  callsWhere(predicate: (row: CallRow) => boolean): CallRow[] {
    return [...this.calls.values()].filter(predicate).sort((a, b) => a.turnSeq - b.turnSeq || a.position - b.position);
  }

  requestsWhere(predicate: (row: RequestRow) => boolean): RequestRow[] {
    return [...this.requests.values()].filter(predicate);
  }
}

/** The key of a conversation: exact for any ids, unlike a joined string. */
export function conversationKey(ref: ConversationRef): string {
  return JSON.stringify([ref.platform, ref.workspace, ref.channel]);
}

/** The key of a fact: its conversation's key and its own. */
export function factKey(conversation: string, key: string): string {
  return JSON.stringify([conversation, key]);
}

export function threadKey(ref: ThreadRef): string {
  return JSON.stringify([ref.platform, ref.workspace, ref.channel, ref.thread]);
}

export function sameConversation(a: ConversationRef, b: ConversationRef): boolean {
  return a.platform === b.platform && a.workspace === b.workspace && a.channel === b.channel;
}

/** Oldest first; rows written in the same millisecond in the order they were written. */
export function byCreation<T extends { createdAt: Date; seq: number }>(a: T, b: T): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || a.seq - b.seq;
}

/** The last `limit` of `rows` (none for a limit of 0, as SQL's `limit 0`). */
export function lastOf<T>(rows: readonly T[], limit: number): T[] {
  return limit > 0 ? rows.slice(-limit) : [];
}

/**
 * A message's metadata checked against its type's schema, as the repositories check it before
 * a write. @throws SystemError `invalid_metadata` naming the first bad field.
 */
export function checkedMetadata(type: MessageType, metadata: unknown): Record<string, unknown> {
  const result = metadataSchemas[type].safeParse(metadata);
  if (result.success) return structuredClone(result.data) as Record<string, unknown>;
  const field = result.error.issues[0]!.path.join('.') || '(root)';
  throw new SystemError('invalid_metadata', `invalid ${type} metadata: ${field}`, { type, field });
}
