import type { WiredDeps } from '../core-deps';
import type { RequestCards } from '../approvals/request-cards';
import type { RunEnding } from './run-ending';
import { manualResultText, stoppedText } from './result-text';

/** How many runs one sweep looks at; the next sweep takes the rest. */
const SWEEP_BATCH = 100;
/** A result stored this long ago and still not posted lost its worker. */
const UNPOSTED_AFTER_MS = 60_000;

/**
 * What the periodic sweeps do for runs; each part is idempotent, so two processes sweeping
 * at once do no harm. An expired gate ends its run with a message; a run with a step due and
 * no live worker (a lapsed lease, a lost job) is handed to the queue again; a result whose
 * worker died before posting it is posted.
 */
export class RunSweeps {
  constructor(
    private readonly deps: WiredDeps,
    private readonly parts: { cards: RequestCards; ending: RunEnding },
  ) {}

  /** Expires every pending request past its time, edits its card and ends its run. Returns how many expired. */
  async expireDueRequests(): Promise<number> {
    const now = this.deps.clock.now();
    const expired = await this.deps.requests.expireDueRequests(now);
    for (const request of expired) {
      this.deps.log.info({ requestId: request.id, runId: request.runId, traceId: request.traceId }, 'request expired');
      const { platform } = request.where;
      this.deps.metrics.requestEnded({ platform, outcome: 'expired' });
      this.deps.metrics.approvalWaited({ platform, decision: 'expired', ms: now.getTime() - request.createdAt.getTime() });
      await this.parts.cards.refresh(request);
      const run = await this.deps.runs.getRun(request.runId);
      if (!run) continue;
      const text = run.kind === 'manual' ? manualResultText('expired', request.calls[0], null) : stoppedText('expired', null, null);
      await this.parts.ending.end(run, { status: 'expired', errorCode: 'expired', text });
    }
    return expired.length;
  }

  /** Hands runs whose step is due with no live worker back to the queue, and posts results left unposted. Returns how many runs. */
  async recoverStalledRuns(): Promise<number> {
    const stalled = await this.deps.runs.stalledRuns(SWEEP_BATCH);
    for (const runId of stalled) {
      this.deps.log.info({ runId }, 'stalled run handed to the queue');
      await this.deps.queue.enqueue(runId);
    }
    for (const result of await this.deps.runs.unpostedResults(UNPOSTED_AFTER_MS, SWEEP_BATCH)) await this.parts.ending.deliver(result);
    return stalled.length;
  }
}
