import type { AgentRequest, DecideOutcome, Decision } from '../model/agent-request';
import { text } from '../model/card';
import { conversationOf, type Person } from '../model/conversation';
import type { ApprovalPolicy } from '../model/approval-policy';
import type { PrivateReply } from '../ports/chat-platform';
import { requestApproval } from '../policy/tool-policy';
import type { WiredDeps } from '../core-deps';
import { quoteInput } from '../text/quote-input';
import { truncate } from '../text/truncate';
import { originRefusal, type DecisionOrigin } from './decision-origin';
import { isApprover, mayDecide } from './decision-policy';
import type { RequestCards } from './request-cards';

/** A decision as it arrives from a click, a form or a command. */
export interface DecideInput {
  readonly requestId: string;
  readonly decision: Decision;
  readonly user: Person;
  readonly origin: DecisionOrigin;
  /** The plan hash the Approve button carried; a typed approval takes the plan as it stands. */
  readonly shownPlanHash?: string | null;
  readonly reason?: string | null;
  /** A typed approval of a destructive request must say `confirm`. */
  readonly confirmed?: boolean;
  /**
   * Someone who may set policy, approving with "Always allow here": for a non-destructive
   * request they count as an approver (they could let the tool run unasked anyway). Default false.
   */
  readonly byPolicyAdmin?: boolean;
}

/** The longest deny reason kept; the model reads it, so it is bounded like any input. */
export const MAX_REASON_CHARS = 500;

/** A request, if `user` may act on it from `origin`; otherwise null, with the why already answered. */
export interface Checked {
  readonly request: AgentRequest;
  readonly approver: boolean;
  /** Who may decide this request: APPROVERS and FOUR_EYES, or its tools' rules in its channel. */
  readonly policy: ApprovalPolicy;
}

/**
 * Deciding a request: who may, from where, once. Every decision goes through the same checks
 * whether it came from a button, a form or a typed command, and is taken by one conditional
 * UPDATE that also readies (or denies) its calls; the run then takes its next step.
 */
export class RequestDecisions {
  constructor(
    private readonly deps: WiredDeps,
    private readonly cards: RequestCards,
  ) {}

  /** Loads the request and refuses, privately, when it is unknown or `origin` is not where it lives. */
  async check(requestId: string, user: Person, origin: DecisionOrigin, reply: PrivateReply): Promise<Checked | null> {
    const request = await this.deps.requests.getRequest(requestId);
    if (!request) {
      await reply(text(`I can't find request ${quoteInput(requestId)}.`));
      return null;
    }
    const scope = conversationOf(request.where);
    const rules = await this.deps.policyCache.rulesIn(scope);
    const { approverLists, policy } = requestApproval(request.calls.map((c) => c.tool), scope, rules, this.deps.settings.policy);
    const authority = await this.deps.platforms.get(request.where.platform).authority(scope, user.id, policy.approvers);
    const approver = approverLists.every((approvers) => isApprover(user, authority, { ...policy, approvers }));
    const misplaced = originRefusal(origin, request, approver, user.id);
    if (misplaced) {
      this.deps.log.warn({ requestId, traceId: request.traceId, userId: user.id, origin }, 'decision from outside its request refused');
      await reply(text(misplaced));
      return null;
    }
    const stale = this.stateRefusal(request, user);
    if (stale) {
      await reply(text(stale));
      return null;
    }
    return { request, approver, policy };
  }

  /** Decides, once; true when this decision is the one taken (every refusal answered privately). */
  async decide(input: DecideInput, reply: PrivateReply): Promise<boolean> {
    const checked = await this.check(input.requestId, input.user, input.origin, reply);
    if (!checked) return false;
    const { request, policy } = checked;
    const approver = checked.approver || (input.byPolicyAdmin === true && !request.destructive);
    const log = this.deps.log.child({ requestId: request.id, runId: request.runId, traceId: request.traceId, decision: input.decision, userId: input.user.id });
    const verdict = mayDecide(request, input.decision, input.user, approver, policy);
    if (!verdict.allowed) {
      log.info({ why: verdict.why }, 'decision refused');
      return refused(reply, verdict.why);
    }
    if (input.decision === 'approved' && request.destructive && input.origin.via === 'command' && !input.confirmed) {
      return refused(reply, `This request is destructive. If you are sure, type: !approve ${request.id} confirm`);
    }
    const reason = input.reason?.trim() ? truncate(input.reason.trim(), MAX_REASON_CHARS) : null;
    const now = this.deps.clock.now();
    // The card as this decision will show it, stored by the statement that decides.
    const decided: AgentRequest = { ...request, status: input.decision, decidedBy: { id: input.user.id, name: input.user.name }, decidedAt: now, reason };
    const outcome = await this.deps.requests.decideRequest(request.id, input.decision, input.user, {
      now,
      planHash: input.shownPlanHash ?? request.planHash,
      reason,
      deniedResult: `Denied by ${input.user.name}${reason ? `: ${reason}` : ''}. It did not run.`,
      cardText: this.cards.card(decided).text,
    });
    if (!outcome.won) {
      log.info({ reason: outcome.reason }, 'decision lost');
      return refused(reply, lostNote(outcome, input.user));
    }
    log.info('request decided');
    const { platform } = request.where;
    this.deps.metrics.requestEnded({ platform, outcome: input.decision });
    this.deps.metrics.approvalWaited({ platform, decision: input.decision, ms: now.getTime() - request.createdAt.getTime() });
    // Approved or denied, the run goes on (to the calls, or to the model with the denial).
    this.deps.sessions.show(request.where, 'processing');
    await this.cards.showDecided(outcome.request);
    // A click that beat the card's record: the card's row, written after this decision looked
    // for it, may still read "Approval needed". (Before the record, posting the card fixes it.)
    if (request.cardMessageId === null) await this.deps.requests.recordCardText(request.id, this.cards.card(outcome.request).text);
    // Approved calls run, denied ones go back to the model: either way the run's next step is due.
    await this.deps.queue.enqueue(request.runId);
    return true;
  }

  private stateRefusal(request: AgentRequest, user: Person): string | null {
    if (request.status === 'expired' || (request.status === 'pending' && request.expiresAt <= this.deps.clock.now())) return EXPIRED_NOTE;
    if (request.status !== 'pending') return alreadyDecidedNote(request, user);
    return null;
  }
}

async function refused(reply: PrivateReply, why: string): Promise<false> {
  await reply(text(why));
  return false;
}

const EXPIRED_NOTE = 'This request has expired; ask again if it is still needed.';

function lostNote(outcome: Extract<DecideOutcome, { won: false }>, user: Person): string {
  switch (outcome.reason) {
    case 'not_found':
      return 'I can no longer find that request.';
    case 'expired':
      return EXPIRED_NOTE;
    case 'plan_changed':
      return 'The calls were edited after that card was shown: look at the card again before deciding.';
    case 'already_decided':
      return alreadyDecidedNote(outcome.request, user);
  }
}

/**
 * The private note for a decision on a request that is no longer pending. A double click, or
 * one click delivered to two replicas, reaches the person who made the decision: tell them it
 * counted rather than that someone else decided.
 */
function alreadyDecidedNote(request: AgentRequest | null, user: Person): string {
  if (!request?.decidedBy) return request?.status === 'cancelled' ? 'This request was cancelled.' : 'Someone already decided this request.';
  const verb = request.status === 'denied' ? 'denied' : 'approved';
  if (request.decidedBy.id === user.id) return `You already ${verb} this request.`;
  return `This request was already ${verb} by ${request.decidedBy.name}.`;
}
