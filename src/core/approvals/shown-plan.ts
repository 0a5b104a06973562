import { createHash } from 'node:crypto';

/** One call as an approval card shows it: every field the approver reads about it. */
export interface ShownCall {
  readonly tool: string;
  /** Where the tool comes from, e.g. `built-in` or `mcp:github`. */
  readonly origin: string;
  /** The arguments exactly as shown: canonical JSON (keys sorted). */
  readonly args: string;
  /** What the call will touch, in the tool's words. */
  readonly touches: string | null;
  /** Why its risk hints are not trusted, when they are not. */
  readonly caution: string | null;
  readonly destructive: boolean;
}

/**
 * A hash of exactly what a card shows of its calls, in order: an edit changes it, an Approve
 * button carries it, and a decision must match the plan as it stands. Sixteen hex digits fit
 * Discord's 100-character custom ids beside a request id; only people can edit a plan, so
 * collisions are not an attack surface.
 */
export function hashPlan(calls: readonly ShownCall[]): string {
  const canonical = calls.map((c) => [c.tool, c.origin, c.args, c.touches, c.caution, c.destructive]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 16);
}

/** JSON with object keys sorted, so the same arguments always show (and hash) the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
