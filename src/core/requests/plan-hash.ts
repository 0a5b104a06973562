import { createHash } from 'node:crypto';
import type { PlannedAction } from '../model/message';

/**
 * A hash of exactly what was approved: tools and arguments in order, with object keys
 * sorted so that the same plan always hashes the same.
 */
export function hashPlan(actions: readonly PlannedAction[]): string {
  const canonical = actions.map((a) => [a.tool, canonicalJson(a.args)]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

function canonicalJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonicalJson((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
