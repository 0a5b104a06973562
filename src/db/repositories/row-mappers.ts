/**
 * Entities as the core's nouns. The same mappers read entities the ORM loaded and raw rows
 * of hot statements (mapped through the entities' metadata by `asEntityRows`, with their
 * conversation's columns under the PLACE names).
 */
import type { EntityData, EntityManager } from '@mikro-orm/postgresql';
import type { AgentRequest } from '../../core/model/agent-request';
import type { AgentRun } from '../../core/model/agent-run';
import type { ContextFact } from '../../core/model/context-fact';
import type { ConversationRef, ThreadRef } from '../../core/model/conversation';
import type { StoredMessage } from '../../core/model/message';
import type { ToolCallRecord } from '../../core/model/tool-call';
import { AgentRequestEntity, AgentRunEntity, ConversationContextEntity, MessageEntity, ToolCallEntity } from '../entities';
import type { ConversationContext } from '../entities/conversation-context.entity';
import type { AgentRequestRow } from '../entities/agent-request.entity';
import type { AgentRunRow } from '../entities/agent-run.entity';
import type { Conversation } from '../entities/conversation.entity';
import type { Message } from '../entities/message.entity';
import type { ToolCallRow } from '../entities/tool-call.entity';
import { PLACE } from './statement-parts';

/** The id a relation holds: a raw row has the key itself, a loaded entity the related entity. */
function idOf(relation: unknown): string | null {
  if (relation === null || relation === undefined) return null;
  return typeof relation === 'string' ? relation : (relation as { id: string }).id;
}

const person = (id: string | null | undefined, name: string | null | undefined) => (id ? { id, name: name ?? id } : null);

const at = (place: ConversationRef, thread: string): ThreadRef => ({ platform: place.platform, workspace: place.workspace, channel: place.channel, thread });

/** A loaded conversation entity as a place. */
export const placeOf = (c: Conversation): ConversationRef => ({ platform: c.platform, workspace: c.workspaceId, channel: c.channelId });

/** A raw row's conversation, from its PLACE columns. */
export const placeOfRow = (row: Record<string, unknown>): ConversationRef => ({
  platform: row[PLACE.platform] as ConversationRef['platform'],
  workspace: row[PLACE.workspace] as string,
  channel: row[PLACE.channel] as string,
});

/** A message's data, with the conversation it lives in. */
export function toStoredMessage(m: EntityData<Message>, place: ConversationRef): StoredMessage {
  return {
    id: m.id!,
    where: at(place, m.threadRef!),
    platformMessageId: m.platformMessageId ?? null,
    author: { id: m.authorId!, name: m.authorName! },
    role: m.role!,
    type: m.messageType!,
    text: m.text!,
    metadata: (m.metadata ?? {}) as Record<string, unknown>,
    traceId: m.traceId ?? null,
    createdAt: m.createdAt as Date,
  };
}

/** A run's data, with the conversation it lives in. */
export function toRun(r: EntityData<AgentRunRow>, place: ConversationRef): AgentRun {
  return {
    id: r.id!,
    where: at(place, r.threadRef!),
    kind: r.kind!,
    status: r.status!,
    requestedBy: { id: r.requestedById!, name: r.requestedByName! },
    triggerMessageId: idOf(r.triggerMessage),
    turns: r.turns ?? 0,
    toolCalls: r.toolCalls ?? 0,
    usage: { promptTokens: r.promptTokens ?? 0, completionTokens: r.completionTokens ?? 0, totalTokens: r.totalTokens ?? 0 },
    deadlineAt: r.deadlineAt as Date,
    attempt: r.attempt ?? 0,
    createdAt: r.createdAt as Date,
    endedAt: (r.endedAt as Date | null | undefined) ?? null,
    errorCode: r.errorCode ?? null,
    cancelledBy: person(r.cancelledById, r.cancelledByName),
    traceId: r.traceId ?? null,
  };
}

/** A tool call's data. */
export function toCall(c: EntityData<ToolCallRow>): ToolCallRecord {
  return {
    id: c.id!,
    runId: idOf(c.run)!,
    turnSeq: c.turnSeq!,
    position: c.position!,
    callId: c.callId!,
    tool: c.tool!,
    args: (c.args as Record<string, unknown> | null | undefined) ?? null,
    gate: c.gate!,
    requestId: idOf(c.request),
    status: c.status!,
    idempotent: c.idempotent ?? false,
    output: c.output ?? null,
    error: c.error ?? null,
    result: c.result ?? null,
    startedAt: (c.startedAt as Date | null | undefined) ?? null,
    endedAt: (c.endedAt as Date | null | undefined) ?? null,
  };
}

/** A fact's data. */
export function toFact(row: EntityData<ConversationContext>): ContextFact {
  return {
    type: row.contextType!,
    key: row.contextKey!,
    value: row.contextValue,
    source: row.source!,
    learnedFrom: row.learnedFrom ?? null,
    sourceMessageId: idOf(row.sourceMessage),
    createdAt: row.createdAt as Date,
    updatedAt: row.updatedAt as Date,
  };
}

/** Where a request's run lives, which the request itself does not store. */
export interface RunPlace {
  readonly place: ConversationRef;
  readonly threadRef: string;
  readonly traceId: string | null;
}

/** A request's data, with its run's place and its calls (sorted by position). */
export function toRequest(r: EntityData<AgentRequestRow>, run: RunPlace, calls: readonly ToolCallRecord[]): AgentRequest {
  return {
    id: r.id!,
    runId: idOf(r.run)!,
    where: at(run.place, run.threadRef),
    summary: r.summary!,
    destructive: r.destructive!,
    status: r.status!,
    requestedBy: { id: r.requestedById!, name: r.requestedByName! },
    decidedBy: person(r.decidedById, r.decidedByName),
    decidedAt: (r.decidedAt as Date | null | undefined) ?? null,
    reason: r.reason ?? null,
    expiresAt: r.expiresAt as Date,
    createdAt: r.createdAt as Date,
    cardMessageId: r.cardPlatformId ?? null,
    cardToken: r.cardToken ?? null,
    planHash: r.planHash!,
    traceId: run.traceId,
    calls: [...calls].sort((a, b) => a.position - b.position),
  };
}

/**
 * Raw rows (column names, as a statement returns them) as an entity's data (property names,
 * with dates and JSON converted), through the entity's own metadata. Extra columns (a joined
 * conversation's) pass through under their own names.
 */
export function asEntityRows<T extends object>(em: EntityManager, entity: { meta: { className: string } }, rows: readonly Record<string, unknown>[]): EntityData<T>[] {
  const meta = em.getMetadata().get(entity.meta.className);
  return rows.map((row) => em.getDriver().mapResult(row as never, meta) as EntityData<T>);
}

/** Message rows with their PLACE columns. */
export const messagesOfRows = (em: EntityManager, rows: readonly Record<string, unknown>[]): StoredMessage[] =>
  asEntityRows<Message>(em, MessageEntity, rows).map((m, i) => toStoredMessage(m, placeOfRow(rows[i]!)));

/** Run rows with their PLACE columns. */
export const runsOfRows = (em: EntityManager, rows: readonly Record<string, unknown>[]): AgentRun[] =>
  asEntityRows<AgentRunRow>(em, AgentRunEntity, rows).map((r, i) => toRun(r, placeOfRow(rows[i]!)));

/** Tool call rows. */
export const callsOfRows = (em: EntityManager, rows: readonly Record<string, unknown>[]): ToolCallRecord[] => asEntityRows<ToolCallRow>(em, ToolCallEntity, rows).map(toCall);

/** Fact rows. */
export const factsOfRows = (em: EntityManager, rows: readonly Record<string, unknown>[]): ContextFact[] => asEntityRows<ConversationContext>(em, ConversationContextEntity, rows).map(toFact);

/** The names a request row carries its run's thread and trace id under, and its calls (a jsonb array). */
export const REQUEST_EXTRAS = { thread: 'run_thread', traceId: 'run_trace_id', calls: 'calls' } as const;

/** Requests with their run's place and their calls aggregated (see REQUEST_EXTRAS). */
export const requestsOfRows = (em: EntityManager, rows: readonly Record<string, unknown>[]): AgentRequest[] =>
  asEntityRows<AgentRequestRow>(em, AgentRequestEntity, rows).map((r, i) => {
    const row = rows[i]!;
    const run = { place: placeOfRow(row), threadRef: row[REQUEST_EXTRAS.thread] as string, traceId: (row[REQUEST_EXTRAS.traceId] as string | null) ?? null };
    // Aggregated with jsonb_agg: timestamps arrive as text, which the metadata's mapping parses.
    return toRequest(r, run, callsOfRows(em, (row[REQUEST_EXTRAS.calls] as Record<string, unknown>[] | null) ?? []));
  });

/** A message loaded with its conversation. */
export const messageOf = (m: Message): StoredMessage => toStoredMessage(m as EntityData<Message>, placeOf(m.conversation));

/** A run loaded with its conversation. */
export const runOf = (r: AgentRunRow): AgentRun => toRun(r as EntityData<AgentRunRow>, placeOf(r.conversation));
