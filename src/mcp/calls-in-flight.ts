/** One call under way: a signal that aborts when its connection is found dead, and its end. */
export interface CallInFlight {
  readonly signal: AbortSignal;
  end(): void;
}

interface Call {
  readonly tool: string;
  readonly controller: AbortController;
}

/**
 * The calls under way on each connection, so that a connection found dead fails them at
 * once, each with its own reason, instead of leaving each to its timeout.
 */
export class CallsInFlight<Connection extends object> {
  private readonly calls = new Map<Connection, Set<Call>>();

  /** Registers a call of `tool` on `connection`; call `end()` once it settles. */
  begin(connection: Connection, tool: string): CallInFlight {
    const call = { tool, controller: new AbortController() };
    const calls = this.calls.get(connection) ?? new Set();
    this.calls.set(connection, calls.add(call));
    return {
      signal: call.controller.signal,
      end: () => {
        calls.delete(call);
        if (calls.size === 0 && this.calls.get(connection) === calls) this.calls.delete(connection);
      },
    };
  }

  /** Whether any call is under way on `connection`. */
  any(connection: Connection): boolean {
    return this.calls.has(connection);
  }

  /** Aborts every call under way on `connection`, with the reason `reasonFor` gives its tool. */
  failAll(connection: Connection, reasonFor: (tool: string) => Error): void {
    const calls = this.calls.get(connection);
    this.calls.delete(connection);
    for (const { tool, controller } of calls ?? []) controller.abort(reasonFor(tool));
  }
}
