import type { AgentRequest } from '../model/agent-request';
import type { Person } from '../model/conversation';
import type { RequestStatus } from '../model/message';
import { isoNow } from '../ports/clock';
import type { RunClaim } from '../ports/stores';
import type { CoreDeps } from '../core-deps';
import { ProgressTracker, type ProgressDeps } from './progress-tracker';
import type { RequestCards } from './request-cards';
import { resultRecord } from './result-message';
import type { RunEnd } from './run-actions';

/** The statuses a run ends in. */
const RUN_ENDS: ReadonlySet<RequestStatus> = new Set(['succeeded', 'failed', 'cancelled']);

export function isRunEnded(status: RequestStatus): boolean {
  return RUN_ENDS.has(status);
}

/**
 * Ends runs and tells people: the request's final status and its result row in one
 * statement, then the progress message's final state, the result message and the card.
 * Telling is idempotent (each part checks what is already done), so a redelivered job
 * can finish telling what a crashed one began.
 */
export class RunFinisher {
  constructor(
    private readonly deps: CoreDeps,
    private readonly cards: RequestCards,
  ) {}

  /**
   * Ends the run `claim` owns with `end`. If a Cancel landed meanwhile the run counts as
   * cancelled. Returns false when this worker no longer owns the run.
   */
  async end(claim: RunClaim, end: RunEnd, progress: ProgressTracker | null): Promise<boolean> {
    // Two tries: a Cancel may land between reading the status and ending the run.
    for (let tries = 0; tries < 2; tries++) {
      const current = await this.deps.requests.getRequest(claim.request.id);
      if (!current || (current.status !== 'running' && current.status !== 'cancelled')) return false;
      const final = current.status === 'cancelled' ? { ...end, outcome: 'cancelled' as const, error: null, errorCode: null } : end;
      const ended = await this.deps.runs.endRequest(current.id, {
        from: [current.status],
        attempt: claim.attempt,
        outcome: final.outcome,
        result: resultRecord(current, { ...final, attempt: claim.attempt, cancelledBy: current.cancelledBy ?? null }),
      });
      if (ended) {
        await this.tell(ended, progress);
        return true;
      }
    }
    return false;
  }

  /**
   * A worker died mid-run and the run cannot safely be repeated: it ends failed with
   * `interrupted` (or cancelled, if someone pressed Cancel), and the user is told why.
   */
  async interrupt(claim: RunClaim, why: string): Promise<void> {
    const now = isoNow(this.deps.clock);
    const end: RunEnd = {
      outcome: 'failed',
      output: '',
      error: `Interrupted: ${why}`,
      errorCode: 'interrupted',
      startedAt: null,
      endedAt: now,
      actions: claim.request.actions.map((a) => ({ tool: a.tool, args: a.args, outcome: 'interrupted', startedAt: null, endedAt: null, error: null })),
    };
    this.deps.log.warn({ requestId: claim.request.id, attempt: claim.attempt, why }, 'run interrupted');
    await this.end(claim, end, await ProgressTracker.resume(claim.request, this.progressDeps()));
  }

  /** Cancels a request no worker has started yet; the job that later finds it does nothing. */
  async cancelUnstarted(request: AgentRequest, by: Person): Promise<boolean> {
    const cancelledAt = isoNow(this.deps.clock);
    const ended = await this.deps.runs.endRequest(request.id, {
      from: ['approved'],
      outcome: 'cancelled',
      result: resultRecord(request, { outcome: 'cancelled', output: '', error: null, cancelledBy: by, endedAt: cancelledAt }),
      note: { cancelledBy: by, cancelledAt },
    });
    if (ended) await this.tell(ended, null);
    return ended !== null;
  }

  /**
   * A job found its request already ended (a redelivery after a crash): finishes telling.
   * A cancelled run whose worker died before ending it is ended here.
   */
  async settleEnded(request: AgentRequest): Promise<void> {
    const progress = await ProgressTracker.resume(request, this.progressDeps());
    if (request.status === 'cancelled') {
      const ended = await this.deps.runs.endRequest(request.id, {
        from: ['cancelled'],
        outcome: 'cancelled',
        result: resultRecord(request, { outcome: 'cancelled', output: '', error: null, cancelledBy: request.cancelledBy ?? null }),
      });
      if (ended) return this.tell(ended, progress);
    }
    await this.tell(request, progress);
  }

  progressDeps(): ProgressDeps {
    const { platforms, messages, runs, log, settings, clock } = this.deps;
    return { platforms, messages, runs, log, clock, intervalMs: settings.progressIntervalMs };
  }

  private async tell(request: AgentRequest, progress: ProgressTracker | null): Promise<void> {
    await progress?.finish(request.status === 'succeeded' ? 'done' : request.status === 'cancelled' ? 'cancelled' : 'failed');
    await this.postResult(request);
    await this.cards.refresh(request);
  }

  /** Posts the stored result unless an earlier attempt already did. */
  private async postResult(request: AgentRequest): Promise<void> {
    const result = await this.deps.runs.findRequestMessage(request.id, 'agent_result');
    if (!result || result.platformMessageId) return;
    try {
      const posted = await this.deps.platforms.get(request.where.platform).post(request.where, { text: result.text });
      await this.deps.messages.setPlatformMessageId(result.id, posted.messageId);
    } catch (err) {
      this.deps.log.error({ err, requestId: request.id }, 'could not post the result');
    }
  }
}
