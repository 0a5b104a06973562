import { z } from 'zod';
import { setting, type Section } from '../setting';

/** Logging: its level, and where logs go while the console chat has stdout. At the Config's top level. */
export const loggingSettings = {
  logLevel: setting('LOG_LEVEL', z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), {
    default: 'info',
    doc: 'pino level (JSON logs, secrets redacted): fatal, error, warn, info, debug, trace or silent',
  }),
  logFile: setting('LOG_FILE', z.string().min(1), {
    default: '.data/switchboard.log',
    doc: 'where logs go in console mode (the chat has stdout); with Slack or Discord, stdout',
  }),
} satisfies Section;
