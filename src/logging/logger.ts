import pino from 'pino';

/** The logger type every module takes; create children per scope with `log.child({...})`. */
export type Logger = pino.Logger;

/**
 * Every path whose value is a secret. One list, so nothing logs a token by accident;
 * untrusted payloads are logged under `raw`, whose secret-looking keys are covered too.
 */
export const REDACT_PATHS = [
  'token',
  'botToken',
  'appToken',
  'apiKey',
  'signingSecret',
  'password',
  'authorization',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.apiKey',
  '*.signingSecret',
  '*.password',
  '*.authorization',
  'headers.authorization',
  'headers["x-slack-signature"]',
  'config.slack.botToken',
  'config.slack.signingSecret',
  'config.slack.appToken',
  'config.discord.token',
  'config.llm.apiKey',
  'config.database.url',
  'raw.token',
  // A card's token, on a request or a click's origin: it lets a click stand in for the card's message id.
  'cardToken',
  '*.cardToken',
];

/** Options for {@link createLogger}. Defaults: level `info`, output to stdout. */
export interface LoggerOptions {
  level?: string;
  /** Where JSON lines go; tests pass a stream to read them back. */
  destination?: pino.DestinationStream;
}

/** Builds the root pino logger with secrets redacted. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      name: 'switchboard',
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    options.destination ?? pino.destination(1),
  );
}
