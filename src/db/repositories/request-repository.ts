import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { AgentRequest, DecideOutcome, Decision } from '../../core/model/agent-request';
import type { Person } from '../../core/model/conversation';
import type { UserRef } from '../../core/model/inbox';
import { CALL_MOVES, REQUEST_MOVES } from '../../core/model/run-transitions';
import type { RequestPage, RequestStore } from '../../core/ports/stores';
import type { NewMessage } from '../../core/model/message';
import { AgentRequestEntity, MessageEntity, ToolCallEntity } from '../entities';
import type { AgentRequestRow } from '../entities/agent-request.entity';
import type { HotSql } from '../hot-sql';
import { isUuid, storableJson, storableText } from '../sql-values';
import { dbNow } from './orm-parts';
import { DECIDE_REQUEST, GET_REQUEST, RECORD_CARD } from './request-statements';
import { placeOf, requestsOfRows, toCall, toRequest } from './row-mappers';
import { messageParams } from './statement-parts';
import { inFork, inTransaction } from './unit-of-work';

/** What the model reads for a call whose request expired. */
const EXPIRED_RESULT = 'The request expired before anyone decided; it did not run.';

/**
 * Gates, over `agent_request` and the `tool_call` rows they hold. Storing a card and deciding
 * are hot (request-statements.ts), one statement each; the rest go through the ORM.
 */
export class RequestRepository implements RequestStore {
  constructor(
    private readonly em: EntityManager,
    private readonly sql: HotSql,
  ) {}

  async getRequest(id: string): Promise<AgentRequest | null> {
    if (!isUuid(id)) return null;
    return requestsOfRows(this.em, await this.sql.rows(GET_REQUEST, { id }))[0] ?? null;
  }

  async awaitingDecisionBy(user: UserRef, as: { approver: boolean; fourEyes: boolean }, now: Date, limit: number): Promise<RequestPage> {
    // The approve rule of mayDecide: a destructive request needs an approver (not its requester
    // under four eyes); any other, an approver or its requester.
    const destructive: FilterQuery<AgentRequestRow>[] = as.approver ? [{ destructive: true, ...(as.fourEyes && { requestedById: { $ne: user.userId } }) }] : [];
    const other: FilterQuery<AgentRequestRow> = as.approver ? { destructive: false } : { destructive: false, requestedById: user.userId };
    return this.page(user, { status: { $in: [...REQUEST_MOVES.decide.from] }, expiresAt: { $gt: now }, $or: [other, ...destructive] }, limit);
  }

  async requestedBy(user: UserRef, limit: number): Promise<RequestPage> {
    return this.page(user, { requestedById: user.userId }, limit);
  }

  /** The newest `limit` requests of the user's workspace matching `where`, with how many match in all. */
  private async page(user: UserRef, where: FilterQuery<AgentRequestRow>, limit: number): Promise<RequestPage> {
    const inWorkspace: FilterQuery<AgentRequestRow> = { run: { conversation: { platform: user.platform, workspaceId: user.workspace } } };
    const [found, total] = await inFork(this.em, (em) => em.findAndCount(AgentRequestEntity, { $and: [where, inWorkspace] }, { fields: ['id'], orderBy: { createdAt: 'desc' }, limit }));
    const requests = found.length ? await inFork(this.em, (em) => requestsById(em, found.map((r) => r.id))) : [];
    return { requests, total };
  }

  async requestsOfRuns(runIds: readonly string[]): Promise<AgentRequest[]> {
    if (runIds.length === 0) return [];
    return inFork(this.em, async (em) => {
      const found = await em.find(AgentRequestEntity, { run: { $in: [...runIds] } }, { fields: ['id'], orderBy: { createdAt: 'asc' } });
      return found.length ? requestsById(em.fork(), found.map((r) => r.id)) : [];
    });
  }

  async recordCard(requestId: string, card: NewMessage<'agent_request'>): Promise<Pick<AgentRequest, 'status' | 'planHash'> | null> {
    const [linked] = await this.sql.rows(RECORD_CARD, { ...messageParams(card), requestId });
    return linked ? { status: linked.status, planHash: linked.plan_hash } : null;
  }

  async recordCardText(requestId: string, text: string): Promise<void> {
    await inFork(this.em, (em) => em.nativeUpdate(MessageEntity, { requestId, messageType: 'agent_request' }, { text: storableText(text) }));
  }

  async decideRequest(id: string, decision: Decision, by: Person, at: Parameters<RequestStore['decideRequest']>[3]): Promise<DecideOutcome> {
    if (!isUuid(id)) return { won: false, reason: 'not_found', request: null };
    // One conditional UPDATE decides: only a pending, unexpired request whose plan is still the
    // one shown moves, so exactly one caller wins however many race, on however many processes.
    // Its calls, its run and its card move in the same statement.
    const approved = decision === 'approved';
    const rows = await this.sql.rows(DECIDE_REQUEST, {
      id,
      decision,
      byId: by.id,
      byName: by.name,
      now: at.now,
      reason: at.reason,
      planHash: at.planHash,
      callStatus: approved ? 'ready' : 'denied',
      result: approved ? null : at.deniedResult,
      approved,
      cardText: at.cardText,
    });
    const [won] = requestsOfRows(this.em, rows);
    if (won) return { won: true, request: won };
    const current = await this.getRequest(id);
    if (!current) return { won: false, reason: 'not_found', request: null };
    if (current.status !== 'pending') return { won: false, reason: 'already_decided', request: current };
    if (current.expiresAt <= at.now) return { won: false, reason: 'expired', request: current };
    return { won: false, reason: 'plan_changed', request: current };
  }

  async editRequest(id: string, edits: Parameters<RequestStore['editRequest']>[1], expectedHash: string, planHash: string): Promise<AgentRequest | null> {
    if (!isUuid(id)) return null;
    // The new plan hash and the calls' new arguments commit together.
    return inTransaction(this.em, async (em) => {
      const moved = await em.nativeUpdate(AgentRequestEntity, { id, status: { $in: [...REQUEST_MOVES.edit.from] }, planHash: expectedHash }, { planHash });
      if (moved === 0) return null;
      for (const edit of edits) {
        await em.nativeUpdate(ToolCallEntity, { id: edit.callRecordId, request: id, status: { $in: [...CALL_MOVES.edit.from] } }, { args: storableJson(edit.args) });
      }
      return (await requestsById(em, [id]))[0] ?? null;
    });
  }

  async expireDueRequests(now: Date): Promise<AgentRequest[]> {
    const due = { status: { $in: [...REQUEST_MOVES.expire.from] }, expiresAt: { $lte: now } };
    // A sweep that finds nothing costs this one statement.
    const found = await inFork(this.em, (em) => em.find(AgentRequestEntity, due, { fields: ['id'] }));
    if (found.length === 0) return [];
    // Conditional again: a decision that landed since the read keeps its request.
    const expired = await inTransaction(this.em, async (em) => {
      const ids: { id: string }[] = await em
        .createQueryBuilder(AgentRequestEntity)
        .update({ status: 'expired' })
        .where({ ...due, id: { $in: found.map((r) => r.id) } })
        .returning(['id'])
        .execute('all', false);
      if (ids.length) {
        await em.nativeUpdate(ToolCallEntity, { request: { $in: ids.map((r) => r.id) }, status: { $in: [...CALL_MOVES.expire.from] } }, { status: 'expired', endedAt: dbNow(), result: EXPIRED_RESULT });
      }
      return ids.map((r) => r.id);
    });
    return expired.length ? inFork(this.em, (em) => requestsById(em, expired)) : [];
  }
}

/**
 * The requests `ids`, in that order, each with its calls and its run's place, in one statement:
 * read from the calls' side (every request gates at least one call, and a call knows its
 * request), since agent_request has no inverse relation to tool_call (a cycle the entity
 * definitions cannot express).
 */
async function requestsById(em: EntityManager, ids: readonly string[]): Promise<AgentRequest[]> {
  const calls = await em.find(ToolCallEntity, { request: { $in: [...ids] } }, { populate: ['request.run.conversation'], orderBy: { position: 'asc' } });
  return ids.flatMap((id) => {
    const gated = calls.filter((c) => c.request?.id === id);
    const request = gated[0]?.request;
    if (!request) return [];
    const run = request.run;
    return [toRequest(request, { place: placeOf(run.conversation), threadRef: run.threadRef, traceId: run.traceId ?? null }, gated.map((c) => toCall(c)))];
  });
}
