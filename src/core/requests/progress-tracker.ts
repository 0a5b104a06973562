import type { Logger } from '../../logging/logger';
import type { AgentRequest } from '../model/agent-request';
import { metadataSchemas, type ProgressStep, type StoredMessage } from '../model/message';
import type { PostedMessage } from '../ports/chat-platform';
import { isoNow, type Clock } from '../ports/clock';
import type { PlatformDirectory } from '../ports/platforms';
import type { MessageStore, RunStore } from '../ports/stores';
import type { StepHandle } from '../ports/tools';
import { CoalescingWriter } from './coalescing-writer';
import { progressView } from './progress-view';
import { BOT_AUTHOR } from './result-message';

/** What a progress tracker needs from the core. */
export interface ProgressDeps {
  readonly platforms: PlatformDirectory;
  readonly messages: MessageStore;
  readonly runs: RunStore;
  /** Least time between two writes of the progress state. */
  readonly intervalMs: number;
  readonly log: Logger;
  readonly clock: Clock;
}

type FinalStatus = 'done' | 'failed' | 'cancelled';

/**
 * A request's one progress message (its `agent_progress` row, unique per request): stored
 * before it is posted, so a redelivered job finds it and edits it rather than posting a
 * second one. Steps start and end as the tool reports them; writes are coalesced, the
 * stored row first (the audit), then the platform edit (a low-priority one until the last).
 */
export class ProgressTracker {
  private readonly writer: CoalescingWriter<{ steps: ProgressStep[]; finished: boolean }>;

  private constructor(
    private readonly request: AgentRequest,
    private readonly stored: StoredMessage,
    private posted: PostedMessage | null,
    private readonly steps: ProgressStep[],
    private readonly deps: ProgressDeps,
  ) {
    this.writer = new CoalescingWriter((state) => this.write(state.steps, state.finished), deps.intervalMs, (err) =>
      deps.log.warn({ err, requestId: request.id }, 'progress write failed'),
      deps.clock,
    );
  }

  /**
   * The run's progress message: the one an earlier attempt stored (its unfinished steps
   * marked interrupted), or a new one. Posted unless it already was.
   */
  static async open(request: AgentRequest, deps: ProgressDeps): Promise<ProgressTracker> {
    const view = progressView(request.id, [], false);
    const { message, isNew } = await deps.runs.storeRequestMessage(request.id, {
      where: request.where,
      platformMessageId: null,
      author: BOT_AUTHOR,
      role: 'assistant',
      type: 'agent_progress',
      text: view.text,
      metadata: { requestId: request.id, steps: [] },
    });
    const tracker = new ProgressTracker(request, message, postedOf(message), isNew ? [] : interrupted(message, deps.clock), deps);
    if (!tracker.posted) await tracker.post();
    else tracker.changed();
    return tracker;
  }

  /** The progress message of an earlier attempt, to finish it; null when the run never stored one. */
  static async resume(request: AgentRequest, deps: ProgressDeps): Promise<ProgressTracker | null> {
    const message = await deps.runs.findRequestMessage(request.id, 'agent_progress');
    return message ? new ProgressTracker(request, message, postedOf(message), interrupted(message, deps.clock), deps) : null;
  }

  /** Starts a step now; the handle ends it. */
  step(label: string): StepHandle {
    const step: ProgressStep = { label, status: 'running', startedAt: isoNow(this.deps.clock), endedAt: null };
    this.steps.push(step);
    this.changed();
    const end = (status: ProgressStep['status'], note?: string) => {
      if (step.status !== 'running') return;
      step.status = status;
      step.endedAt = isoNow(this.deps.clock);
      if (note) step.label = `${step.label}: ${note}`;
      this.changed();
    };
    return { done: () => end('done'), fail: (reason) => end('failed', reason) };
  }

  /** Marks still-running steps with `status`, then writes the final state (always lands). */
  async finish(status: FinalStatus): Promise<void> {
    for (const step of this.steps) {
      if (step.status === 'running') {
        step.status = status;
        step.endedAt = isoNow(this.deps.clock);
      }
    }
    await this.writer.finish({ steps: this.snapshot(), finished: true });
  }

  /** Writes nothing more: another attempt owns the run now. */
  abandon(): void {
    this.writer.stop();
  }

  private async post(): Promise<void> {
    const { request, deps } = this;
    try {
      this.posted = await deps.platforms.get(request.where.platform).post(request.where, progressView(request.id, this.steps, false));
      await deps.messages.setPlatformMessageId(this.stored.id, this.posted.messageId);
    } catch (err) {
      // The run goes on without a visible progress message; the stored row keeps the steps.
      deps.log.warn({ err, requestId: request.id }, 'could not post the progress message');
    }
  }

  private changed(): void {
    this.writer.set({ steps: this.snapshot(), finished: false });
  }

  private snapshot(): ProgressStep[] {
    return this.steps.map((s) => ({ ...s }));
  }

  private async write(steps: ProgressStep[], finished: boolean): Promise<void> {
    const view = progressView(this.request.id, steps, finished);
    await this.deps.messages.updateMessage(this.stored.id, 'agent_progress', view.text, { requestId: this.request.id, steps });
    if (!this.posted) return;
    await this.deps.platforms.get(this.posted.where.platform).update(this.posted, view, { priority: finished ? 'high' : 'low' });
  }
}

function postedOf(message: StoredMessage): PostedMessage | null {
  return message.platformMessageId ? { where: message.where, messageId: message.platformMessageId } : null;
}

/** The stored steps of an earlier attempt, the ones it left running marked as interrupted. */
function interrupted(message: StoredMessage, clock: Clock): ProgressStep[] {
  const parsed = metadataSchemas.agent_progress.safeParse(message.metadata);
  const steps = parsed.success ? parsed.data.steps : [];
  const now = isoNow(clock);
  return steps.map((s) => (s.status === 'running' ? { ...s, status: 'failed', label: `${s.label} (interrupted)`, endedAt: now } : s));
}
