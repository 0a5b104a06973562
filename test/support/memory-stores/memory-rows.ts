/**
 * Rows of the memory database turned into the core's nouns, as copies: a caller changing what
 * it was given changes nothing stored, as with rows read from Postgres.
 */
import type { AgentRequest } from '../../../src/core/model/agent-request';
import type { AgentRun } from '../../../src/core/model/agent-run';
import type { ContextFact } from '../../../src/core/model/context-fact';
import { conversationOf } from '../../../src/core/model/conversation';
import type { NewMessage, StoredMessage } from '../../../src/core/model/message';
import type { ToolCallRecord } from '../../../src/core/model/tool-call';
import type { ThreadReading } from '../../../src/core/ports/stores';
import {
  byCreation,
  checkedMetadata,
  conversationKey,
  lastOf,
  sameConversation,
  threadKey,
  type CallRow,
  type FactRow,
  type MemoryDatabase,
  type MessageRow,
  type RequestRow,
  type RunRow,
} from './memory-database';

export function toMessage(row: MessageRow): StoredMessage {
  const { id, where, platformMessageId, author, role, type, text, metadata, traceId, createdAt } = row;
  return { id, where: { ...where }, platformMessageId, author: { ...author }, role, type, text, metadata: structuredClone(metadata), traceId, createdAt: new Date(createdAt) };
}

export function toRun(row: RunRow): AgentRun {
  const { seq: _seq, leaseToken: _token, leaseUntil: _until, ...run } = row;
  return structuredClone(run);
}

export function toCall(row: CallRow): ToolCallRecord {
  return structuredClone(row);
}

export function toFact(row: FactRow): ContextFact {
  const { seq: _seq, conversation: _conversation, ...fact } = row;
  return structuredClone(fact);
}

/** A request with its run's thread and trace id and its calls in card order. */
export function toRequest(db: MemoryDatabase, row: RequestRow): AgentRequest {
  const run = db.runs.get(row.runId)!;
  const { seq: _seq, ...request } = structuredClone(row);
  const calls = db.callsWhere((c) => c.requestId === row.id).sort((a, b) => a.position - b.position);
  return { ...request, where: { ...run.where }, traceId: run.traceId, calls: calls.map(toCall) };
}

/**
 * Inserts a message unless its platform id is already stored in its conversation (the unique
 * key a redelivery meets): the new row, or null when it was there. A person's message starts
 * a turn, pending and claimed now.
 */
export function insertMessage(db: MemoryDatabase, message: NewMessage, columns: Partial<Pick<MessageRow, 'id' | 'runId' | 'requestId'>> = {}): MessageRow | null {
  const metadata = checkedMetadata(message.type, message.metadata);
  if (message.platformMessageId !== null && findByPlatformId(db, message.where, message.platformMessageId)) return null;
  const now = db.now();
  const user = message.role === 'user';
  const row: MessageRow = {
    id: columns.id ?? db.newId(),
    seq: db.nextSeq(),
    where: { ...message.where },
    platformMessageId: message.platformMessageId,
    author: { ...message.author },
    role: message.role,
    type: message.type,
    text: message.text,
    metadata,
    traceId: message.traceId ?? null,
    createdAt: now,
    runId: columns.runId ?? null,
    requestId: columns.requestId ?? null,
    turnState: user ? 'pending' : null,
    turnClaimedAt: user ? now : null,
  };
  db.messages.set(row.id, row);
  return row;
}

export function findByPlatformId(db: MemoryDatabase, where: NewMessage['where'], platformMessageId: string): MessageRow | undefined {
  return db.messagesWhere((m) => m.platformMessageId === platformMessageId && sameConversation(m.where, where))[0];
}

/** What a prompt is built from: the thread's last `limit` messages, oldest first, its conversation's facts, newest first, the channel viewed beside it. */
export function readingOf(db: MemoryDatabase, thread: NewMessage['where'], limit: number): ThreadReading {
  const history = db.messagesWhere((m) => m.where.thread === thread.thread && sameConversation(m.where, thread)).sort(byCreation);
  const conversation = conversationKey(conversationOf(thread));
  const facts = [...db.facts.values()].filter((f) => f.conversation === conversation).sort(newestFactFirst);
  const viewing = db.assistantThreads.get(threadKey(thread))?.viewed ?? null;
  return { history: lastOf(history, limit).map(toMessage), facts: facts.map(toFact), viewing: viewing && { ...viewing } };
}

/** Most recently updated first; ties by key, as the repositories order them. */
export function newestFactFirst(a: FactRow, b: FactRow): number {
  return b.updatedAt.getTime() - a.updatedAt.getTime() || a.key.localeCompare(b.key);
}
