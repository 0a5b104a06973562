import type { AgentRequest, Decision } from '../model/agent-request';
import { text } from '../model/card';
import { conversationOf, type Person, type ThreadRef } from '../model/conversation';
import type { PlannedAction } from '../model/message';
import type { PrivateReply } from '../ports/chat-platform';
import type { CoreDeps } from '../core-deps';
import { Outbox } from '../conversation/outbox';
import { describeWith } from './describe-action';
import { isApprover, mayDecide } from './decision-policy';
import { hashPlan } from './plan-hash';
import { requestCard } from './request-card';
import { resultRecord } from './result-message';

const POLICY_USER: Person = { id: 'policy', name: 'policy (read-only actions)' };

/** A request's life from proposal to decision: the card, who may decide, deciding once. */
export class RequestService {
  private readonly outbox: Outbox;

  constructor(private readonly deps: CoreDeps) {
    this.outbox = new Outbox(deps.platforms, deps.messages, deps.log);
  }

  /** Stores a checked plan as a pending request and posts its card. */
  async propose(where: ThreadRef, requester: Person, summary: string, actions: PlannedAction[], destructive: boolean): Promise<AgentRequest> {
    const request = await this.deps.requests.createRequest({
      where,
      summary,
      actions,
      destructive,
      requestedBy: requester,
      expiresAt: new Date(this.deps.clock.now().getTime() + this.deps.settings.requestTtlMs),
    });
    const posted = await this.deps.platforms.get(where.platform).post(where, this.card(request));
    await this.deps.messages.setPlatformMessageId(request.id, posted.messageId);
    const withCard = { ...request, cardMessageId: posted.messageId };
    this.deps.log.info({ requestId: request.id, destructive, tools: actions.map((a) => a.tool) }, 'request proposed');
    if (this.deps.settings.autoRunReadOnly && this.allReadOnly(withCard)) await this.approveByPolicy(withCard);
    return withCard;
  }

  /** A click or a `!approve` / `!deny`: checks who may decide, decides once, then edits the card. */
  async decide(requestId: string, decision: Decision, user: Person, reply: PrivateReply): Promise<void> {
    const log = this.deps.log.child({ requestId, decision, userId: user.id });
    const request = await this.deps.requests.getRequest(requestId);
    if (!request) return reply(text(`I can't find request ${requestId}.`));
    const refusal = this.stateRefusal(request);
    if (refusal) return reply(text(refusal));
    const platform = this.deps.platforms.get(request.where.platform);
    const authority = await platform.authority(conversationOf(request.where), user.id, this.deps.settings.policy.approvers);
    const verdict = mayDecide(request, decision, user, authority, this.deps.settings.policy);
    if (!verdict.allowed) {
      log.info({ why: verdict.why }, 'decision refused');
      return reply(text(verdict.why));
    }
    const planHash = decision === 'approved' ? hashPlan(request.actions) : null;
    const outcome = await this.deps.requests.decideRequest(requestId, decision, user, this.deps.clock.now(), planHash);
    if (!outcome.won) {
      log.info({ reason: outcome.reason }, 'decision lost');
      return reply(text(outcome.reason === 'expired' ? 'This request has expired.' : 'Someone already decided this request.'));
    }
    log.info('request decided');
    await this.afterDecision(outcome.request);
  }

  /** Cancel: stops an approved or running request; the runner notices between steps. */
  async cancel(requestId: string, user: Person, reply: PrivateReply): Promise<void> {
    const request = await this.deps.requests.getRequest(requestId);
    if (!request) return reply(text(`I can't find request ${requestId}.`));
    const authority = await this.deps.platforms
      .get(request.where.platform)
      .authority(conversationOf(request.where), user.id, this.deps.settings.policy.approvers);
    const allowed = request.requestedBy.id === user.id || request.decidedBy?.id === user.id || isApprover(user, authority, this.deps.settings.policy);
    if (!allowed) return reply(text('Only the requester, the approver or an approver can cancel this run.'));
    const cancelled = await this.deps.requests.transitionRequest(requestId, ['approved', 'running'], 'cancelled');
    if (!cancelled) return reply(text(`This request is ${request.status}; there is nothing to cancel.`));
    this.deps.log.info({ requestId, userId: user.id }, 'run cancelled');
    await reply(text('Cancelling: the run stops before its next step.'));
  }

  /** Edits a request's card to match its current state. Failures are logged: the state in Postgres is the truth. */
  async refreshCard(request: AgentRequest): Promise<void> {
    if (!request.cardMessageId) return;
    try {
      await this.outbox.update({ where: request.where, messageId: request.cardMessageId }, this.card(request));
    } catch (err) {
      this.deps.log.warn({ err, requestId: request.id }, 'could not update the request card');
    }
  }

  /** Expires every pending request past its time and edits their cards. Returns how many expired. */
  async expireDue(): Promise<number> {
    const expired = await this.deps.requests.expireDueRequests(this.deps.clock.now());
    for (const request of expired) {
      await this.refreshCard(request);
      await this.deps.messages.appendMessage(resultRecord(request, 'expired', '', null));
    }
    return expired.length;
  }

  card(request: AgentRequest) {
    return requestCard(request, describeWith(this.deps.tools, request.where));
  }

  private stateRefusal(request: AgentRequest): string | null {
    if (request.status === 'expired' || (request.status === 'pending' && request.expiresAt <= this.deps.clock.now())) {
      return 'This request has expired; ask again if it is still needed.';
    }
    if (request.status !== 'pending') return `This request was already ${request.status}${request.decidedBy ? ` by ${request.decidedBy.name}` : ''}.`;
    return null;
  }

  private async afterDecision(request: AgentRequest): Promise<void> {
    await this.refreshCard(request);
    if (request.status === 'approved') {
      await this.deps.queue.enqueue(request.id);
      return;
    }
    await this.deps.messages.appendMessage(resultRecord(request, 'denied', '', null));
  }

  private allReadOnly(request: AgentRequest): boolean {
    const scope = conversationOf(request.where);
    return request.actions.every((a) => this.deps.tools.find(a.tool, scope)?.readOnly === true);
  }

  private async approveByPolicy(request: AgentRequest): Promise<void> {
    const outcome = await this.deps.requests.decideRequest(request.id, 'approved', POLICY_USER, this.deps.clock.now(), hashPlan(request.actions));
    if (outcome.won) await this.afterDecision(outcome.request);
  }
}
