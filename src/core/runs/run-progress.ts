import type { Logger } from '../../logging/logger';
import { PlatformError } from '../errors';
import type { AgentRun } from '../model/agent-run';
import { BOT_AUTHOR } from '../model/conversation';
import type { StoredMessage } from '../model/message';
import type { ToolCallRecord } from '../model/tool-call';
import type { AnswerStream, PostedMessage } from '../ports/chat-platform';
import type { Clock } from '../ports/clock';
import type { PlatformDirectory } from '../ports/platforms';
import type { MessageStore, RunStore } from '../ports/stores';
import type { StepHandle, ToolCatalog } from '../ports/tools';
import { CoalescingWriter } from './coalescing-writer';
import { progressView, type RunPhase, type SubStep } from './progress-view';
import { TaskSegment } from './task-segment';

/** What progress messages need from the core. */
export interface ProgressDeps {
  readonly platforms: PlatformDirectory;
  readonly messages: MessageStore;
  readonly runs: RunStore;
  readonly tools: ToolCatalog;
  /** Least time between two writes of one run's progress. */
  readonly intervalMs: number;
  readonly clock: Clock;
  readonly log: Logger;
}

interface Shown {
  readonly calls: readonly ToolCallRecord[];
  readonly phase: RunPhase;
}

/** A state to write: `final` is the run's last (stored), `close` ends a task stream after it. */
type Write = Shown & { final: boolean; close: boolean };

/**
 * A run's progress (its `agent_progress` row, unique per run): where the platform streams task
 * cards, one card per call in a stream that the run's answer ends (task-segment.ts); otherwise
 * one message edited in place, with Cancel. The row is stored before anything is posted, so a
 * step on another worker finds it rather than posting a second one. Writes are coalesced and
 * never awaited by a step: the stored row first (the audit), then the platform, low priority
 * until the last.
 */
export class RunProgress {
  private readonly writer: CoalescingWriter<Write>;
  private readonly subSteps = new Map<string, SubStep[]>();
  private shown: Shown = { calls: [], phase: 'running' };
  /** The last word was written (by the end of the run's answer, or by `finish`). */
  private done = false;
  /** Task cards were shown (by this step). */
  private streamed = false;

  private constructor(
    private readonly run: AgentRun,
    private readonly stored: StoredMessage,
    private posted: PostedMessage | null,
    private tasks: TaskSegment | null,
    private readonly deps: ProgressDeps,
  ) {
    this.writer = new CoalescingWriter((state) => this.write(state), deps.intervalMs, (err) => deps.log.warn({ err, runId: run.id }, 'progress write failed'), deps.clock);
  }

  /** The run's progress: the row stored before (by any worker), or a new one; shown as task cards where the platform can. */
  static async open(run: AgentRun, deps: ProgressDeps): Promise<RunProgress> {
    const view = progressView(run.id, { calls: [], phase: 'running' });
    const { message } = await deps.runs.storeRunMessage(run.id, {
      where: run.where,
      platformMessageId: null,
      author: BOT_AUTHOR,
      role: 'assistant',
      type: 'agent_progress',
      text: view.text,
      metadata: { runId: run.id },
    });
    const platform = deps.platforms.get(run.where.platform);
    const posted = message.platformMessageId ? { where: message.where, messageId: message.platformMessageId } : null;
    // A run whose progress is already an edited message stays one; task cards store no platform id.
    const stream = posted ? null : (platform.taskStream?.(run.where, run.requestedBy.id) ?? null);
    return new RunProgress(run, message, posted, stream && new TaskSegment(stream, run, platform, deps), deps);
  }

  /** Shows the run's calls and what it does now; written now, later, or replaced by a newer state. */
  show(calls: readonly ToolCallRecord[], phase: RunPhase): void {
    this.shown = { calls, phase };
    this.writer.set({ ...this.shown, final: false, close: false });
  }

  /** The calls of `request` wait at its posted card: shown waiting, pointing at it. */
  async waitAt(calls: readonly ToolCallRecord[], request: { readonly id: string; readonly cardMessageId: string | null }): Promise<void> {
    if (this.tasks && request.cardMessageId) await this.tasks.noteCard(request.id, { where: this.run.where, messageId: request.cardMessageId });
    this.show(calls, 'waiting');
  }

  /** A step a running call reports; the handle ends it. */
  step(callRecordId: string, label: string): StepHandle {
    const steps = this.subSteps.get(callRecordId) ?? [];
    this.subSteps.set(callRecordId, steps);
    const index = steps.push({ label, status: 'running' }) - 1;
    this.show(this.shown.calls, this.shown.phase);
    const end = (status: SubStep['status'], note?: string) => {
      if (steps[index]!.status !== 'running') return;
      steps[index] = { label: note ? `${label}: ${note}` : label, status };
      this.show(this.shown.calls, this.shown.phase);
    };
    return { done: () => end('done'), fail: (reason) => end('failed', reason) };
  }

  /**
   * Where the run's words go as the model writes them: after its task cards, the end of the
   * answer ending the stream with the cards' last states. Null where progress is an edited message.
   */
  answerStream(): AnswerStream | null {
    const words = this.tasks?.answer(() => this.shown.calls, this.subSteps);
    if (!words) return null;
    return {
      show: (textSoFar) => words.show(textSoFar),
      finish: async (wholeText, feedback) => {
        // The answer's end carries the cards' last states: no write of them may come after it.
        this.done = true;
        this.writer.stop();
        await this.store({ ...this.shown, phase: 'done', final: true, close: false });
        return words.finish(wholeText, feedback);
      },
    };
  }

  /** Writes the run's final state as the last word (always lands, after any write under way). */
  async finish(calls: readonly ToolCallRecord[]): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.writer.finish({ calls, phase: 'done', final: true, close: true });
  }

  /** The run stops here to wait for a person: what is shown is written, and a task stream ends (the next step starts another). */
  park(): Promise<void> {
    return this.writer.finish({ ...this.shown, final: false, close: true });
  }

  /** Writes nothing more: another worker owns the run now. */
  abandon(): void {
    this.writer.stop();
  }

  private async write(state: Write): Promise<void> {
    if (this.tasks) return this.writeTasks(this.tasks, state);
    const view = progressView(this.run.id, { ...state, subSteps: this.subSteps });
    const platform = this.deps.platforms.get(this.run.where.platform);
    if (!this.posted) {
      this.posted = await platform.post(this.run.where, view);
      return this.store(state, this.posted.messageId);
    }
    if (state.final) await this.store(state);
    await platform.update(this.posted, view, { priority: state.final ? 'high' : 'low' });
  }

  /**
   * Task cards: the row is stored only with the last state, without a platform id (the run's
   * answer, stored as its result, may be in the same Slack message). A refused stream before
   * anything showed (streaming off for this app) falls back to the edited message.
   */
  private async writeTasks(tasks: TaskSegment, state: Write): Promise<void> {
    try {
      this.streamed = (await tasks.show(state.calls, this.subSteps)) !== null || this.streamed;
    } catch (err) {
      if (this.streamed || !(err instanceof PlatformError) || err.context.retryable !== false) throw err;
      this.deps.log.info({ err, runId: this.run.id }, 'task cards refused; progress is a message edited in place instead');
      this.tasks = null;
      return this.write(state);
    }
    if (state.final) await this.store(state);
    if (state.close) await tasks.close();
  }

  /**
   * The row keeps the view as first posted (with its platform id, in one statement) and as it
   * ended; the views in between are the platform's alone, so a step's edits cost no SQL.
   */
  private store(state: Write, platformMessageId?: string): Promise<void> {
    const view = progressView(this.run.id, { ...state, subSteps: this.subSteps });
    const metadata = { runId: this.run.id, ...(this.streamed && { stream: true as const }) };
    return this.deps.messages.updateMessage(this.stored.id, 'agent_progress', view.text, metadata, platformMessageId);
  }
}
