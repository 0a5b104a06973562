/**
 * Hands an approved request to whatever runs it, on this process or another.
 */
export interface ExecutionQueue {
  /**
   * Makes sure a job will run this request: adds one unless one is already waiting or
   * running. The request id is the job's unique key, so any number of calls from any number
   * of processes give one job. `maxRunMs` is how long the run may take (its actions'
   * timeouts together); past it plus a margin, the job counts as abandoned and is
   * delivered again.
   */
  enqueue(requestId: string, maxRunMs: number): Promise<void>;
}
