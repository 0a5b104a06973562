export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A file part of a multipart request (discord.js sends `files[n]` next to `payload_json`). */
export interface RecordedFile {
  field: string;
  name: string;
  size: number;
  contentType: string;
  /** The file's bytes. */
  data: Buffer;
}

/** One REST request the fake received, with the status it answered. */
export interface RecordedCall<TBody = unknown> {
  method: HttpMethod;
  /** The route template, e.g. '/channels/:channelId/messages' (see `FakeRoute`); the raw path when no route matched. */
  route: string;
  /** The request path below /api/v10, percent-decoded ('@original', not '%40original'). */
  path: string;
  /** The template's parameters, e.g. { channelId: '3000…' }. */
  params: Record<string, string>;
  /** Parsed JSON, or the parsed `payload_json` of a multipart body; undefined without a body. */
  body: TBody;
  query: Record<string, string>;
  files: RecordedFile[];
  status: number;
  /** The JSON body the fake answered, e.g. the message a POST created; undefined for 204. */
  response?: unknown;
  /** Whether an `Authorization: Bot …` header came along (interaction callbacks come without). */
  authorized: boolean;
  /** Date.now() when it arrived. */
  at: number;
}

/** Which calls to look at: a partial {method, route, path}, a 'METHOD /route' or '/route' string, or a predicate. */
export type CallMatcher = string | { method?: HttpMethod; route?: string; path?: string } | ((call: RecordedCall) => boolean);

/** How `failNext` makes a request fail. */
export interface ScriptedFailure {
  /** 429 answers like a rate limit; anything else answers with `body` or a generic Discord error. */
  status: number;
  /** For 429: seconds, in `retry_after` and the Retry-After header. Default: 1. */
  retryAfter?: number;
  /** For 429: a global limit (X-RateLimit-Global, `global: true`). Default: false. */
  global?: boolean;
  /** The JSON body; default depends on the status. */
  body?: object;
  /** How many matching requests fail. Default: 1. Note @discordjs/rest retries a 5xx up to 3 times. */
  times?: number;
}

interface Waiter {
  matches: (call: RecordedCall) => boolean;
  count: number;
  resolve: (calls: RecordedCall[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Turns any matcher form into a predicate. */
export function toPredicate(matcher: CallMatcher): (call: RecordedCall) => boolean {
  if (typeof matcher === 'function') return matcher;
  if (typeof matcher === 'string') {
    const [first, second] = matcher.trim().split(/\s+/, 2);
    return second === undefined
      ? (call) => call.route === first
      : (call) => call.method === first?.toUpperCase() && call.route === second;
  }
  return (call) =>
    (matcher.method === undefined || call.method === matcher.method) &&
    (matcher.route === undefined || call.route === matcher.route) &&
    (matcher.path === undefined || call.path === matcher.path);
}

function describeMatcher(matcher: CallMatcher): string {
  if (typeof matcher === 'function') return matcher.name ? `predicate ${matcher.name}` : 'a predicate';
  if (typeof matcher === 'string') return matcher;
  return JSON.stringify(matcher);
}

/** One line per call, for failure messages. */
export function describeCalls(calls: readonly RecordedCall[]): string {
  if (calls.length === 0) return '  (no REST calls at all)';
  return calls.map((call) => `  ${call.method} ${call.path} [${call.route}] -> ${call.status}`).join('\n');
}

/** The recorded REST calls, waiters for them, and scripted failures. */
export class CallLog {
  readonly calls: RecordedCall[] = [];
  private waiters: Waiter[] = [];
  private failures: { matches: (call: RecordedCall) => boolean; failure: ScriptedFailure; left: number }[] = [];

  record(call: RecordedCall): void {
    this.calls.push(call);
    for (const waiter of [...this.waiters]) this.settleIfDone(waiter);
  }

  /** Calls matching a method and route template. */
  callsTo<TBody = unknown>(method: HttpMethod, route: string): RecordedCall<TBody>[] {
    return this.calls.filter((call) => call.method === method && call.route === route) as RecordedCall<TBody>[];
  }

  /** Resolves with the matching calls once there are at least `count`; rejects after `timeoutMs` listing every call seen. */
  waitFor<TBody = unknown>(matcher: CallMatcher, count: number, timeoutMs: number): Promise<RecordedCall<TBody>[]> {
    const matches = toPredicate(matcher);
    return new Promise<RecordedCall<TBody>[]>((resolve, reject) => {
      const waiter: Waiter = {
        matches,
        count,
        resolve: resolve as (calls: RecordedCall[]) => void,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          const seen = this.calls.filter(matches).length;
          reject(
            new Error(
              `fake Discord: waited ${timeoutMs} ms for ${count} call(s) matching ${describeMatcher(matcher)}, ` +
                `saw ${seen}. Calls received:\n${describeCalls(this.calls)}`,
            ),
          );
        }, timeoutMs),
      };
      this.waiters.push(waiter);
      this.settleIfDone(waiter);
    });
  }

  failNext(matcher: CallMatcher, failure: ScriptedFailure): void {
    this.failures.push({ matches: toPredicate(matcher), failure, left: failure.times ?? 1 });
  }

  /** The scripted failure for this call, if any, used up by one. */
  takeFailure(call: RecordedCall): ScriptedFailure | undefined {
    const entry = this.failures.find((f) => f.left > 0 && f.matches(call));
    if (!entry) return undefined;
    entry.left -= 1;
    this.failures = this.failures.filter((f) => f.left > 0);
    return entry.failure;
  }

  clear(): void {
    this.calls.length = 0;
    this.failures = [];
  }

  /** Rejects every pending waiter; used when the fake closes. */
  abandon(reason: string): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`fake Discord: ${reason}. Calls received:\n${describeCalls(this.calls)}`));
    }
    this.waiters = [];
  }

  private settleIfDone(waiter: Waiter): void {
    const matched = this.calls.filter(waiter.matches);
    if (matched.length < waiter.count) return;
    clearTimeout(waiter.timer);
    this.waiters = this.waiters.filter((w) => w !== waiter);
    waiter.resolve(matched);
  }
}
