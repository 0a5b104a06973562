import type { AgentRequest, DecideOutcome, Decision } from '../../../src/core/model/agent-request';
import type { Person } from '../../../src/core/model/conversation';
import type { UserRef } from '../../../src/core/model/inbox';
import type { NewMessage } from '../../../src/core/model/message';
import type { RequestPage, RequestStore } from '../../../src/core/ports/stores';
import { byCreation, checkedMetadata, type MemoryDatabase, type RequestRow } from './memory-database';
import { insertMessage, toRequest } from './memory-rows';

const EXPIRED_RESULT = 'The request expired before anyone decided; it did not run.';

/** Gates in memory: decided once, with their calls, their run and their card moving together. */
export class MemoryRequestStore implements RequestStore {
  constructor(private readonly db: MemoryDatabase) {}

  async getRequest(id: string): Promise<AgentRequest | null> {
    const row = this.db.requests.get(id);
    return row ? toRequest(this.db, row) : null;
  }

  async awaitingDecisionBy(user: UserRef, as: { approver: boolean; fourEyes: boolean }, now: Date, limit: number): Promise<RequestPage> {
    // The approve rule of mayDecide: a destructive request needs an approver (not its
    // requester under four eyes); any other, an approver or its requester.
    const mayApprove = (q: RequestRow) => {
      const own = q.requestedBy.id === user.userId;
      return q.destructive ? as.approver && !(as.fourEyes && own) : as.approver || own;
    };
    return this.page(user, limit, (q) => q.status === 'pending' && q.expiresAt.getTime() > now.getTime() && mayApprove(q));
  }

  async requestedBy(user: UserRef, limit: number): Promise<RequestPage> {
    return this.page(user, limit, (q) => q.requestedBy.id === user.userId);
  }

  /** The newest `limit` requests of the user's workspace that `matches`, with how many match in all. */
  private page(user: UserRef, limit: number, matches: (q: RequestRow) => boolean): RequestPage {
    const inWorkspace = (q: RequestRow) => {
      const { where } = this.db.runs.get(q.runId)!;
      return where.platform === user.platform && where.workspace === user.workspace;
    };
    const found = this.db.requestsWhere((q) => inWorkspace(q) && matches(q)).sort((a, b) => byCreation(b, a));
    return { requests: found.slice(0, limit).map((q) => toRequest(this.db, q)), total: found.length };
  }

  async requestsOfRuns(runIds: readonly string[]): Promise<AgentRequest[]> {
    return this.db
      .requestsWhere((q) => runIds.includes(q.runId))
      .sort(byCreation)
      .map((q) => toRequest(this.db, q));
  }

  async recordCard(requestId: string, card: NewMessage<'agent_request'>): Promise<Pick<AgentRequest, 'status' | 'planHash'> | null> {
    checkedMetadata('agent_request', card.metadata);
    // One card per request: a second post of it stores nothing new.
    if (!this.cardOf(requestId)) insertMessage(this.db, { ...card, role: 'assistant', traceId: undefined }, { requestId });
    const request = this.db.requests.get(requestId);
    if (!request) return null;
    request.cardMessageId = card.platformMessageId;
    return { status: request.status, planHash: request.planHash };
  }

  async recordCardText(requestId: string, text: string): Promise<void> {
    const card = this.cardOf(requestId);
    if (card) card.text = text;
  }

  async decideRequest(id: string, decision: Decision, by: Person, at: Parameters<RequestStore['decideRequest']>[3]): Promise<DecideOutcome> {
    const request = this.db.requests.get(id);
    if (!request) return { won: false, reason: 'not_found', request: null };
    if (request.status !== 'pending') return { won: false, reason: 'already_decided', request: toRequest(this.db, request) };
    if (request.expiresAt.getTime() <= at.now.getTime()) return { won: false, reason: 'expired', request: toRequest(this.db, request) };
    if (request.planHash !== at.planHash) return { won: false, reason: 'plan_changed', request: toRequest(this.db, request) };
    Object.assign(request, { status: decision, decidedBy: { ...by }, decidedAt: new Date(at.now), reason: at.reason });
    const approved = decision === 'approved';
    const now = this.db.now();
    for (const call of this.db.callsWhere((c) => c.requestId === id && c.status === 'pending')) {
      Object.assign(call, approved ? { status: 'ready', result: null, endedAt: null } : { status: 'denied', result: at.deniedResult, endedAt: now });
    }
    const run = this.db.runs.get(request.runId);
    if (run?.status === 'waiting') run.status = 'running';
    const card = this.cardOf(id);
    if (card) card.text = at.cardText;
    return { won: true, request: toRequest(this.db, request) };
  }

  async editRequest(id: string, edits: Parameters<RequestStore['editRequest']>[1], expectedHash: string, planHash: string): Promise<AgentRequest | null> {
    const request = this.db.requests.get(id);
    if (!request || request.status !== 'pending' || request.planHash !== expectedHash) return null;
    request.planHash = planHash;
    for (const edit of edits) {
      const call = this.db.calls.get(edit.callRecordId);
      if (call?.requestId === id && call.status === 'pending') call.args = structuredClone(edit.args);
    }
    return toRequest(this.db, request);
  }

  async expireDueRequests(now: Date): Promise<AgentRequest[]> {
    const due = this.db.requestsWhere((q) => q.status === 'pending' && q.expiresAt.getTime() <= now.getTime());
    const ended = this.db.now();
    for (const request of due) {
      request.status = 'expired';
      for (const call of this.db.callsWhere((c) => c.requestId === request.id && c.status === 'pending')) {
        Object.assign(call, { status: 'expired', endedAt: ended, result: EXPIRED_RESULT });
      }
    }
    return due.map((q) => toRequest(this.db, q));
  }

  private cardOf(requestId: string) {
    return this.db.messagesWhere((m) => m.requestId === requestId && m.type === 'agent_request')[0];
  }
}
