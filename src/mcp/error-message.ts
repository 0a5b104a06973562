/**
 * The message of anything thrown. Checks the shape rather than `instanceof Error`:
 * errors from child processes and fetch may come from another realm (as under jest).
 */
export function errorMessage(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string') return error.message;
  return String(error);
}

/** The underlying reason (a spawn error, a timeout) rather than a wrapper's sentence. */
export function rootMessage(error: unknown): string {
  const cause = error && typeof error === 'object' && 'cause' in error ? error.cause : undefined;
  return errorMessage(cause ?? error);
}
