/** `json` as a JSON object (blank is `{}`), or null when it is anything else or not JSON. */
export function parseJsonObject(json: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(json.trim() === '' ? '{}' : json);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
