/**
 * The record of every request the fake Slack received, with a way to wait for calls
 * that arrive asynchronously (after an ack) without sleeping for a guessed duration.
 */

/** One request the fake received, in arrival order. */
export interface FakeSlackCall {
  /** The Web API method (`chat.postMessage`), or `response_url` for a post to a response URL. */
  method: string;
  /** The request path, e.g. `/api/chat.postMessage` or `/response/3`. */
  path: string;
  /** Form or JSON fields, with JSON-string fields such as `blocks` and `attachments` decoded. */
  params: Record<string, unknown>;
  /** Date.now() when the request arrived. */
  at: number;
  /** The HTTP status the fake answered with (200 unless a failure was scripted). */
  status: number;
  /** The `error` of an `ok: false` answer, whether scripted or from the fake's own checks. */
  error?: string;
  /** Why the fake refused the content (for invalid_blocks and the like); absent when accepted. */
  problems?: string[];
  /** The bearer token sent with the call, from the Authorization header or a `token` field. */
  token?: string;
  /** The JSON the fake answered, e.g. the `ts` of a message chat.postMessage created. */
  answer?: Record<string, unknown>;
}

/** An append-only call list that wakes waiters whenever a call arrives. */
export class CallLog {
  /** Every call so far; the same array for the fake's lifetime, so a reference stays current. */
  readonly calls: FakeSlackCall[] = [];
  private readonly listeners = new Set<() => void>();

  /** Appends a call and re-checks everyone waiting. */
  record(call: FakeSlackCall): void {
    this.calls.push(call);
    for (const listener of [...this.listeners]) listener();
  }

  /** The calls of one method, in arrival order. */
  callsOf(method: string): FakeSlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Resolves with the calls of `method` once there are at least `count`; rejects after `timeoutMs` (default 5000) naming what did arrive. */
  waitForCalls(method: string, count: number, timeoutMs = 5000): Promise<FakeSlackCall[]> {
    return new Promise((resolve, reject) => {
      const stop = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      const check = (): void => {
        const matching = this.callsOf(method);
        if (matching.length < count) return;
        stop();
        resolve(matching);
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error(this.describeShortfall(method, count, timeoutMs)));
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  /** Forgets all calls (in place, so held references see the empty list). */
  clear(): void {
    this.calls.length = 0;
  }

  private describeShortfall(method: string, count: number, timeoutMs: number): string {
    const seen = new Map<string, number>();
    for (const call of this.calls) seen.set(call.method, (seen.get(call.method) ?? 0) + 1);
    const summary = [...seen].map(([name, n]) => `${name} x${n}`).join(', ') || 'none';
    return (
      `fake Slack: expected ${count} call(s) of ${method} within ${timeoutMs} ms, ` +
      `got ${this.callsOf(method).length}; methods seen: ${summary}`
    );
  }
}
