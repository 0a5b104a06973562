import { UserInputError } from '../errors';

/**
 * Keys are normalised so one fact doesn't fork into several: lower case, words joined
 * by underscores, nothing but letters, digits, `_`, `-` and `.`.
 */
export function normalizeKey(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[\s/]+/g, '_')
    .replace(/[^a-z0-9_.-]/g, '')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, 100);
}

/** Checks a value before it is stored. @throws UserInputError naming the problem. */
export function checkContextValue(value: string, maxChars: number): void {
  if (value.length > maxChars) {
    throw new UserInputError('context_value_too_long', `That value is ${value.length} characters; the limit is ${maxChars}.`, {
      length: value.length,
    });
  }
}
