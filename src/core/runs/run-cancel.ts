import { text } from '../model/card';
import { conversationOf, type Person } from '../model/conversation';
import type { AgentRun, RunStatus } from '../model/agent-run';
import type { PrivateReply } from '../ports/chat-platform';
import type { CoreDeps } from '../core-deps';
import { isApprover } from '../approvals/decision-policy';
import type { PlacedOrigin } from '../approvals/decision-origin';
import { quoteInput } from '../text/quote-input';
import { leaseMs } from './run-timing';
import { manualResultText, stoppedText } from './result-text';
import type { RunEnding } from './run-ending';

/**
 * What a cancel did: `refused` (`why` says so to the person), `over` (the run had ended),
 * `stopping` (its worker stops it at its next lease renewal) or `ended` (ended here and now).
 */
export type CancelOutcome =
  | { readonly kind: 'refused'; readonly why: string }
  | { readonly kind: 'over'; readonly status: RunStatus }
  | { readonly kind: 'stopping' }
  | { readonly kind: 'ended' };

/**
 * Cancel, at any step: a run waiting for a decision ends at once; a running one is marked
 * cancelled and its worker, at its next lease renewal, stops the call under way and ends it.
 * By the requester, whoever decided one of its requests, or an approver; from the run's own
 * channel (a typed `!cancel` from elsewhere only by an approver, and never from another workspace).
 */
export class RunCancel {
  constructor(
    private readonly deps: CoreDeps,
    private readonly ending: RunEnding,
  ) {}

  /** `id` is the run's (on the progress message's button) or one of its requests' (on a card). */
  async cancel(id: string, user: Person, origin: PlacedOrigin, reply: PrivateReply): Promise<void> {
    const run = await this.runOf(id);
    if (!run) return reply(text(`I can't find run or request ${quoteInput(id)}.`));
    const outcome = await this.cancelRun(run, user, origin);
    switch (outcome.kind) {
      case 'refused':
        return reply(text(outcome.why));
      case 'over':
        return reply(text(`This run has ended (${outcome.status}); there is nothing to cancel.`));
      case 'stopping':
        return reply(text('Cancelling: the run stops before its next step.'));
      case 'ended':
        return reply(text('Cancelled; nothing more ran.'));
    }
  }

  /** Cancels `run` for `user` from `origin`, once however many ask (the conditional update decides). */
  async cancelRun(run: AgentRun, user: Person, origin: PlacedOrigin): Promise<CancelOutcome> {
    const { policy } = this.deps.settings;
    const authority = await this.deps.platforms.get(run.where.platform).authority(conversationOf(run.where), user.id, policy.approvers);
    const approver = isApprover(user, authority, policy);
    const refusal = this.refusal(run, user, origin, approver, await this.deciders(run.id));
    if (refusal) return { kind: 'refused', why: refusal };
    const cancelled = await this.deps.runs.cancelRun(run.id, user);
    if (!cancelled) return { kind: 'over', status: run.status };
    this.deps.log.info({ runId: run.id, traceId: run.traceId, userId: user.id }, 'run cancelled');
    // No worker holds the run (it waits for a decision, or its next step is not taken yet): end it now.
    // Otherwise its worker notices at its next lease renewal, stops the call under way and ends it.
    const claim = await this.deps.runs.claimStep(run.id, leaseMs(this.deps.settings));
    if (!claim) return { kind: 'stopping' };
    const { calls } = await this.deps.runs.transcript(run.id);
    const latest = calls.filter((c) => c.turnSeq === claim.run.turns)[0];
    const ended = claim.run.kind === 'manual' ? manualResultText('cancelled', latest, user) : stoppedText('cancelled', null, user);
    await this.ending.end(claim.run, { status: 'cancelled', errorCode: null, text: ended }, claim);
    return { kind: 'ended' };
  }

  private async runOf(id: string): Promise<AgentRun | null> {
    const run = await this.deps.runs.getRun(id);
    if (run) return run;
    const request = await this.deps.requests.getRequest(id);
    return request ? this.deps.runs.getRun(request.runId) : null;
  }

  private async deciders(runId: string): Promise<Set<string>> {
    const requests = await this.deps.requests.requestsOfRuns([runId]);
    return new Set(requests.flatMap((r) => (r.decidedBy ? [r.decidedBy.id] : [])));
  }

  private refusal(run: AgentRun, user: Person, origin: PlacedOrigin, approver: boolean, deciders: ReadonlySet<string>): string | null {
    const { where } = origin;
    if (where.platform !== run.where.platform || where.workspace !== run.where.workspace) return 'That run belongs to another workspace.';
    if (where.channel !== run.where.channel && (origin.via === 'click' || !approver)) return 'That run lives in another channel: cancel it there.';
    const allowed = approver || run.requestedBy.id === user.id || deciders.has(user.id);
    return allowed ? null : 'Only the requester, whoever approved it, or an approver can cancel this run.';
  }
}
