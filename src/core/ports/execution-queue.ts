/**
 * Hands an approved request to whatever runs it. Enqueueing the same request id twice
 * must run it once: the id is the job's unique key.
 */
export interface ExecutionQueue {
  enqueue(requestId: string): Promise<void>;
}
