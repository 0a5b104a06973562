import type { CoreSettings } from '../core-deps';

/** Default gap between a working step's lease renewals. */
export const DEFAULT_RUN_HEARTBEAT_MS = 1000;
/** Default number of crash takeovers one run survives. */
export const DEFAULT_MAX_RUN_ATTEMPTS = 3;
/** A step whose worker missed this many renewals is taken for dead and taken over. */
const MISSED_BEATS = 3;

export function heartbeatMs(settings: CoreSettings): number {
  return settings.runHeartbeatMs ?? DEFAULT_RUN_HEARTBEAT_MS;
}

/** How long a step's lease lasts without renewal. */
export function leaseMs(settings: CoreSettings): number {
  return heartbeatMs(settings) * MISSED_BEATS;
}

export function maxRunAttempts(settings: CoreSettings): number {
  return settings.maxRunAttempts ?? DEFAULT_MAX_RUN_ATTEMPTS;
}
