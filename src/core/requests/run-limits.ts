import type { AgentRequest } from '../model/agent-request';
import type { CoreSettings } from '../core-deps';

/** Default gap between a running worker's heartbeats. */
export const DEFAULT_RUN_HEARTBEAT_MS = 1000;
/** Default number of times one request's run may be started, crash recoveries included. */
export const DEFAULT_MAX_RUN_ATTEMPTS = 3;
/** A worker silent for this many heartbeats is taken for dead. */
const HEARTBEATS_PER_LEASE = 5;

export function heartbeatMs(settings: CoreSettings): number {
  return settings.runHeartbeatMs ?? DEFAULT_RUN_HEARTBEAT_MS;
}

/** How long a run's worker may stay silent before another worker may take the run over. */
export function leaseMs(settings: CoreSettings): number {
  return heartbeatMs(settings) * HEARTBEATS_PER_LEASE;
}

export function maxRunAttempts(settings: CoreSettings): number {
  return settings.maxRunAttempts ?? DEFAULT_MAX_RUN_ATTEMPTS;
}

/** The longest a run may take: every action using its whole timeout. */
export function maxRunMs(request: AgentRequest, settings: CoreSettings): number {
  return settings.actionTimeoutMs * request.actions.length;
}
