import { DiscordAPIError, HTTPError, RateLimitError, RESTJSONErrorCodes } from 'discord.js';
import { ChannelUnavailableError, NotInChannelError, PlatformError, type PlatformErrorContext } from '../../core/errors';

/** Discord's answers for a channel the bot may not see (Missing Access) or may not post in (Missing Permissions). */
const NOT_ALLOWED_HERE: ReadonlySet<number> = new Set([RESTJSONErrorCodes.MissingAccess, RESTJSONErrorCodes.MissingPermissions]);

/** What a person can do about it: a bot is not invited into a channel, its role is let in. */
export const PERMISSION_REMEDY = 'Ask a server admin to let my role view that channel and send messages in it';

/** Whether Discord answered with this JSON error code (e.g. 40060 already acknowledged). */
export function hasDiscordCode(error: unknown, code: RESTJSONErrorCodes): boolean {
  return error instanceof DiscordAPIError && error.code === code;
}

/**
 * Wraps a failed Discord call in a PlatformError naming the operation, the HTTP status and
 * Discord's error code, and telling the outbound queue whether to retry (a 4xx never). The
 * original error is not kept as the cause: its URL may hold an interaction token. Details:
 * docs/development.md, "Platform errors and retries".
 */
export function platformError(error: unknown, operation: string, context: PlatformErrorContext = {}): PlatformError {
  const { code, details } = describe(error);
  if (error instanceof DiscordAPIError && NOT_ALLOWED_HERE.has(Number(error.code))) {
    return new NotInChannelError(`Discord refused ${operation}: ${error.message}`, { operation, ...details, ...context, remedy: PERMISSION_REMEDY });
  }
  if (error instanceof DiscordAPIError && (error.code === RESTJSONErrorCodes.UnknownChannel || error.status === 401)) {
    const reason = error.status === 401 ? 'unauthorized' : 'unknown_channel';
    return new ChannelUnavailableError(`Discord refused ${operation}: ${error.message}`, { operation, ...details, ...context, reason });
  }
  // The caller's context wins: it may know better than the status (e.g. a message half posted).
  return new PlatformError(code, `Discord refused or failed ${operation}`, { operation, ...details, ...context });
}

function describe(error: unknown): { code: string; details: PlatformErrorContext } {
  if (error instanceof DiscordAPIError) {
    return { code: 'discord_call_failed', details: { status: error.status, discordCode: error.code, detail: error.message, retryable: error.status >= 500 } };
  }
  if (error instanceof HTTPError) return { code: 'discord_call_failed', details: { status: error.status, detail: error.message, retryable: error.status >= 500 } };
  if (error instanceof RateLimitError) return { code: 'rate_limited', details: { status: 429, retryAfterMs: error.retryAfter } };
  return { code: 'discord_call_failed', details: { detail: error instanceof Error ? error.message : String(error) } };
}

/** Runs a Discord call and turns its failure into a PlatformError. */
export async function discordCall<T>(operation: string, call: () => Promise<T>, context: PlatformErrorContext = {}): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw error instanceof PlatformError ? error : platformError(error, operation, context);
  }
}
