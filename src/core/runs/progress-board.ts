import type { AgentRun } from '../model/agent-run';
import { RunProgress, type ProgressDeps } from './run-progress';

/**
 * This process's open progress messages, one per run, so that consecutive steps of a run on
 * one worker share one writer (and its pacing). A run's entry goes when the run stops here:
 * finished, waiting for a decision, or taken over; the next step opens the stored one again.
 */
export class ProgressBoard {
  private readonly open = new Map<string, Promise<RunProgress>>();

  constructor(private readonly deps: ProgressDeps) {}

  of(run: AgentRun): Promise<RunProgress> {
    let progress = this.open.get(run.id);
    if (!progress) {
      progress = RunProgress.open(run, this.deps);
      progress.catch(() => this.open.delete(run.id));
      this.open.set(run.id, progress);
    }
    return progress;
  }

  /** The run's writer when this process has it open. */
  opened(runId: string): Promise<RunProgress> | undefined {
    return this.open.get(runId);
  }

  /** Forgets the run's writer; writes under way still land. */
  release(runId: string): void {
    this.open.delete(runId);
  }

  /** The run waits for a person: its progress is written as it stands (a task stream ends there), then forgotten. */
  park(runId: string): void {
    const progress = this.open.get(runId);
    this.open.delete(runId);
    // The writer logs its own failures.
    progress?.then((p) => p.park()).catch(() => undefined);
  }
}
