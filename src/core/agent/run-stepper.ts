import type { Logger } from '../../logging/logger';
import { conversationOf } from '../model/conversation';
import type { AgentRun, BudgetLimit, RunOutcome } from '../model/agent-run';
import type { FeedbackMark } from '../model/card';
import type { ToolCallRecord } from '../model/tool-call';
import type { ModelTurnRecord } from '../ports/stores';
import type { WiredDeps } from '../core-deps';
import { userFacingMessage } from '../user-facing-error';
import { runCall } from '../runs/call-runner';
import type { RunEnding } from '../runs/run-ending';
import { manualResultText, stoppedText } from '../runs/result-text';
import type { ProgressBoard } from '../runs/progress-board';
import { StepLease } from '../runs/step-lease';
import { showCalls } from '../approvals/show-calls';
import { hashPlan } from '../approvals/shown-plan';
import { buildPrompt } from './agent-prompt';
import { DEFAULT_LIVE_TIMINGS, LiveAnswer } from './live-answer';
import { callModel } from './model-call';
import { limitNote, reachedLimit } from './budgets';
import { heartbeatMs, leaseMs, maxRunAttempts } from '../runs/run-timing';
import { runTranscript } from './transcript';
import { toolDefinitions } from './tool-definitions';
import type { TurnPlanner } from './turn-planner';

/** Default characters of thread history in a prompt. */
export const DEFAULT_HISTORY_BUDGET_CHARS = 12_000;

const CALL_OUTCOME: Partial<Record<ToolCallRecord['status'], RunOutcome>> = {
  succeeded: 'succeeded',
  denied: 'denied',
  expired: 'expired',
  cancelled: 'cancelled',
};

/**
 * Takes a run one step further; the execution queue calls it for every job. A step is claimed
 * with a lease (one conditional UPDATE), so two workers never take the same one, and is one of:
 * run the calls that are ready (auto-run or approved), wait for a decision (the lease is given
 * back and nothing is held), or ask the model what next, which either asks for more calls or
 * answers, ending the run. Calls a dead worker left running are run again only when their tool
 * is idempotent; the others are reported to the model as interrupted.
 */
export class RunStepper {
  constructor(
    private readonly deps: WiredDeps,
    private readonly parts: { ending: RunEnding; board: ProgressBoard; planner: TurnPlanner },
  ) {}

  async advance(runId: string): Promise<void> {
    const { settings } = this.deps;
    const claim = await this.deps.runs.claimStep(runId, leaseMs(settings));
    if (!claim) return;
    const log = this.deps.log.child({ runId, attempt: claim.run.attempt, traceId: claim.run.traceId });
    log.debug({ status: claim.run.status, turns: claim.run.turns }, 'run step taken');
    const lease = new StepLease(claim, this.deps.runs, { heartbeatMs: heartbeatMs(settings), leaseMs: leaseMs(settings) }, log);
    const { platform } = claim.run.where;
    this.deps.metrics.runStepStarted({ platform });
    try {
      await this.step(lease, log);
    } finally {
      lease.stop();
      this.deps.metrics.runStepEnded({ platform });
    }
  }

  private async step(lease: StepLease, log: Logger): Promise<void> {
    const { run } = lease.claim;
    const { turns, calls, planHashes } = await this.deps.runs.transcript(run.id);
    if (run.status === 'cancelled') return this.endCancelled(lease, calls);
    if (run.attempt > maxRunAttempts(this.deps.settings)) {
      const why = `its steps were cut short ${run.attempt} times by crashes, so it is not tried again`;
      await this.parts.ending.end(run, { status: 'failed', errorCode: 'interrupted', text: stoppedText('failed', why, null) }, lease.claim);
      return;
    }
    const due = await this.dueCalls(lease, calls.filter((c) => c.turnSeq === run.turns), log);
    let current = calls.map((c) => due.interrupted.get(c.id) ?? c);
    if (due.calls.length) {
      // The step goes on from the calls to what follows them, on the lease it holds: a new
      // step would only give the lease back, be woken and claim it again, and re-read all this.
      const ran = await this.runCalls(lease, due.calls, current, planHashes);
      if (!ran) return;
      current = ran;
    }
    const latest = current.filter((c) => c.turnSeq === run.turns);
    if (latest.some((c) => c.status === 'pending')) return this.wait(lease, current);
    if (run.kind === 'manual') return this.endManual(lease, current);
    return this.modelTurn(lease, turns, current, log);
  }

  /** The calls to run now: ready ones, and ones a dead worker left running whose tool is safe to run again; the rest of those end interrupted. */
  private async dueCalls(lease: StepLease, latest: readonly ToolCallRecord[], log: Logger) {
    const interrupted = new Map<string, ToolCallRecord>();
    const calls: ToolCallRecord[] = [];
    for (const call of latest) {
      if (call.status === 'ready' || (call.status === 'running' && call.idempotent)) calls.push(call);
      if (call.status !== 'running' || call.idempotent) continue;
      log.warn({ call: call.tool }, 'a call was cut short by a crash and is not safe to run again');
      const result = `Interrupted: the process running ${call.tool} stopped mid-call. It was not run again because it is not safe to run twice; it may or may not have taken effect.`;
      await this.deps.runs.endCall(lease.claim, call.id, { status: 'interrupted', output: null, error: result, result });
      interrupted.set(call.id, { ...call, status: 'interrupted', error: result, result });
    }
    return { calls, interrupted };
  }

  /** Runs the due calls; the run's calls afterwards, or null when the step ended here (taken over or cancelled). */
  private async runCalls(lease: StepLease, due: readonly ToolCallRecord[], calls: readonly ToolCallRecord[], planHashes: ReadonlyMap<string, string>): Promise<ToolCallRecord[] | null> {
    const { run } = lease.claim;
    const progress = await this.parts.board.of(run);
    let current = [...calls];
    const replace = (next: ToolCallRecord) => (current = current.map((c) => (c.id === next.id ? next : c)));
    const changed = this.changedPlans(run, due, calls, planHashes);
    for (const call of due) {
      if (call.requestId && changed.has(call.requestId)) {
        const result = 'Not run: the stored plan no longer matches what was approved.';
        await this.deps.runs.endCall(lease.claim, call.id, { status: 'failed', output: null, error: result, result });
        replace({ ...call, status: 'failed', error: result, result });
        continue;
      }
      if (lease.signal.aborted || !(await this.deps.runs.startCall(lease.claim, call.id))) break;
      progress.show(replace({ ...call, status: 'running', startedAt: this.deps.clock.now(), endedAt: null }), 'running');
      const end = await runCall(call, {
        tools: this.deps.tools,
        where: run.where,
        runId: run.id,
        timeoutMs: this.deps.settings.actionTimeoutMs,
        signal: lease.signal,
        step: (label) => progress.step(call.id, label),
      });
      if (lease.lost) break;
      await this.deps.runs.endCall(lease.claim, call.id, end);
      const started = current.find((c) => c.id === call.id)!.startedAt;
      progress.show(replace({ ...call, ...end, startedAt: started, endedAt: this.deps.clock.now() }), 'running');
    }
    if (lease.lost) return this.abandon(run), null;
    if (lease.cancelled) return this.endCancelled(lease, current).then(() => null);
    return current;
  }

  /**
   * The requests among `due` whose plan no longer hashes to what their approver was shown
   * (the calls were changed in the database after the decision): their calls do not run.
   * A request's calls are all the run's calls that wait on it, in their order on its card.
   */
  private changedPlans(run: AgentRun, due: readonly ToolCallRecord[], calls: readonly ToolCallRecord[], planHashes: ReadonlyMap<string, string>): Set<string> {
    const scope = conversationOf(run.where);
    const changed = new Set<string>();
    for (const requestId of new Set(due.flatMap((c) => (c.requestId ? [c.requestId] : [])))) {
      const gated = calls.filter((c) => c.requestId === requestId).sort((a, b) => a.position - b.position);
      if (hashPlan(showCalls(gated, this.deps.tools, scope)) !== planHashes.get(requestId)) changed.add(requestId);
    }
    return changed;
  }

  private async wait(lease: StepLease, calls: readonly ToolCallRecord[]): Promise<void> {
    (await this.parts.board.of(lease.claim.run)).show(calls, 'waiting');
    await this.release(lease, 'waiting');
  }

  private async endManual(lease: StepLease, calls: readonly ToolCallRecord[]): Promise<void> {
    const { run } = lease.claim;
    const call = calls.find((c) => c.turnSeq === run.turns);
    const status = (call && CALL_OUTCOME[call.status]) ?? 'failed';
    const text = manualResultText(status, call, run.cancelledBy);
    await this.parts.ending.end(run, { status, errorCode: call?.status === 'interrupted' ? 'interrupted' : null, text, calls }, lease.claim);
  }

  private async modelTurn(lease: StepLease, turns: readonly ModelTurnRecord[], calls: readonly ToolCallRecord[], log: Logger): Promise<void> {
    const { run } = lease.claim;
    const { settings } = this.deps;
    const limit = reachedLimit(run, calls, settings.agent, this.deps.clock.now());
    (await this.parts.board.of(run)).show(calls, 'thinking');
    const scope = conversationOf(run.where);
    const { history, facts, viewing } = await this.deps.messages.readThread(run.where, settings.historyLimit);
    const messages = [
      ...buildPrompt({
        // The thread as it was when the run began: what came later is the run's own doing, in its transcript.
        history: history.filter((m) => m.createdAt <= run.createdAt),
        facts,
        viewing,
        contextBudgetChars: settings.contextBudgetChars,
        historyBudgetChars: settings.historyBudgetChars ?? DEFAULT_HISTORY_BUDGET_CHARS,
      }),
      ...runTranscript(turns, calls),
      ...(limit ? [{ role: 'system' as const, content: `${limitNote(limit, settings.agent)} Answer the user now in words, without calling tools.` }] : []),
    ];
    // The model's words are shown as it writes them; the progress message already says it is thinking.
    const live = new LiveAnswer(this.deps.platforms.get(run.where.platform), run.where, run.requestedBy.id, settings.liveAnswer ?? DEFAULT_LIVE_TIMINGS, log, null);
    let completion;
    try {
      const tools = limit ? [] : toolDefinitions(this.deps.tools.list(scope));
      completion = await callModel({ model: this.deps.model!, metrics: this.deps.metrics, clock: this.deps.clock }, { purpose: 'step', messages, tools, signal: lease.signal, onText: live.onText }, log);
    } catch (err) {
      if (lease.lost) return this.abandon(run);
      if (lease.cancelled) return this.endCancelled(lease, calls);
      log.warn({ err }, 'model failed mid-run');
      return this.modelFailed(lease, calls, userFacingMessage(err), live);
    } finally {
      live.end();
    }
    if (lease.lost) return this.abandon(run);
    if (lease.cancelled) return this.endCancelled(lease, calls);
    if (!limit && completion.toolCalls.length > 0) {
      // Words streamed before the calls stand in the thread; the run carries on below them.
      await live.settle();
      const next = await this.parts.planner.continueRun(lease.claim, completion, log);
      if (next !== 'ended') await this.release(lease, next);
      return;
    }
    await this.answer(lease, completion, calls, limit, live);
  }

  /** The model failed mid-run: the run ends failed; words already streamed stay, followed by why, and are stored so. */
  private async modelFailed(lease: StepLease, calls: readonly ToolCallRecord[], why: string, live: LiveAnswer): Promise<void> {
    const stopped = stoppedText('failed', why, null);
    const end = live.streaming
      ? { text: `${live.text.trim()}\n\n${stopped}`, show: () => live.finish('', stopped) }
      : { text: stopped };
    await this.parts.ending.end(lease.claim.run, { status: 'failed', errorCode: 'model_failed', calls, ...end }, lease.claim);
  }

  /** The model's last word: stored as the run's last turn (its tokens count), then the run ends with it, shown as it was written. */
  private async answer(lease: StepLease, completion: { content: string; usage: AgentRun['usage'] | null }, calls: readonly ToolCallRecord[], limit: BudgetLimit | null, live: LiveAnswer): Promise<void> {
    const { run } = lease.claim;
    const note = limit ? limitNote(limit, this.deps.settings.agent) : null;
    await this.deps.runs.appendTurn(lease.claim, { content: completion.content, usage: completion.usage, calls: [] }, null);
    const usage = addUsage(run.usage, completion.usage);
    const text = [completion.content.trim(), note].filter(Boolean).join('\n\n') || 'Done.';
    const show = (feedback?: FeedbackMark) => live.finish(text, note, feedback);
    const ended = await this.parts.ending.end({ ...run, usage }, { status: 'succeeded', errorCode: limit ? `budget_${limit}` : null, text, calls, show }, lease.claim);
    // Not ended here (cancelled meanwhile): a stream begun must still be closed.
    if (!ended) await live.settle();
  }

  private async endCancelled(lease: StepLease, calls: readonly ToolCallRecord[]): Promise<void> {
    // The claim's copy of the run predates the Cancel this worker noticed mid-step: who cancelled is in the stored run.
    const run = (await this.deps.runs.getRun(lease.claim.run.id)) ?? lease.claim.run;
    const last = calls.filter((c) => c.turnSeq === run.turns);
    const text = run.kind === 'manual' ? manualResultText('cancelled', last[0], run.cancelledBy) : stoppedText('cancelled', null, run.cancelledBy);
    await this.parts.ending.end(run, { status: 'cancelled', errorCode: null, text, calls }, lease.claim);
  }

  /** Gives the step back; a running run's next step is due at once. */
  private async release(lease: StepLease, status: 'running' | 'waiting'): Promise<void> {
    const { run } = lease.claim;
    const released = await this.deps.runs.releaseStep(lease.claim, status);
    if (status === 'waiting') this.parts.board.release(run.id);
    if (released && status === 'running') await this.deps.queue.enqueue(run.id);
  }

  private abandon(run: AgentRun): void {
    this.deps.log.warn({ runId: run.id }, 'step taken over by another worker; leaving the run to it');
    this.parts.board.release(run.id);
  }
}

function addUsage(a: AgentRun['usage'], b: AgentRun['usage'] | null): AgentRun['usage'] {
  if (!b) return a;
  return { promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens, totalTokens: a.totalTokens + b.totalTokens };
}
