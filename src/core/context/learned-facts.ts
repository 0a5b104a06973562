import type { ContextType } from '../model/context-fact';
import type { FactRefusal } from '../ports/metrics';
import { normalizeKey, truncateValue } from './context-rules';
import type { RememberArgs } from './remember-tool';
import { detectSecret, type SecretKind } from './secret-detector';

/** A learned fact that passed every check, ready to store. */
export interface VettedFact {
  readonly type: ContextType;
  readonly key: string;
  readonly value: string;
}

/** Why a proposed fact was not stored; never carries the value itself. */
export interface RejectedFact {
  readonly key: string;
  readonly reason: FactRefusal;
  readonly secretKind?: SecretKind;
}

/** The bounds a learned fact must keep; from CONTEXT_MIN_CONFIDENCE and CONTEXT_MAX_VALUE_CHARS. */
export interface VetLimits {
  readonly minConfidence: number;
  readonly maxValueChars: number;
}

/**
 * Decides which proposed facts are stored: keys normalised, facts below `minConfidence`
 * dropped, secret-looking ones refused, long values truncated, and keys a person set by
 * hand (`manualKeys`) left alone: what someone typed on purpose outranks a guess. When
 * the answer names a key twice, the later one decides, as the upserts would have.
 */
export function vetLearnedFacts(
  answer: RememberArgs,
  limits: VetLimits,
  manualKeys: ReadonlySet<string> = new Set(),
): { kept: VettedFact[]; rejected: RejectedFact[] } {
  const kept = new Map<string, VettedFact>();
  const rejected: RejectedFact[] = [];
  for (const proposed of answer.facts) {
    const key = normalizeKey(proposed.key);
    const value = proposed.value.trim();
    const rejection = manualKeys.has(key) ? { key, reason: 'set_manually' as const } : rejectionOf(key, value, proposed.confidence, limits.minConfidence);
    if (rejection) {
      rejected.push(rejection);
      kept.delete(key);
    } else {
      kept.set(key, { type: proposed.contextType, key, value: truncateValue(value, limits.maxValueChars) });
    }
  }
  return { kept: [...kept.values()], rejected };
}

function rejectionOf(key: string, value: string, confidence: number, minConfidence: number): RejectedFact | null {
  if (!key || !value) return { key, reason: 'empty' };
  if (confidence < minConfidence) return { key, reason: 'low_confidence' };
  const secretKind = detectSecret(`${key}: ${value}`);
  return secretKind ? { key, reason: 'secret', secretKind } : null;
}
