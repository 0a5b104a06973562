import { webApi } from '@slack/bolt';
import { ChannelUnavailableError, NotInChannelError, PlatformError, type ErrorContext } from '../../core/errors';

/** Slack `ok:false` errors that may pass if tried again; every other refusal is final. */
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

/** Slack's refusals that mean the channel is gone for the bot: deleted, archived, or the app uninstalled or its token revoked. */
const CHANNEL_GONE = new Set(['channel_not_found', 'is_archived', 'invalid_auth', 'account_inactive', 'not_authed', 'token_revoked']);

/** How to let the bot into a channel when its own name is not at hand; the adapter names the bot where it can. */
export const INVITE_REMEDY = 'Invite me with /invite and my name';

/** The fields of @slack/web-api's errors read here; which ones are set depends on `code`. */
interface WebApiFailure {
  code?: string;
  data?: { error?: string };
  retryAfter?: number;
  statusCode?: number;
}

/**
 * Runs one Web API call; a failure becomes a PlatformError (see {@link slackError}).
 */
export async function callSlack<T>(method: string, context: ErrorContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw slackError(method, context, error);
  }
}

/**
 * The PlatformError for a failed Web API call, naming the method and Slack's own error
 * code, and saying (as `retryable: false` or `retryAfterMs`) whether the core's outbound
 * queue should try again: a refusal such as `channel_not_found` or `invalid_blocks` is
 * final, a 5xx or a network failure is not. `not_in_channel` is a NotInChannelError; a
 * channel gone for the bot (CHANNEL_GONE) a ChannelUnavailableError.
 */
export function slackError(method: string, context: ErrorContext, error: unknown): PlatformError {
  const failure = error as WebApiFailure;
  const where = { ...context, method };
  switch (failure.code) {
    case webApi.ErrorCode.PlatformError: {
      const slack = failure.data?.error ?? 'unknown_error';
      if (slack === 'not_in_channel') {
        const about = { ...where, slackError: slack, remedy: INVITE_REMEDY };
        return new NotInChannelError(`Slack refused ${method}: not_in_channel`, about, { cause: error });
      }
      if (CHANNEL_GONE.has(slack)) return new ChannelUnavailableError(`Slack refused ${method}: ${slack}`, { ...where, slackError: slack, reason: slack }, { cause: error });
      const details = { ...where, slackError: slack, ...(TRANSIENT.has(slack) ? {} : { retryable: false }) };
      return new PlatformError('slack_refused', `Slack refused ${method}: ${slack}`, details, { cause: error });
    }
    case webApi.ErrorCode.RateLimitedError: {
      const retryAfterMs = (failure.retryAfter ?? 1) * 1000;
      return new PlatformError('rate_limited', `Slack rate-limited ${method}`, { ...where, retryAfterMs }, { cause: error });
    }
    case webApi.ErrorCode.HTTPError: {
      const status = failure.statusCode ?? 0;
      const details = { ...where, status, ...(status >= 500 ? {} : { retryable: false }) };
      return new PlatformError('slack_http_error', `Slack answered ${method} with HTTP ${status}`, details, { cause: error });
    }
    default:
      return new PlatformError('slack_unreachable', `Could not reach Slack for ${method}`, where, { cause: error });
  }
}
