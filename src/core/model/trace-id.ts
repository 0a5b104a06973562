import { randomBytes } from 'node:crypto';

/**
 * A new trace id: 32 hex characters, the W3C trace-context format, so that a tracing system
 * could take it over. One per person's message (or per slash command that starts a run); every
 * log line of its turn, card, decision and run steps carries it, on whichever process.
 */
export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}
