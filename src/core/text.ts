/** Cuts text to `max` characters, ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * A value someone typed (or a model wrote), safe to repeat back: at most `maxChars`
 * characters, on one line, without backticks or angle brackets, in quotes. Default 40.
 */
export function quoteInput(value: string, maxChars = 40): string {
  const oneLine = value.replace(/[\p{Cc}`<>]+/gu, ' ').trim();
  return `"${truncate(oneLine, maxChars)}"`;
}

/** `json` as a JSON object (blank is `{}`), or null when it is anything else or not JSON. */
export function parseJsonObject(json: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(json.trim() === '' ? '{}' : json);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
