import type { EntityManager } from '@mikro-orm/postgresql';
import type { AgentRequest } from '../../core/model/agent-request';
import type { AgentRun, RunStatus } from '../../core/model/agent-run';
import type { ConversationRef, Person, ThreadRef } from '../../core/model/conversation';
import type { MessageType, NewMessage, StoredMessage } from '../../core/model/message';
import { CALL_MOVES, REQUEST_MOVES, RUN_MOVES } from '../../core/model/run-transitions';
import type { CallEnd, NewModelTurn, NewRequest, RunMessageType, RunStore, RunTranscript, StepClaim } from '../../core/ports/stores';
import { AgentRequestEntity, AgentRunEntity, AgentTurnEntity, MessageEntity, ToolCallEntity } from '../entities';
import type { AgentTurnRow } from '../entities/agent-turn.entity';
import type { HotSql } from '../hot-sql';
import { isUuid, jsonParam, storableText } from '../sql-values';
import { ago, dbNow, inConversation } from './orm-parts';
import { requestParams, turnParams } from './request-statements';
import { asEntityRows, callsOfRows, messageOf, messagesOfRows, requestsOfRows, runOf, runsOfRows } from './row-mappers';
import { APPEND_TURN, CLAIM_STEP, CREATE_RUN, END_CALL, END_RUN, RELEASE_STEP, RENEW_LEASE, START_CALL, STORE_RUN_MESSAGE, TRANSCRIPT, WAKE_DECIDED } from './run-statements';
import { MESSAGE, messageParams, placeParams, RUN } from './statement-parts';
import { inFork, inTransaction } from './unit-of-work';
import { validateMetadata } from './validate-metadata';

/** How long an unposted result is retried before it is left alone. */
const UNPOSTED_FOR_MS = 10 * 60_000;

/**
 * Runs, their turns and calls, over `agent_run`, `agent_turn` and `tool_call`. A step's
 * statements are hot (run-statements.ts), each one statement; the rest go through the ORM.
 */
export class RunRepository implements RunStore {
  constructor(
    private readonly em: EntityManager,
    private readonly sql: HotSql,
  ) {}

  async createRun(input: Parameters<RunStore['createRun']>[0]): Promise<{ run: AgentRun; request: AgentRequest | null } | null> {
    const { where } = input;
    const [row] = await this.sql.rows(CREATE_RUN, {
      ...placeParams(where),
      ...turnParams(input.turn),
      ...requestParams(input.request),
      thread: where.thread,
      kind: input.kind,
      status: input.status,
      requestedById: input.requestedBy.id,
      requestedByName: input.requestedBy.name,
      triggerMessageId: input.triggerMessageId,
      traceId: input.traceId ?? null,
      deadlineAt: input.deadlineAt,
    });
    if (!row) return null;
    return { run: runsOfRows(this.em, [row])[0]!, request: row.request ? requestsOfRows(this.em, [row.request])[0]! : null };
  }

  async getRun(id: string): Promise<AgentRun | null> {
    if (!isUuid(id)) return null;
    const run = await inFork(this.em, (em) => em.findOne(AgentRunEntity, { id }, { populate: ['conversation'] }));
    return run ? runOf(run) : null;
  }

  async transcript(runId: string): Promise<RunTranscript> {
    const [row] = await this.sql.rows(TRANSCRIPT, { runId });
    const turns = asEntityRows<AgentTurnRow>(this.em, AgentTurnEntity, row?.turns ?? []).map((t) => ({ seq: t.seq!, content: t.content ?? null }));
    return { turns, calls: callsOfRows(this.em, row?.calls ?? []), planHashes: new Map(Object.entries(row?.plans ?? {})) };
  }

  async claimStep(runId: string, leaseMs: number): Promise<StepClaim | null> {
    if (!isUuid(runId)) return null;
    const [row] = await this.sql.rows(CLAIM_STEP, { runId, leaseMs: Math.round(leaseMs) });
    return row ? { run: runsOfRows(this.em, [row])[0]!, token: row[RUN.leaseToken] as string } : null;
  }

  async renewLease(claim: StepClaim, leaseMs: number): Promise<RunStatus | null> {
    const [row] = await this.sql.rows(RENEW_LEASE, { runId: claim.run.id, token: claim.token, leaseMs: Math.round(leaseMs) });
    return row?.status ?? null;
  }

  async releaseStep(claim: StepClaim, status: 'running' | 'waiting'): Promise<boolean> {
    return (await this.sql.rows(RELEASE_STEP, { runId: claim.run.id, token: claim.token, status })).length > 0;
  }

  async wakeDecided(runId: string): Promise<boolean> {
    return (await this.sql.rows(WAKE_DECIDED, { runId })).length > 0;
  }

  async startCall(claim: StepClaim, callRecordId: string): Promise<boolean> {
    return (await this.sql.rows(START_CALL, { callRecordId, token: claim.token })).length > 0;
  }

  async endCall(claim: StepClaim, callRecordId: string, end: CallEnd): Promise<boolean> {
    return (await this.sql.rows(END_CALL, { callRecordId, token: claim.token, ...end })).length > 0;
  }

  async appendTurn(claim: StepClaim, turn: NewModelTurn, request: NewRequest | null): Promise<AgentRequest | null> {
    const [row] = await this.sql.rows(APPEND_TURN, { ...turnParams(turn), ...requestParams(request), runId: claim.run.id, token: claim.token });
    return row?.request ? requestsOfRows(this.em, [row.request])[0]! : null;
  }

  async endRun(runId: string, end: Parameters<RunStore['endRun']>[1]): ReturnType<RunStore['endRun']> {
    const metadata = validateMetadata('agent_result', end.result.metadata);
    const { author, text } = end.result;
    const [row] = await this.sql.rows(END_RUN, {
      runId,
      token: end.claim?.token ?? null,
      status: end.status,
      errorCode: end.errorCode,
      authorId: author.id,
      authorName: author.name,
      text,
      metadata: jsonParam(metadata),
    });
    if (!row) return null;
    const run = runsOfRows(this.em, [row])[0]!;
    const result = { ...end.result, id: row.result_id, where: run.where, platformMessageId: null, metadata, traceId: null, createdAt: new Date(row.result_created_at) };
    return { run, result };
  }

  async cancelRun(runId: string, by: Person): Promise<AgentRun | null> {
    if (!isUuid(runId)) return null;
    const name = storableText(by.name);
    // The run, its waiting requests and its unstarted calls move together.
    return inTransaction(this.em, async (em) => {
      const moved = await em.nativeUpdate(AgentRunEntity, { id: runId, status: { $in: [...RUN_MOVES.cancel.from] } }, { status: 'cancelled', cancelledById: storableText(by.id), cancelledByName: name });
      if (moved === 0) return null;
      await em.nativeUpdate(AgentRequestEntity, { run: runId, status: { $in: [...REQUEST_MOVES.cancel.from] } }, { status: 'cancelled' });
      await em.nativeUpdate(ToolCallEntity, { run: runId, status: { $in: [...CALL_MOVES.cancel.from] } }, { status: 'cancelled', endedAt: dbNow(), result: `Cancelled by ${name} before it ran.` });
      return runOf(await em.findOneOrFail(AgentRunEntity, { id: runId }, { populate: ['conversation'] }));
    });
  }

  async stalledRuns(limit: number, releasedForMs = 10_000): Promise<string[]> {
    // A released run whose next job was lost (a crash between release and enqueue), or a
    // held lease that lapsed (its worker died); not one already told.
    const rows = await inFork(this.em, (em) =>
      em
        .createQueryBuilder(AgentRunEntity, 'r')
        .select('r.id')
        .where({
          status: { $in: [...RUN_MOVES.claim.from] },
          $or: [
            { leaseToken: null, leaseUntil: { $lt: ago(releasedForMs) } },
            { leaseToken: { $ne: null }, leaseUntil: { $lt: dbNow() } },
          ],
        })
        .andWhere(`not exists (select 1 from ${MESSAGE.$table} x where x.${MESSAGE.runId} = r.${RUN.id} and x.${MESSAGE.messageType} = ?)`, ['agent_result' satisfies MessageType])
        .orderBy({ createdAt: 'asc' })
        .limit(limit)
        .execute('all', false),
    );
    return (rows as { id: string }[]).map((r) => r.id);
  }

  async storeRunMessage<T extends RunMessageType>(runId: string, message: NewMessage<T>): Promise<{ message: StoredMessage; isNew: boolean }> {
    const [row] = await this.sql.rows(STORE_RUN_MESSAGE, { ...messageParams(message), runId });
    if (row) return { message: messagesOfRows(this.em, [row])[0]!, isNew: true };
    // Someone stored it first; a fresh statement sees their row.
    return { message: (await this.findRunMessage(runId, message.type))!, isNew: false };
  }

  async findRunMessage(runId: string, type: RunMessageType): Promise<StoredMessage | null> {
    if (!isUuid(runId)) return null;
    const found = await inFork(this.em, (em) => em.findOne(MessageEntity, { runId, messageType: type }, { populate: ['conversation'] }));
    return found ? messageOf(found) : null;
  }

  async unpostedResults(olderThanMs: number, limit: number): Promise<StoredMessage[]> {
    const found = await inFork(this.em, (em) =>
      em.find(
        MessageEntity,
        { messageType: 'agent_result', platformMessageId: null, runId: { $ne: null }, createdAt: { $lt: ago(olderThanMs), $gt: ago(UNPOSTED_FOR_MS) } },
        { populate: ['conversation'], orderBy: { createdAt: 'asc' }, limit },
      ),
    );
    return found.map(messageOf);
  }

  async recentRuns(conversation: ConversationRef, limit: number): Promise<AgentRun[]> {
    const found = await inFork(this.em, (em) => em.find(AgentRunEntity, inConversation(conversation), { populate: ['conversation'], orderBy: { createdAt: 'desc' }, limit }));
    return found.map(runOf);
  }

  async liveRunsIn(thread: ThreadRef): Promise<AgentRun[]> {
    // Not ended yet: the runs that may still end, which a Stop in the thread cancels.
    const found = await inFork(this.em, (em) =>
      em.find(
        AgentRunEntity,
        { ...inConversation(thread), threadRef: storableText(thread.thread), status: { $in: [...RUN_MOVES.end.from] } },
        { populate: ['conversation'], orderBy: { createdAt: 'asc' } },
      ),
    );
    return found.map(runOf);
  }
}
