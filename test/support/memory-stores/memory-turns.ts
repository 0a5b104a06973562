import type { AgentRequest } from '../../../src/core/model/agent-request';
import type { TokenUsage } from '../../../src/core/model/agent-run';
import type { NewModelTurn, NewRequest } from '../../../src/core/ports/stores';
import type { MemoryDatabase, RunRow } from './memory-database';
import { toRequest } from './memory-rows';

const addUsage = (a: TokenUsage, b: TokenUsage | null): TokenUsage =>
  b ? { promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens, totalTokens: a.totalTokens + b.totalTokens } : a;

/**
 * Stores a model turn of `run` as its next one: the turn, its token usage summed on the run,
 * its calls (gated ones linked to `request`) and the request, as createRun and appendTurn do.
 */
export function insertModelTurn(db: MemoryDatabase, run: RunRow, turn: NewModelTurn, request: NewRequest | null): AgentRequest | null {
  const now = db.now();
  run.turns += 1;
  run.toolCalls += turn.calls.length;
  run.usage = addUsage(run.usage, turn.usage);
  db.turns.push({ runId: run.id, seq: run.turns, content: turn.content, usage: turn.usage && { ...turn.usage } });
  if (request) {
    db.requests.set(request.id, {
      id: request.id,
      seq: db.nextSeq(),
      runId: run.id,
      summary: request.summary,
      destructive: request.destructive,
      status: 'pending',
      requestedBy: { ...run.requestedBy },
      decidedBy: null,
      decidedAt: null,
      reason: null,
      expiresAt: new Date(request.expiresAt),
      createdAt: now,
      cardMessageId: null,
      cardToken: request.cardToken,
      planHash: request.planHash,
    });
  }
  turn.calls.forEach((call, position) => {
    const id = db.newId();
    db.calls.set(id, {
      id,
      runId: run.id,
      turnSeq: run.turns,
      position,
      callId: call.callId,
      tool: call.tool,
      args: structuredClone(call.args),
      gate: call.gate,
      requestId: call.gate === 'gated' ? (request?.id ?? null) : null,
      status: call.status,
      idempotent: call.idempotent,
      output: null,
      error: null,
      result: call.result,
      startedAt: null,
      endedAt: call.status === 'refused' ? now : null,
    });
  });
  return request ? toRequest(db, db.requests.get(request.id)!) : null;
}
