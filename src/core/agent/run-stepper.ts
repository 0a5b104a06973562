import type { Logger } from '../../logging/logger';
import { conversationOf } from '../model/conversation';
import type { AgentRun, BudgetLimit, TokenUsage } from '../model/agent-run';
import type { FeedbackMark } from '../model/card';
import type { ToolCallRecord } from '../model/tool-call';
import type { RunTranscript } from '../ports/stores';
import type { WiredDeps } from '../core-deps';
import { userFacingMessage } from '../user-facing-error';
import { runCall } from '../runs/call-runner';
import type { RunEnding } from '../runs/run-ending';
import { manualResultFile, manualResultText, stoppedText } from '../runs/result-text';
import type { ProgressBoard } from '../runs/progress-board';
import { StepLease } from '../runs/step-lease';
import { showCalls } from '../approvals/show-calls';
import { hashPlan } from '../approvals/shown-plan';
import { limitNote } from './budgets';
import { heartbeatMs, leaseMs, maxRunAttempts } from '../runs/run-timing';
import type { CallRecorder } from './call-recorder';
import type { LiveAnswer } from './live-answer';
import { filesOf } from '../files/read-attachments';
import { takeModelTurn, type ModelTurnAnswer } from './model-turn';
import { nextStep, type NextStep, type RunEndCause } from './next-step';
import { runTranscript } from './transcript';

/**
 * Takes a run one step further; the execution queue calls it for every job. A step is claimed
 * with a lease (one conditional UPDATE), so two workers never take the same one; then what it
 * does is named by next-step.ts from the stored transcript: run the calls that are ready
 * (auto-run or approved), wait for a decision (the lease is given back and nothing is held),
 * ask the model what next (more calls, or the answer that ends the run), or end the run.
 */
export class RunStepper {
  constructor(
    private readonly deps: WiredDeps,
    private readonly parts: { ending: RunEnding; board: ProgressBoard; recorder: CallRecorder },
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
      await this.take(lease, await this.deps.runs.transcript(claim.run.id), false, log);
    } finally {
      lease.stop();
      this.deps.metrics.runStepEnded({ platform });
    }
  }

  /**
   * Does the step next-step.ts names. After running calls the step goes on to what follows
   * them, on the lease it holds: a new step would only give the lease back, be woken, claim it
   * again and re-read all this.
   */
  private async take(lease: StepLease, transcript: RunTranscript, ranCalls: boolean, log: Logger): Promise<void> {
    const { settings } = this.deps;
    const { calls } = transcript;
    const step = nextStep({ run: lease.claim.run, calls, budget: settings.agent, now: this.deps.clock.now(), maxAttempts: maxRunAttempts(settings), ranCalls });
    switch (step.kind) {
      case 'run_calls': {
        const ran = await this.runCalls(lease, step, transcript, log);
        return ran ? this.take(lease, { ...transcript, calls: ran }, true, log) : undefined;
      }
      case 'await_decision':
        return this.wait(lease, calls);
      case 'ask_model':
        return this.modelTurn(lease, transcript, step.limit, log);
      case 'end':
        return this.end(lease, step.end, calls);
      default: {
        const _exhaustive: never = step;
        return _exhaustive;
      }
    }
  }

  /**
   * Ends the calls a dead worker left running that are not safe to run again (the model is
   * told they were interrupted), then runs the due ones. The run's calls afterwards, or null
   * when the step ended here (taken over or cancelled).
   */
  private async runCalls(lease: StepLease, step: Extract<NextStep, { kind: 'run_calls' }>, transcript: RunTranscript, log: Logger): Promise<ToolCallRecord[] | null> {
    const interrupted = new Map<string, ToolCallRecord>();
    for (const call of step.interrupt) {
      log.warn({ call: call.tool }, 'a call was cut short by a crash and is not safe to run again');
      const result = `Interrupted: the process running ${call.tool} stopped mid-call. It was not run again because it is not safe to run twice; it may or may not have taken effect.`;
      await this.deps.runs.endCall(lease.claim, call.id, { status: 'interrupted', output: null, error: result, result });
      interrupted.set(call.id, { ...call, status: 'interrupted', error: result, result });
    }
    const calls = transcript.calls.map((c) => interrupted.get(c.id) ?? c);
    return step.run.length ? this.runDue(lease, step.run, calls, transcript.planHashes) : calls;
  }

  /** Runs the due calls in order, each started and ended while the lease holds; as runCalls. */
  private async runDue(lease: StepLease, due: readonly ToolCallRecord[], calls: readonly ToolCallRecord[], planHashes: ReadonlyMap<string, string>): Promise<ToolCallRecord[] | null> {
    const { run } = lease.claim;
    const progress = await this.parts.board.of(run);
    let current = [...calls];
    // Each due call shows before any runs: a task card follows its call from pending to its end.
    progress.show(current, 'running');
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
        requestedBy: run.requestedBy,
        platform: this.deps.platforms.get(run.where.platform),
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

  /** Ends the run without the model: cancelled, crashed too often, or a `!run` whose call has its result. */
  private async end(lease: StepLease, cause: RunEndCause, calls: readonly ToolCallRecord[]): Promise<void> {
    const { run } = lease.claim;
    switch (cause.why) {
      case 'cancelled':
        return this.endCancelled(lease, calls);
      case 'crashed_too_often': {
        const why = `its steps were cut short ${cause.attempts} times by crashes, so it is not tried again`;
        await this.parts.ending.end(run, { status: 'failed', errorCode: 'interrupted', text: stoppedText('failed', why, null) }, lease.claim);
        return;
      }
      case 'manual_done': {
        const text = manualResultText(cause.status, cause.call ?? undefined, run.cancelledBy);
        const file = manualResultFile(cause.status, cause.call ?? undefined);
        const platform = this.deps.platforms.get(run.where.platform);
        // An output too long for the message goes with it as a file; its line is the message.
        const show = file && platform.uploadFile ? () => platform.uploadFile!(run.where, { ...file, comment: text }) : undefined;
        await this.parts.ending.end(run, { status: cause.status, errorCode: cause.errorCode, text, calls, ...(show && { show }) }, lease.claim);
        return;
      }
      default: {
        const _exhaustive: never = cause;
        return _exhaustive;
      }
    }
  }

  private async modelTurn(lease: StepLease, { turns, calls }: RunTranscript, limit: BudgetLimit | null, log: Logger): Promise<void> {
    const { run } = lease.claim;
    const progress = await this.parts.board.of(run);
    progress.show(calls, 'thinking');
    const { history, facts, viewing } = await this.deps.messages.readThread(run.where, this.deps.settings.historyLimit);
    // The thread as it was when the run began: what came later is the run's own doing, in its transcript.
    const before = history.filter((m) => m.createdAt <= run.createdAt);
    // Found by id, not as the last of `before`: a message stored in the same millisecond as the run sorts either way.
    const asked = before.find((m) => m.id === run.triggerMessageId);
    const answer = await takeModelTurn(
      this.deps,
      {
        purpose: 'step',
        thread: { history: before, facts, viewing },
        // The files of the message that started the run, read again: every turn of the run sees them.
        attached: asked ? await filesOf(this.deps, asked, log, lease.signal) : null,
        transcript: runTranscript(turns, calls),
        offer: 'tools',
        limit,
        where: run.where,
        recipientUserId: run.requestedBy.id,
        // The model's words are shown as it writes them; the progress message already says it is thinking.
        working: null,
        takenCallIds: calls.map((c) => c.callId),
        signal: lease.signal,
        // Where the run shows task cards, its words follow them in the same stream.
        answerInto: progress.answerStream(),
      },
      log,
    );
    if (lease.lost) return this.abandon(run);
    if (lease.cancelled) {
      if (answer.kind === 'failed') return this.endCancelled(lease, calls, answer);
      // The model was done before the Cancel was noticed: its words stand, nothing acts on them.
      await answer.live.settle();
      return this.endCancelled(lease, calls);
    }
    switch (answer.kind) {
      case 'failed':
        log.warn({ err: answer.error }, 'model failed mid-run');
        return this.modelFailed(lease, calls, answer);
      case 'calls': {
        // Words streamed before the calls stand in the thread; the run carries on below them.
        await answer.live.settle();
        const { next, gate } = await this.parts.recorder.appendTurn(lease.claim, answer, log);
        if (gate) await progress.waitAt([...calls, ...gate.calls], gate);
        if (next !== 'ended') await this.release(lease, next);
        return;
      }
      case 'words':
        return this.answer(lease, answer, calls, limit);
    }
  }

  /** The model failed mid-run: the run ends failed; words already streamed stay, followed by why, and are stored so. */
  private async modelFailed(lease: StepLease, calls: readonly ToolCallRecord[], failure: Extract<ModelTurnAnswer, { kind: 'failed' }>): Promise<void> {
    const stopped = stoppedText('failed', userFacingMessage(failure.error), null);
    const end = failure.partial === null ? { text: stopped } : { text: `${failure.partial}\n\n${stopped}`, show: () => failure.live.finish('', stopped) };
    await this.parts.ending.end(lease.claim.run, { status: 'failed', errorCode: 'model_failed', calls, ...end }, lease.claim);
  }

  /** The model's last word: stored as the run's last turn (its tokens count), then the run ends with it, shown as it was written. */
  private async answer(lease: StepLease, said: { content: string; usage: TokenUsage | null; live: LiveAnswer }, calls: readonly ToolCallRecord[], limit: BudgetLimit | null): Promise<void> {
    const { run } = lease.claim;
    const { live } = said;
    const note = limit ? limitNote(limit, this.deps.settings.agent) : null;
    await this.deps.runs.appendTurn(lease.claim, { content: said.content, usage: said.usage, calls: [] }, null);
    const usage = addUsage(run.usage, said.usage);
    const text = [said.content.trim(), note].filter(Boolean).join('\n\n') || 'Done.';
    const show = (feedback?: FeedbackMark) => live.finish(text, note, feedback);
    const ended = await this.parts.ending.end({ ...run, usage }, { status: 'succeeded', errorCode: limit ? `budget_${limit}` : null, text, calls, show }, lease.claim);
    // Not ended here (cancelled meanwhile): a stream begun must still be closed.
    if (!ended) await live.settle();
  }

  /**
   * Ends a run cancelled mid-step. An answer cut short while it was written (`cut`) stands as
   * far as it got, followed by the note, and is stored so.
   */
  private async endCancelled(lease: StepLease, calls: readonly ToolCallRecord[], cut: Extract<ModelTurnAnswer, { kind: 'failed' }> | null = null): Promise<void> {
    // The claim's copy of the run predates the Cancel this worker noticed mid-step: who cancelled is in the stored run.
    const run = (await this.deps.runs.getRun(lease.claim.run.id)) ?? lease.claim.run;
    const last = calls.filter((c) => c.turnSeq === run.turns);
    const note = run.kind === 'manual' ? manualResultText('cancelled', last[0], run.cancelledBy) : stoppedText('cancelled', null, run.cancelledBy);
    const shown = cut?.partial ? { text: `${cut.partial}\n\n${note}`, show: () => cut.live.finish('', note) } : { text: note };
    await this.parts.ending.end(run, { status: 'cancelled', errorCode: null, calls, ...shown }, lease.claim);
  }

  /**
   * Gives the step back; a running run's next step is due at once. So is a waiting one's whose
   * gate was decided while this step still held it (a click that came as its card was posted).
   */
  private async release(lease: StepLease, status: 'running' | 'waiting'): Promise<void> {
    const { run } = lease.claim;
    const released = await this.deps.runs.releaseStep(lease.claim, status);
    if (status === 'waiting') this.parts.board.park(run.id);
    if (released && status === 'running') await this.deps.queue.enqueue(run.id);
    if (released && status === 'waiting' && (await this.deps.runs.wakeDecided(run.id))) await this.deps.queue.enqueue(run.id);
  }

  private abandon(run: AgentRun): void {
    this.deps.log.warn({ runId: run.id }, 'step taken over by another worker; leaving the run to it');
    this.parts.board.release(run.id);
  }
}

function addUsage(a: TokenUsage, b: TokenUsage | null): TokenUsage {
  if (!b) return a;
  return { promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens, totalTokens: a.totalTokens + b.totalTokens };
}
