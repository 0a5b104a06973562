import { UserInputError } from '../errors';
import { detectSecret } from './secret-detector';

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

/** Half of a surrogate pair (half an emoji), which Postgres cannot keep in a jsonb string, nor a NUL. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Checks a fact a person typed (`context set`) before it is stored: a usable key, a
 * value within `maxChars` that Postgres can store, and nothing that looks like a secret
 * (key and value are checked together, so `db_password hunter2` is caught too).
 * @throws UserInputError naming the problem; its message never repeats the value.
 */
export function checkManualFact(key: string, value: string, maxChars: number): void {
  if (!key) throw new UserInputError('context_key_empty', 'A key needs at least one letter or digit, e.g. `deploy_process`.');
  if (value.includes('\0') || LONE_SURROGATE.test(value)) {
    throw new UserInputError('context_value_unstorable', 'That value has a character I cannot store (a NUL or half of an emoji); please type it again without it.');
  }
  if (value.length > maxChars) {
    throw new UserInputError('context_value_too_long', `That value is ${value.length} characters; the limit is ${maxChars}.`, {
      length: value.length,
    });
  }
  const secret = detectSecret(`${key}: ${value}`);
  if (secret) {
    throw new UserInputError(
      'context_value_secret',
      `That looks like a ${secret}, so I won't remember it: everyone in this channel could read it and it would be sent to the model with every message. Keep secrets in a secret manager.`,
      { key, kind: secret },
    );
  }
}

/**
 * Shortens a learned value to `maxChars`, at a word boundary when there is one, ending
 * in an ellipsis. Learned values are cut rather than dropped: the prompt asks for one
 * short sentence, so an overlong value is the model being wordy, and its head still
 * carries the fact (the secret check runs on the whole value first).
 */
export function truncateValue(value: string, maxChars: number): string {
  if (value.length <= maxChars) return value;
  // Never half an emoji: Postgres refuses a jsonb string with a lone surrogate.
  const head = value.slice(0, maxChars - 1).replace(/[\uD800-\uDBFF]$/, '');
  const space = head.lastIndexOf(' ');
  return `${(space > maxChars / 2 ? head.slice(0, space) : head).trimEnd()}…`;
}
