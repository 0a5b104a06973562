/**
 * One error base for Switchboard. Each subclass says whose fault it was, so the
 * single error handler can decide what to log and what to tell the user without
 * ever branching on message text.
 */
export type ErrorContext = Record<string, unknown>;

export type Fault = 'user' | 'config' | 'platform' | 'model' | 'tool' | 'system';

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

/** Slack, Discord or the console refused or failed a call. */
export class PlatformError extends SwitchboardError {
  readonly fault = 'platform' as const;
}

/** The language model failed, timed out, or answered outside its contract. */
export class ModelError extends SwitchboardError {
  readonly fault = 'model' as const;
}

/** A tool failed while running an approved action. */
export class ToolError extends SwitchboardError {
  readonly fault = 'tool' as const;
}

/** A bug or an invariant broken inside Switchboard itself. */
export class SystemError extends SwitchboardError {
  readonly fault = 'system' as const;
}
