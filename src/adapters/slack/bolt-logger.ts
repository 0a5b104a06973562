import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../logging/logger';

/**
 * Bolt's and the Web API client's log lines, written through our pino logger so they share
 * its level, format and redaction. Errors passed as arguments are logged under `err`.
 */
export function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const write = (method: 'debug' | 'info' | 'warn' | 'error') => (...parts: unknown[]) => {
    const err = parts.find((p) => p instanceof Error);
    const text = parts.map(describe).join(' ');
    if (err) log[method]({ err }, text);
    else log[method](text);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    // pino's level decides; Bolt only asks what it is.
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

function describe(part: unknown): string {
  if (part instanceof Error) return part.message;
  if (typeof part === 'string') return part;
  try {
    return JSON.stringify(part);
  } catch {
    return String(part);
  }
}
