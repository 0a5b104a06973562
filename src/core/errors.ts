/**
 * One error base for Switchboard. Each subclass says whose fault it was, so the
 * single error handler can decide what to log and what to tell the user without
 * ever branching on message text.
 */
export type ErrorContext = Record<string, unknown>;

export type Fault = 'user' | 'config' | 'platform' | 'model' | 'tool' | 'store' | 'system';

export abstract class SwitchboardError extends Error {
  abstract readonly fault: Fault;

  constructor(
    /** A stable machine-readable identifier, e.g. `unknown_tool`. */
    readonly code: string,
    message: string,
    readonly context: ErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The person gave input we cannot act on; the message is safe to show them. */
export class UserInputError extends SwitchboardError {
  readonly fault = 'user' as const;
}

/** Configuration is missing or wrong; start-up stops with this message. */
export class ConfigError extends SwitchboardError {
  readonly fault = 'config' as const;
}

/**
 * What an adapter puts in a PlatformError's context so that the outbound queue
 * (src/core/outbound) can pace and retry the call: `retryAfterMs` (the platform asked us to
 * wait), `retryable: false` (trying again cannot help). Anything else is retried with backoff.
 * docs/development.md, "Platform errors and retries".
 */
export interface PlatformErrorContext extends ErrorContext {
  readonly retryAfterMs?: number;
  readonly retryable?: boolean;
}

/**
 * Slack, Discord or the console refused or failed a call. Use code `rate_limited` with
 * `retryAfterMs` for a 429; see {@link PlatformErrorContext} for how the core reacts.
 */
export class PlatformError extends SwitchboardError {
  readonly fault = 'platform' as const;
  declare readonly context: PlatformErrorContext;

  constructor(code: string, message: string, context: PlatformErrorContext = {}, options?: { cause?: unknown }) {
    super(code, message, context, options);
  }
}

/** What an adapter tells about a channel the bot may not post in (see {@link NotInChannelError}). */
export interface NotInChannelContext extends PlatformErrorContext {
  /** The channel's name as people know it (`#ops`), when the adapter knows it. */
  readonly channelName?: string;
  /** What a person can do about it, in the platform's words, as plain text: "Invite me with /invite @switchboard". */
  readonly remedy: string;
}

/**
 * The platform refused a post because the bot is not in the channel, or may not post there
 * (Slack `not_in_channel`, Discord Missing Access or Missing Permissions). Final for the
 * outbound queue; the core tells the person privately instead of posting into the channel
 * again. Code `not_in_channel`.
 */
export class NotInChannelError extends PlatformError {
  declare readonly context: NotInChannelContext;

  constructor(message: string, context: NotInChannelContext, options?: { cause?: unknown }) {
    super('not_in_channel', message, { ...context, retryable: false }, options);
  }
}

/**
 * The platform says the channel is gone for the bot for good: deleted or archived, or the bot
 * itself is no longer installed (Slack `channel_not_found`, `is_archived`, `invalid_auth`,
 * `account_inactive`; Discord Unknown Channel, a revoked token). Final for the outbound queue;
 * whatever the bot does there on its own (a schedule's firing) stops. Code `channel_unavailable`;
 * `reason` is the platform's own word for it.
 */
export class ChannelUnavailableError extends PlatformError {
  declare readonly context: PlatformErrorContext & { readonly reason: string };

  constructor(message: string, context: PlatformErrorContext & { readonly reason: string }, options?: { cause?: unknown }) {
    super('channel_unavailable', message, { ...context, retryable: false }, options);
  }
}

/**
 * What we were about to send breaks a limit of the platform that cutting cannot fix (too
 * many buttons, an action id or button value too long to survive the round trip). Thrown
 * by a renderer before any API call; final for the outbound queue, like any other
 * `retryable: false` platform error. `limit` names the limit, e.g. `custom_id_length`.
 */
export class PlatformLimitError extends PlatformError {
  constructor(platform: string, limit: string, message: string, context: ErrorContext = {}) {
    super('platform_limit', message, { ...context, platform, limit, retryable: false });
  }
}

/** The language model failed, timed out, or answered outside its contract. */
export class ModelError extends SwitchboardError {
  readonly fault = 'model' as const;
}

/** A tool failed while running an approved action. */
export class ToolError extends SwitchboardError {
  readonly fault = 'tool' as const;
}

/**
 * The database did not answer: it refused or dropped the connection, or took longer than
 * the deadline. Trying again later is safe (every write is keyed, so a retry of one that did
 * get in is recognised): adapters answer the platform with an error so that it delivers the
 * event again, and a person is asked to try again. Code `store_unavailable`.
 */
export class StoreUnavailableError extends SwitchboardError {
  readonly fault = 'store' as const;

  constructor(message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super('store_unavailable', message, context, options);
  }
}

/** A bug or an invariant broken inside Switchboard itself. */
export class SystemError extends SwitchboardError {
  readonly fault = 'system' as const;
}
