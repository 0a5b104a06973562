/** Hands a run's next step to whatever takes it, on this process or another. */
export interface ExecutionQueue {
  /**
   * Makes sure a job will take the run's next step. Jobs are only wake-ups: the step itself is
   * claimed with a lease in Postgres, so a second job for the same step finds nothing to do.
   */
  enqueue(runId: string): Promise<void>;
}
