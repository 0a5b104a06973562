import { setTimeout as sleep } from 'node:timers/promises';
import type { AgentRequest } from '../model/agent-request';
import { conversationOf } from '../model/conversation';
import { epochMs } from '../ports/clock';
import type { RunClaim } from '../ports/stores';
import type { CoreDeps } from '../core-deps';
import { ProgressTracker } from './progress-tracker';
import type { RequestCards } from './request-cards';
import type { RequestService } from './request-service';
import { runActions } from './run-actions';
import { isRunEnded, type RunFinisher } from './run-finisher';
import { RunLease } from './run-lease';
import { heartbeatMs, leaseMs, maxRunAttempts } from './run-limits';

/**
 * What the execution queue's worker calls for a job. Delivery is at least once, so a run
 * starts with a conditional claim: a first delivery starts the approved request; a
 * redelivery of a run whose worker died takes it over and re-runs it only if every action
 * is idempotent (otherwise it ends failed, "interrupted"); a redelivery of an ended run
 * finishes telling the user. Nothing else ever runs an action.
 */
export class RequestRunner {
  private readonly finisher: RunFinisher;
  private readonly cards: RequestCards;

  constructor(
    private readonly deps: CoreDeps,
    service: RequestService,
  ) {
    this.finisher = service.finisher;
    this.cards = service.cards;
  }

  async run(requestId: string): Promise<void> {
    const started = await this.deps.runs.startRun(requestId);
    if (started) return this.attempt(started);
    const request = await this.deps.requests.getRequest(requestId);
    if (!request) return;
    if (request.status === 'running') return this.recover(request);
    if (isRunEnded(request.status)) return this.finisher.settleEnded(request);
    // pending, denied or expired: nothing was approved to run.
  }

  private async attempt(claim: RunClaim): Promise<void> {
    const { request, attempt } = claim;
    const log = this.deps.log.child({ requestId: request.id, attempt });
    log.info({ tools: request.actions.map((a) => a.tool) }, 'run started');
    // The card was edited a moment ago by the decision: its "running" edit waits for the
    // per-message edit interval, and the progress message must not wait behind it.
    const cardShowsRunning = this.cards.refresh(request);
    const progress = await ProgressTracker.open(request, this.finisher.progressDeps());
    await cardShowsRunning;
    const lease = new RunLease(request.id, attempt, this.deps.runs, heartbeatMs(this.deps.settings), log);
    const end = await runActions(request, {
      tools: this.deps.tools,
      actionTimeoutMs: this.deps.settings.actionTimeoutMs,
      step: (label) => progress.step(label),
      signal: lease.signal,
      clock: this.deps.clock,
    }).finally(() => lease.stop());
    if (lease.lost) {
      progress.abandon();
      log.warn('run taken over by another worker; leaving its ending to that one');
      return;
    }
    const ended = await this.finisher.end(claim, end, progress);
    log.info({ outcome: end.outcome, ended }, 'run finished');
  }

  private async recover(request: AgentRequest): Promise<void> {
    const claim = await this.reclaim(request.id);
    if (!claim) return;
    const log = this.deps.log.child({ requestId: request.id, attempt: claim.attempt });
    if (claim.attempt > maxRunAttempts(this.deps.settings)) {
      return this.finisher.interrupt(claim, `its run was cut short ${claim.attempt - 1} times, so it is not tried again.`);
    }
    const scope = conversationOf(claim.request.where);
    const unsafe = claim.request.actions.filter((a) => this.deps.tools.find(a.tool, scope)?.idempotent !== true).map((a) => a.tool);
    if (unsafe.length) {
      const tools = [...new Set(unsafe)].join(', ');
      return this.finisher.interrupt(claim, `the process running it stopped mid-run, and ${tools} is not safe to run twice, so it was not run again.`);
    }
    log.warn('worker died mid-run; running the idempotent actions again');
    await this.attempt(claim);
  }

  /**
   * Takes over a run whose worker fell silent. A live worker keeps beating and keeps its
   * run: after two leases of waiting this gives up and leaves the run to it.
   */
  private async reclaim(requestId: string): Promise<RunClaim | null> {
    const lease = leaseMs(this.deps.settings);
    const deadline = epochMs(this.deps.clock) + 2 * lease;
    for (;;) {
      const claim = await this.deps.runs.reclaimRun(requestId, lease);
      if (claim) return claim;
      const current = await this.deps.requests.getRequest(requestId);
      if (current && isRunEnded(current.status)) await this.finisher.settleEnded(current);
      if (current?.status !== 'running') return null;
      if (epochMs(this.deps.clock) > deadline) {
        this.deps.log.info({ requestId }, 'run is alive on another worker; leaving it there');
        return null;
      }
      await sleep(heartbeatMs(this.deps.settings));
    }
  }
}
