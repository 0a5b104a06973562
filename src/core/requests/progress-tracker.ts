import type { ThreadRef } from '../model/conversation';
import type { ProgressStep } from '../model/message';
import type { PostedMessage } from '../ports/chat-platform';
import type { StepHandle } from '../ports/tools';
import type { MessageStore } from '../ports/stores';
import type { Outbox } from '../conversation/outbox';
import type { Logger } from '../../logging/logger';
import { CoalescingWriter } from './coalescing-writer';
import { progressView } from './progress-view';

/**
 * One progress message per run: posted once, then edited in place as steps start and
 * finish (coalesced), and stored as the run's `agent_progress` row with each step's timing.
 */
export class ProgressTracker {
  private readonly steps: ProgressStep[] = [];
  private readonly writer: CoalescingWriter<{ steps: ProgressStep[]; finished: boolean }>;

  private constructor(
    private readonly requestId: string,
    private readonly posted: PostedMessage,
    private readonly storedId: string,
    private readonly outbox: Outbox,
    private readonly messages: MessageStore,
    intervalMs: number,
    log: Logger,
  ) {
    this.writer = new CoalescingWriter((state) => this.write(state.steps, state.finished), intervalMs, (err) =>
      log.warn({ err, requestId }, 'progress edit failed'),
    );
  }

  static async start(
    requestId: string,
    where: ThreadRef,
    deps: { outbox: Outbox; messages: MessageStore; intervalMs: number; log: Logger },
  ): Promise<ProgressTracker> {
    const { posted, stored } = await deps.outbox.say(where, progressView(requestId, [], false), 'agent_progress', {
      requestId,
      steps: [],
    });
    return new ProgressTracker(requestId, posted, stored.id, deps.outbox, deps.messages, deps.intervalMs, deps.log);
  }

  /** Starts a step now; the handle ends it. */
  step(label: string): StepHandle {
    const step: ProgressStep = { label, status: 'running', startedAt: new Date().toISOString(), endedAt: null };
    this.steps.push(step);
    this.changed();
    const end = (status: ProgressStep['status'], note?: string) => {
      if (step.status !== 'running') return;
      step.status = status;
      step.endedAt = new Date().toISOString();
      if (note) step.label = `${step.label}: ${note}`;
      this.changed();
    };
    return { done: () => end('done'), fail: (reason) => end('failed', reason) };
  }

  /** Marks still-running steps with `status`, then writes the final state (always lands). */
  async finish(status: 'done' | 'failed' | 'cancelled'): Promise<void> {
    for (const step of this.steps) {
      if (step.status === 'running') {
        step.status = status === 'done' ? 'done' : status;
        step.endedAt = new Date().toISOString();
      }
    }
    await this.writer.finish({ steps: this.snapshot(), finished: true });
  }

  private changed(): void {
    this.writer.set({ steps: this.snapshot(), finished: false });
  }

  private snapshot(): ProgressStep[] {
    return this.steps.map((s) => ({ ...s }));
  }

  private async write(steps: ProgressStep[], finished: boolean): Promise<void> {
    const view = progressView(this.requestId, steps, finished);
    await this.outbox.update(this.posted, view);
    await this.messages.updateMessage(this.storedId, 'agent_progress', view.text, {
      requestId: this.requestId,
      steps,
    });
  }
}
