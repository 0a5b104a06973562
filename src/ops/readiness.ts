import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logging/logger';

/**
 * One thing the process needs before it can serve, asked by the part that owns it (the
 * database, the job queue, an adapter): `null` when ready, otherwise a few words saying what
 * is missing. A check that throws or does not answer in time counts as not ready.
 */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<string | null> | string | null;
}

/** What `/readyz` answers: each check's `ok` or its reason. */
export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, string>>;
}

const OK = 'ok';
const TIMED_OUT = Symbol('timed out');

/**
 * The process's readiness: start-up finished ({@link started}) and every registered check
 * passing. Checks run together, each bounded by `timeoutMs` (default 2000), so a probe never
 * hangs on a database that does not answer. A check turning bad or good again is logged once,
 * with the error when there is one; the answer itself carries no error text (it may be public).
 */
export class Readiness {
  private readonly checks: ReadinessCheck[] = [];
  private readonly failing = new Set<string>();
  private startupDone = false;

  constructor(
    private readonly log: Logger,
    private readonly timeoutMs = 2000,
  ) {}

  /** Adds a check; register each part's check as the part opens. */
  add(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  /** Start-up has finished: until then the process is not ready, whatever the checks say. */
  started(): void {
    this.startupDone = true;
  }

  async report(): Promise<ReadinessReport> {
    const results = await Promise.all(this.checks.map(async (c) => [c.name, await this.run(c)] as const));
    const checks = Object.fromEntries([['startup', this.startupDone ? OK : 'in progress'], ...results]);
    return { ready: Object.values(checks).every((v) => v === OK), checks };
  }

  private async run(check: ReadinessCheck): Promise<string> {
    const timer = new AbortController();
    let reason: string;
    let err: unknown;
    try {
      const answer = await Promise.race([check.check(), sleep(this.timeoutMs, TIMED_OUT, { signal: timer.signal })]);
      reason = answer === TIMED_OUT ? `no answer within ${this.timeoutMs} ms` : (answer ?? OK);
    } catch (error) {
      err = error;
      reason = `failed${errorCode(error)}; see the logs`;
    } finally {
      timer.abort();
    }
    this.noteChange(check.name, reason, err);
    return reason;
  }

  private noteChange(name: string, reason: string, err: unknown): void {
    if (reason === OK) {
      if (this.failing.delete(name)) this.log.info({ check: name }, 'readiness check passes again');
    } else if (!this.failing.has(name)) {
      this.failing.add(name);
      this.log.warn({ check: name, reason, err }, 'readiness check failing');
    }
  }
}

/** A system error code such as ECONNREFUSED says what happened without any host or query text. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? ` (${code})` : '';
}
