import type { Logger } from '../../logging/logger';
import type { AgentRun } from '../model/agent-run';
import { BOT_AUTHOR } from '../model/conversation';
import type { StoredMessage } from '../model/message';
import type { ToolCallRecord } from '../model/tool-call';
import type { PostedMessage } from '../ports/chat-platform';
import type { Clock } from '../ports/clock';
import type { PlatformDirectory } from '../ports/platforms';
import type { MessageStore, RunStore } from '../ports/stores';
import type { StepHandle } from '../ports/tools';
import { CoalescingWriter } from './coalescing-writer';
import { progressView, type RunPhase, type SubStep } from './progress-view';

/** What progress messages need from the core. */
export interface ProgressDeps {
  readonly platforms: PlatformDirectory;
  readonly messages: MessageStore;
  readonly runs: RunStore;
  /** Least time between two writes of one run's progress. */
  readonly intervalMs: number;
  readonly clock: Clock;
  readonly log: Logger;
}

interface Shown {
  readonly calls: readonly ToolCallRecord[];
  readonly phase: RunPhase;
}

/**
 * A run's one progress message (its `agent_progress` row, unique per run), edited in place as
 * the run goes: stored before it is posted, so a step on another worker finds it and edits it
 * rather than posting a second one. Writes are coalesced and never awaited by a step: the
 * stored row first (the audit), then the platform post or edit, low priority until the last.
 */
export class RunProgress {
  private readonly writer: CoalescingWriter<Shown & { final: boolean }>;
  private readonly subSteps = new Map<string, SubStep[]>();
  private shown: Shown = { calls: [], phase: 'running' };

  private constructor(
    private readonly run: AgentRun,
    private readonly stored: StoredMessage,
    private posted: PostedMessage | null,
    private readonly deps: ProgressDeps,
  ) {
    this.writer = new CoalescingWriter((state) => this.write(state), deps.intervalMs, (err) => deps.log.warn({ err, runId: run.id }, 'progress write failed'), deps.clock);
  }

  /** The run's progress message: the one stored before (by any worker), or a new one, posted with its first write. */
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
    const posted = message.platformMessageId ? { where: message.where, messageId: message.platformMessageId } : null;
    return new RunProgress(run, message, posted, deps);
  }

  /** Shows the run's calls and what it does now; written now, later, or replaced by a newer state. */
  show(calls: readonly ToolCallRecord[], phase: RunPhase): void {
    this.shown = { calls, phase };
    this.writer.set({ ...this.shown, final: false });
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

  /** Writes the run's final state as the last word (always lands, after any write under way). */
  finish(calls: readonly ToolCallRecord[]): Promise<void> {
    return this.writer.finish({ calls, phase: 'done', final: true });
  }

  /** Writes nothing more: another worker owns the run now. */
  abandon(): void {
    this.writer.stop();
  }

  /**
   * The row keeps the view as first posted (with its platform id, in one statement) and as it
   * ended; the views in between are the platform's alone, so a step's edits cost no SQL.
   */
  private async write(state: Shown & { final: boolean }): Promise<void> {
    const view = progressView(this.run.id, { ...state, subSteps: this.subSteps });
    const store = (platformMessageId?: string) => this.deps.messages.updateMessage(this.stored.id, 'agent_progress', view.text, { runId: this.run.id }, platformMessageId);
    const platform = this.deps.platforms.get(this.run.where.platform);
    if (!this.posted) {
      this.posted = await platform.post(this.run.where, view);
      return store(this.posted.messageId);
    }
    if (state.final) await store();
    await platform.update(this.posted, view, { priority: state.final ? 'high' : 'low' });
  }
}
