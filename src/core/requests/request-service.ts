import type { AgentRequest, Decision } from '../model/agent-request';
import { text } from '../model/card';
import { conversationOf, type Person, type ThreadRef } from '../model/conversation';
import type { PlannedAction } from '../model/message';
import type { PrivateReply } from '../ports/chat-platform';
import type { CoreDeps } from '../core-deps';
import { isApprover, mayDecide } from './decision-policy';
import { hashPlan } from './plan-hash';
import { RequestCards } from './request-cards';
import { resultRecord } from './result-message';
import { RunFinisher } from './run-finisher';
import { leaseMs, maxRunMs } from './run-limits';
import { quoteInput } from '../text';

const POLICY_USER: Person = { id: 'policy', name: 'policy (read-only actions)' };

/** How many stalled runs one sweep looks at; the next sweep takes the rest. */
const STALLED_BATCH = 100;

/** A request's life from proposal to decision: the card, who may decide, deciding once, cancel, expiry. */
export class RequestService {
  readonly cards: RequestCards;
  readonly finisher: RunFinisher;

  constructor(private readonly deps: CoreDeps) {
    this.cards = new RequestCards(deps);
    this.finisher = new RunFinisher(deps, this.cards);
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
    const posted = await this.deps.platforms.get(where.platform).post(where, this.cards.card(request));
    await this.deps.messages.setPlatformMessageId(request.id, posted.messageId);
    const withCard = { ...request, cardMessageId: posted.messageId };
    this.deps.log.info({ requestId: request.id, destructive, tools: actions.map((a) => a.tool), requestedBy: requester.id }, 'request proposed');
    if (this.deps.settings.autoRunReadOnly && this.allReadOnly(withCard)) await this.approveByPolicy(withCard);
    return withCard;
  }

  /** A click or a `!approve` / `!deny`: checks who may decide, decides once, then edits the card. */
  async decide(requestId: string, decision: Decision, user: Person, reply: PrivateReply): Promise<void> {
    const log = this.deps.log.child({ requestId, decision, userId: user.id });
    const request = await this.deps.requests.getRequest(requestId);
    if (!request) return reply(text(`I can't find request ${quoteInput(requestId)}.`));
    const refusal = this.stateRefusal(request, user);
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
      return reply(text(outcome.reason === 'expired' ? EXPIRED_NOTE : alreadyDecidedNote(outcome.request, user)));
    }
    log.info('request decided');
    await this.afterDecision(outcome.request);
  }

  /** Cancel: ends a request no worker has started, or tells the running one to stop between steps. */
  async cancel(requestId: string, user: Person, reply: PrivateReply): Promise<void> {
    const request = await this.deps.requests.getRequest(requestId);
    if (!request) return reply(text(`I can't find request ${quoteInput(requestId)}.`));
    const authority = await this.deps.platforms
      .get(request.where.platform)
      .authority(conversationOf(request.where), user.id, this.deps.settings.policy.approvers);
    const allowed = request.requestedBy.id === user.id || request.decidedBy?.id === user.id || isApprover(user, authority, this.deps.settings.policy);
    if (!allowed) return reply(text('Only the requester, whoever approved it, or an approver can cancel this run.'));
    const log = this.deps.log.child({ requestId, userId: user.id });
    if (await this.finisher.cancelUnstarted(request, user)) {
      log.info('request cancelled before its run started');
      return reply(text('Cancelled before it started; nothing ran.'));
    }
    const note = { cancelledBy: user, cancelledAt: this.deps.clock.now().toISOString() };
    const stopping = await this.deps.requests.transitionRequest(requestId, ['running'], 'cancelled', note);
    if (!stopping) {
      const current = await this.deps.requests.getRequest(requestId);
      return reply(text(`This request is ${current?.status ?? request.status}; there is nothing to cancel.`));
    }
    log.info('run cancelled');
    await reply(text('Cancelling: the run stops before its next step.'));
  }

  /** Expires every pending request past its time and edits their cards. Returns how many expired. */
  async expireDue(): Promise<number> {
    const expired = await this.deps.requests.expireDueRequests(this.deps.clock.now());
    for (const request of expired) {
      this.deps.log.info({ requestId: request.id }, 'request expired');
      await this.deps.runs.storeRequestMessage(request.id, resultRecord(request, { outcome: 'expired', output: '', error: null }));
      await this.cards.refresh(request);
    }
    return expired.length;
  }

  /**
   * Makes sure every run that should be going has a job: approved requests (a crash may
   * have come between deciding and enqueueing) and runs whose worker fell silent. Enqueueing
   * is idempotent; the worker's claim decides what, if anything, to run.
   */
  async recoverStalled(): Promise<number> {
    const stalled = await this.deps.runs.stalledRuns(leaseMs(this.deps.settings), STALLED_BATCH);
    for (const request of stalled) {
      this.deps.log.info({ requestId: request.id, status: request.status }, 'stalled run handed to the queue');
      await this.deps.queue.enqueue(request.id, maxRunMs(request, this.deps.settings));
    }
    return stalled.length;
  }

  private stateRefusal(request: AgentRequest, user: Person): string | null {
    if (request.status === 'expired' || (request.status === 'pending' && request.expiresAt <= this.deps.clock.now())) return EXPIRED_NOTE;
    if (request.status !== 'pending') return alreadyDecidedNote(request, user);
    return null;
  }

  private async afterDecision(request: AgentRequest): Promise<void> {
    await this.cards.refresh(request);
    if (request.status === 'approved') {
      await this.deps.queue.enqueue(request.id, maxRunMs(request, this.deps.settings));
      return;
    }
    await this.deps.runs.storeRequestMessage(request.id, resultRecord(request, { outcome: 'denied', output: '', error: null }));
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

const EXPIRED_NOTE = 'This request has expired; ask again if it is still needed.';

/**
 * The private note for a click on a request that is no longer pending. A double click, or
 * one click delivered to two replicas, reaches the person who made the decision: tell
 * them it counted rather than that someone else decided.
 */
function alreadyDecidedNote(request: AgentRequest | null, user: Person): string {
  if (!request?.decidedBy) return 'Someone already decided this request.';
  const verb = request.status === 'denied' ? 'denied' : 'approved';
  if (request.decidedBy.id === user.id) return `You already ${verb} this request; it is ${request.status}.`;
  return `This request was already ${verb} by ${request.decidedBy.name}; it is ${request.status}.`;
}
