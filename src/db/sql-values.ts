/** Values on their way into a statement, hot or through the ORM. */

/**
 * Text Postgres will take: it refuses NUL in text and jsonb, and lone surrogates in jsonb.
 * Both become U+FFFD, so a message carrying them is still stored, not lost to an error.
 */
export function storableText(text: string): string {
  return text.toWellFormed().replace(/\0/g, '\uFFFD');
}

/** JSON for a jsonb parameter, with every string in it made storable. */
export function jsonParam(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? storableText(v) : v));
}

/** A JSON value with every string in it made storable, for a jsonb property written through the ORM. */
export function storableJson<T>(value: T): T {
  return JSON.parse(jsonParam(value)) as T;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` can be a row id; lookups by anything else answer "not found" without asking Postgres. */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
