import { PlatformError } from '../errors';

/** How the outbound queue paces and retries; see {@link DEFAULT_OUTBOUND} for the defaults. */
export interface OutboundSettings {
  /** Calls a second one channel sustains. */
  readonly perSecond: number;
  /** Calls a quiet channel may make at once. */
  readonly burst: number;
  /** Least time between two edits of one message. */
  readonly editIntervalMs: number;
  /** Retries of a failing call (5xx, `ok:false`, network) before it is thrown to the caller. */
  readonly maxRetries: number;
  /** The first retry's delay; it doubles each time. */
  readonly retryBaseMs: number;
  /** 429s honoured for one call before it is thrown to the caller. */
  readonly maxRateLimitWaits: number;
}

/**
 * Defaults: Slack allows about one `chat.postMessage` a second per channel (short bursts
 * tolerated) and Discord five messages per five seconds, so a channel gets one call a
 * second with bursts of four, and each message at most one edit a second.
 */
export const DEFAULT_OUTBOUND: OutboundSettings = {
  perSecond: 1,
  burst: 4,
  editIntervalMs: 1000,
  maxRetries: 3,
  retryBaseMs: 500,
  maxRateLimitWaits: 5,
};

/** What to do after a failed call. */
export type RetryAdvice =
  | { readonly retry: true; readonly afterMs: number; readonly rateLimited: boolean }
  | { readonly retry: false };

/**
 * Reads the contract in {@link PlatformError}'s context: a `retryAfterMs` is honoured, a
 * `retryable: false` fails at once, any other platform failure is retried with backoff.
 * Errors that are not PlatformErrors are bugs, not weather: they fail at once.
 */
export function retryAdvice(
  error: unknown,
  tries: { failures: number; rateLimits: number },
  settings: OutboundSettings,
): RetryAdvice {
  if (!(error instanceof PlatformError)) return { retry: false };
  const { retryAfterMs, retryable } = error.context;
  if (typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs)) {
    if (tries.rateLimits >= settings.maxRateLimitWaits) return { retry: false };
    return { retry: true, afterMs: Math.max(0, retryAfterMs), rateLimited: true };
  }
  if (retryable === false || tries.failures >= settings.maxRetries) return { retry: false };
  return { retry: true, afterMs: settings.retryBaseMs * 2 ** tries.failures, rateLimited: false };
}
