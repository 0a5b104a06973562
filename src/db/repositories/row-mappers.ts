/**
 * Entity data (rows mapped through the entities' metadata, see `asEntityRows`) turned into the
 * core's nouns. Rows carry their conversation's columns (`PLACE_COLUMNS`) alongside.
 */
import type { EntityData, EntityManager } from '@mikro-orm/postgresql';
import type { AgentRequest } from '../../core/model/agent-request';
import type { AgentRun } from '../../core/model/agent-run';
import type { Platform, ThreadRef } from '../../core/model/conversation';
import type { StoredMessage } from '../../core/model/message';
import type { ToolCallRecord } from '../../core/model/tool-call';
import { AgentRequestEntity, AgentRunEntity, MessageEntity, ToolCallEntity } from '../entities';
import type { AgentRequestRow } from '../entities/agent-request.entity';
import type { AgentRunRow } from '../entities/agent-run.entity';
import type { Message } from '../entities/message.entity';
import type { ToolCallRow } from '../entities/tool-call.entity';
import { asEntityRows } from '../sql';

/** A row with its conversation's columns joined. */
type Placed<T> = EntityData<T> & { platform: Platform; workspace_id: string; channel_id: string; thread_ref?: string };

function place(row: Placed<unknown>, thread: string): ThreadRef {
  return { platform: row.platform, workspace: row.workspace_id, channel: row.channel_id, thread };
}

const person = (id: string | null | undefined, name: string | null | undefined) => (id ? { id, name: name ?? id } : null);

export function toStoredMessages(em: EntityManager, rows: readonly Record<string, unknown>[]): StoredMessage[] {
  return asEntityRows<Message>(em, MessageEntity, rows).map((row) => {
    const m = row as Placed<Message>;
    return {
      id: m.id!,
      where: place(m, m.threadRef!),
      platformMessageId: m.platformMessageId ?? null,
      author: { id: m.authorId!, name: m.authorName! },
      role: m.role!,
      type: m.messageType!,
      text: m.text!,
      metadata: (m.metadata ?? {}) as Record<string, unknown>,
      traceId: m.traceId ?? null,
      createdAt: m.createdAt as Date,
    };
  });
}

export function toRuns(em: EntityManager, rows: readonly Record<string, unknown>[]): AgentRun[] {
  return asEntityRows<AgentRunRow>(em, AgentRunEntity, rows).map((row) => {
    const r = row as Placed<AgentRunRow>;
    return {
      id: r.id!,
      where: place(r, r.threadRef!),
      kind: r.kind!,
      status: r.status!,
      requestedBy: { id: r.requestedById!, name: r.requestedByName! },
      triggerMessageId: (r.triggerMessage as string | null | undefined) ?? null,
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
  });
}

export function toCalls(em: EntityManager, rows: readonly Record<string, unknown>[]): ToolCallRecord[] {
  return asEntityRows<ToolCallRow>(em, ToolCallEntity, rows).map((c) => ({
    id: c.id!,
    runId: c.run as string,
    turnSeq: c.turnSeq!,
    position: c.position!,
    callId: c.callId!,
    tool: c.tool!,
    args: (c.args as Record<string, unknown> | null | undefined) ?? null,
    gate: c.gate!,
    requestId: (c.request as string | null | undefined) ?? null,
    status: c.status!,
    idempotent: c.idempotent ?? false,
    output: c.output ?? null,
    error: c.error ?? null,
    result: c.result ?? null,
    startedAt: (c.startedAt as Date | null | undefined) ?? null,
    endedAt: (c.endedAt as Date | null | undefined) ?? null,
  }));
}

/** Requests joined with their run's place (`thread_ref` of the run) and trace id (`trace_id`), and their calls aggregated as `calls` (jsonb). */
export function toRequests(em: EntityManager, rows: readonly Record<string, unknown>[]): AgentRequest[] {
  const mapped = asEntityRows<AgentRequestRow>(em, AgentRequestEntity, rows);
  return mapped.map((row, i) => {
    const r = row as Placed<AgentRequestRow>;
    // Aggregated with jsonb_agg: timestamps arrive as text, which the mapper parses.
    const calls = toCalls(em, (rows[i]!.calls as Record<string, unknown>[] | null) ?? []).sort((a, b) => a.position - b.position);
    return {
      id: r.id!,
      runId: r.run as string,
      where: place(r, rows[i]!.thread_ref as string),
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
      planHash: r.planHash!,
      traceId: (rows[i]!.trace_id as string | null | undefined) ?? null,
      calls,
    };
  });
}
